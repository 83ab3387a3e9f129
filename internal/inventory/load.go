// Package inventory reads TOML inventory files into a model.Inventory, checking everything a user can get
// wrong and reporting each problem with its file, line and column. Files are decoded, and their keys
// and values located, by package tomldoc.
//
// An inventory is one .toml file or a folder: every *.toml under it, recursively, in sorted path order;
// folders whose name starts with "." are skipped, and so is the policy file spof-policy.toml.
package inventory

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// PolicyFile is the name of the CI policy file, which may sit at the inventory root and is not part of
// the inventory.
const PolicyFile = "spof-policy.toml"

// Source is the text of one inventory file and the name it is reported under. It is the TOML layer's
// type, so that files go to tomldoc.Decode as they are read and a policy file is read the same way.
type Source = tomldoc.Source

// Options tune a load.
type Options struct {
	// Now is the clock that dates the load: a group's tested date after Now's day is an error. It is
	// required: the command line builds one clock per run (honouring SOURCE_DATE_EPOCH) and tests
	// pass a fixed one, so that no result depends on the day it is computed.
	Now func() time.Time
}

func (o Options) today() string {
	if o.Now == nil {
		panic("inventory: Options.Now is required")
	}
	return o.Now().Format(time.DateOnly)
}

// Load reads the inventory at path (a .toml file or a folder). Files are named in diagnostics by their
// path as reached from path, so that editors and terminals can open them.
func Load(path string, opts Options) (*model.Inventory, diag.List) {
	srcs, diags := Read(path)
	if diags.HasErrors() {
		return nil, diags
	}
	return Parse(srcs, opts)
}

// MaxFileSize is the largest inventory file read: far above any real file (a 100,000-entity
// platform is about 20 MB in all), and a bound on what a mistaken path (a device, a huge log) costs.
const MaxFileSize = 256 << 20

// Read returns the inventory files at path, in sorted order, and a problem for each file or folder
// that cannot be read, named by its own path. Only regular files are read (a FIFO would block, a
// device never end), each at most MaxFileSize.
func Read(root string) ([]Source, diag.List) {
	var diags diag.List
	info, err := os.Stat(root)
	if err != nil {
		diags.Errorf(diag.Pos{File: root}, "cannot read inventory: %s", diag.DescribeFSError(err))
		return nil, diags
	}
	if !info.IsDir() {
		data, err := readFile(os.DirFS(filepath.Dir(root)), filepath.Base(root))
		if err != nil {
			diags.Errorf(diag.Pos{File: root}, "cannot read inventory: %s", diag.DescribeFSError(err))
			return nil, diags
		}
		return []Source{{Name: root, Data: data}}, nil
	}
	srcs, diags := ReadFS(os.DirFS(root), ".", func(name string) string { return filepath.Join(root, filepath.FromSlash(name)) })
	if len(srcs) == 0 && !diags.HasErrors() {
		diags.Errorf(diag.Pos{File: root}, "no .toml file found in %s", root)
	}
	return srcs, diags
}

// readFile reads the regular file name in fsys, at most MaxFileSize of it.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name) // follows symbolic links: a link is read as its target
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): only regular files and links to them are read", describeMode(fi.Mode()))
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB: split the inventory into several files", MaxFileSize>>20)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize { // it grew while being read
		return nil, fmt.Errorf("larger than %d MiB: split the inventory into several files", MaxFileSize>>20)
	}
	return data, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "type " + m.Type().String()
}

// WalkFiles returns the paths of the files under dir in fsys whose base name match accepts, in walk
// order, skipping folders whose name starts with "." (.git and the like). When dir is a file, it is
// returned whatever its name.
func WalkFiles(fsys fs.FS, dir string, match func(name string) bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if p == dir || match(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Loads reports whether a file at the slash path rel inside an inventory folder is read as part of the
// inventory (or, named spof-policy.toml, as its policy): a .toml file outside hidden folders.
func Loads(rel string) bool {
	if !strings.HasSuffix(rel, ".toml") {
		return false
	}
	for _, seg := range strings.Split(path.Dir(rel), "/") {
		if seg != "." && strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

// ReadFS returns every *.toml file under dir in fsys, sorted by path, skipping folders whose name starts
// with "."; display turns a slash path in fsys into the name diagnostics show. A file or folder that
// cannot be read is a problem reported at its own name, and the others are still read.
func ReadFS(fsys fs.FS, dir string, display func(string) string) ([]Source, diag.List) {
	var diags diag.List
	var names []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Errorf(diag.Pos{File: display(path.Clean(p))}, "cannot read inventory: %s", diag.DescribeFSError(err))
			return nil // a folder that cannot be listed is skipped; the walk goes on
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if name := d.Name(); strings.HasSuffix(name, ".toml") && name != PolicyFile {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		diags.Errorf(diag.Pos{File: display(dir)}, "cannot read inventory: %s", diag.DescribeFSError(err))
	}
	slices.Sort(names)
	srcs := make([]Source, 0, len(names))
	for _, n := range names {
		name := display(path.Clean(n))
		data, err := readFile(fsys, n)
		if err != nil {
			diags.Errorf(diag.Pos{File: name}, "cannot read inventory file: %s", diag.DescribeFSError(err))
			continue
		}
		srcs = append(srcs, Source{Name: name, Data: data})
	}
	return srcs, diags
}

// Parse decodes and validates srcs as one inventory. It returns the inventory, or nil and every problem
// found, sorted by file and line.
func Parse(srcs []Source, opts Options) (*model.Inventory, diag.List) {
	today := opts.today()
	files := decodeAll(srcs, today)
	b := newBuilder(today)
	n, refs := 0, 0
	for _, f := range files {
		if f.b != nil {
			n += len(f.b.entities)
			refs += len(f.b.refs)
		}
	}
	b.entities = make([]model.Entity, 0, n) // one allocation: entities are large
	b.refs = make([]pending, 0, refs)
	b.declared = make(map[string]diag.Pos, n)
	for _, f := range files {
		if f.err != nil {
			b.diags = append(b.diags, f.err...)
			continue
		}
		b.merge(f.b)
	}
	return b.finish(srcs)
}

// MaxGroupDepth is how deeply redundancy groups may nest, one inside another: far beyond any real
// platform, and checked on the text before it is decoded, because the TOML decoder's memory grows with
// the square of the nesting (10,000 nested groups, 400 KB of TOML, took 8 GB).
const MaxGroupDepth = 64

// groupLimits bounds the nesting of groups, the only inline tables of an inventory.
var groupLimits = tomldoc.Limits{Tables: MaxGroupDepth, Noun: "groups"}

// decoded is one file after TOML decoding and building: the entities built from it, or its syntax
// error.
type decoded struct {
	b   *builder
	err diag.List
}

// decodeAll decodes the files and builds their entities in parallel: that is most of a large
// inventory's load time, and files are independent until references are resolved. Results keep the
// input order so everything after stays deterministic.
func decodeAll(srcs []Source, today string) []decoded {
	out := make([]decoded, len(srcs))
	workers := min(runtime.GOMAXPROCS(0), len(srcs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				doc, err := tomldoc.DecodeWithin(srcs[i], groupLimits)
				out[i].err = err
				if err == nil {
					// The decoded values are garbage once built: keep only the builder.
					out[i].b = newBuilder(today)
					out[i].b.addFile(doc)
				}
			}
		})
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
