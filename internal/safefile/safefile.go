// Package safefile writes output files so that readers see the old content or the new, never a part:
// a failed run leaves no partial file behind. It writes through symbolic links to their target and
// keeps an existing file's permissions, and it tells whether an output path would overwrite, or be
// read as part of, an input.
package safefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// newFileMode is the mode of a file that did not exist: as readable as any other the user creates.
const newFileMode = 0o644

// WriteFile calls write with a buffered writer to a temporary file next to path's target, then renames
// it over the target. When path is a symbolic link, the link stays and its target gets the new content;
// an existing target keeps its permissions. When write or any step fails, the temporary file is
// removed and path is untouched. Errors name path, never the temporary file.
//
// A device or a named pipe (-o /dev/stdout, a FIFO a reader waits on) cannot be replaced: it is
// written directly, as a shell redirection would.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0 {
		return writeStream(path, write)
	}
	target, mode, err := resolve(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	if err = f.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	if err = os.Rename(f.Name(), target); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	return nil
}

// writeStream writes to the device or named pipe at path. Errors of write are returned as they are,
// like WriteFile's.
func writeStream(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, cause(err))
	}
	return nil
}

// resolve returns the file that writing path must replace, following symbolic links (a link to a
// file that does not exist yet is written at the link's target), and the mode the new content gets.
func resolve(path string) (target string, mode fs.FileMode, err error) {
	target = path
	for range 40 { // as many links as Linux follows before ELOOP
		fi, err := os.Lstat(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return target, newFileMode, nil
		case err != nil:
			return "", 0, fmt.Errorf("write %s: %w", path, cause(err))
		case fi.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(target)
			if err != nil {
				return "", 0, fmt.Errorf("write %s: %w", path, cause(err))
			}
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(target), link)
			}
			target = link
		case !fi.Mode().IsRegular():
			return "", 0, fmt.Errorf("write %s: not a regular file (%s)", path, describeType(fi.Mode()))
		default:
			return target, fi.Mode().Perm(), nil
		}
	}
	return "", 0, fmt.Errorf("write %s: too many levels of symbolic links", path)
}

// cause drops the operation and path that os errors carry: they would name the temporary file.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func describeType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// Same reports whether paths a and b name the same file once symbolic links and relative parts are
// resolved. Either may not exist yet: its folder is then resolved and its name kept.
func Same(a, b string) bool {
	ra, rb := Canonical(a), Canonical(b)
	if ra == "" || rb == "" {
		return false
	}
	if ra == rb {
		return true
	}
	fa, errA := os.Stat(ra)
	fb, errB := os.Stat(rb)
	return errA == nil && errB == nil && os.SameFile(fa, fb) // hard links
}

// Within reports whether path, resolved like Same resolves it, is inside the folder dir (resolved
// too), at any depth; rel is its path relative to dir, with slashes.
func Within(dir, path string) (rel string, ok bool) {
	rd, rp := Canonical(dir), Canonical(path)
	if rd == "" || rp == "" {
		return "", false
	}
	r, err := filepath.Rel(rd, rp)
	if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// Canonical returns the absolute path of the file that writing p writes, or that reading p reads:
// symbolic links resolved, dangling ones included. When p does not exist, its nearest existing
// ancestor is resolved and the rest kept as written. It returns "" when p cannot be made absolute.
func Canonical(p string) string {
	if target, _, err := resolve(p); err == nil {
		p = target
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	var rest []string
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}
