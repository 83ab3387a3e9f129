// Package gitrev reads the inventory files of a git revision into memory, without checking anything
// out: the work tree, the index and HEAD are left alone. It runs the git program (ls-tree to list the
// files, cat-file --batch to read them) and is the only part of spof that does.
package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/spofhq/spof/internal/inventory"
)

// Sources returns the inventory at target (a folder or a .toml file, as given on the command line,
// inside a git work tree) as it is at revision rev (a commit, branch, tag or expression such as
// origin/main or HEAD~1), with the same file selection as inventory.Read. Files are named
// "rev:path/from/repo/root". An inventory that does not exist at rev yields no sources and no error:
// everything in the current one is then new.
func Sources(ctx context.Context, target, rev string) ([]inventory.Source, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, err
	}
	dir := abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		dir = filepath.Dir(abs)
	}
	out, err := git(ctx, dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git work tree: %w", target, err)
	}
	top := strings.TrimSpace(string(out))
	rel, err := relative(top, abs)
	if err != nil {
		return nil, err
	}
	if _, err := git(ctx, top, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("unknown git revision %q (in CI, fetch it first, e.g. git fetch origin main)", rev)
	}
	listing, err := git(ctx, top, nil, "ls-tree", "-r", "-z", "--full-tree", rev, "--", rel)
	if err != nil {
		return nil, err
	}
	type blob struct{ id, name string }
	var blobs []blob
	for entry := range strings.SplitSeq(strings.TrimSuffix(string(listing), "\x00"), "\x00") {
		// "<mode> <type> <object>\t<path>"
		meta, name, ok := strings.Cut(entry, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" || !strings.HasSuffix(name, ".toml") {
			continue
		}
		blobs = append(blobs, blob{id: fields[2], name: name})
	}
	if len(blobs) == 0 {
		return nil, nil
	}
	var req bytes.Buffer
	for _, b := range blobs {
		req.WriteString(b.id + "\n")
	}
	data, err := git(ctx, top, &req, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	// fstest.MapFS is the standard library's in-memory fs.FS: through it inventory.ReadFS applies to
	// the revision's files the very selection it applies to a folder (sorting, dot folders, policy file).
	fsys := fstest.MapFS{}
	r := bufio.NewReader(bytes.NewReader(data))
	for _, b := range blobs {
		content, err := readObject(r)
		if err != nil {
			return nil, fmt.Errorf("git cat-file %s: %w", b.name, err)
		}
		fsys[b.name] = &fstest.MapFile{Data: content}
	}
	srcs, diags := inventory.ReadFS(fsys, rel, func(name string) string { return rev + ":" + name })
	if diags.HasErrors() { // an in-memory file system cannot fail to read; say so if it ever does
		return nil, diags
	}
	return srcs, nil
}

// relative returns abs as a slash path from the repository root top, following symbolic links on both
// sides (temporary folders are often reached through one).
func relative(top, abs string) (string, error) {
	rtop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return "", err
	}
	rabs, err := filepath.EvalSymlinks(abs)
	if err != nil {
		rabs = abs
	}
	rel, err := filepath.Rel(rtop, rabs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the git work tree %s", abs, top)
	}
	return path.Clean(filepath.ToSlash(rel)), nil
}

// readObject reads one "<object> blob <size>\n<content>\n" record of git cat-file --batch.
func readObject(r *bufio.Reader) ([]byte, error) {
	header, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	fields := strings.Fields(header)
	if len(fields) != 3 || fields[1] != "blob" {
		return nil, fmt.Errorf("unexpected object header %q", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(fields[2])
	if err != nil {
		return nil, err
	}
	content := make([]byte, size+1) // the content and its closing newline
	if _, err := io.ReadFull(r, content); err != nil {
		return nil, err
	}
	return content[:size], nil
}

// git runs git in dir and returns its standard output; on failure the error holds git's own message.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = stdin
	// Paths are paths, never patterns, whatever characters a folder name holds.
	cmd.Env = append(os.Environ(), "GIT_LITERAL_PATHSPECS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.Bytes(), nil
}
