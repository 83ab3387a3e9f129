// Package inventory reads TOML inventory files into a model.Inventory, checking everything a user can get
// wrong and reporting each problem with its file, line and column. It is the only user of BurntSushi/toml.
//
// An inventory is one .toml file or a folder: every *.toml under it, recursively, in sorted path order;
// folders whose name starts with "." are skipped, and so is the policy file spof-policy.toml.
package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomlpos"
)

// PolicyFile is the name of the CI policy file, which may sit at the inventory root and is not part of
// the inventory.
const PolicyFile = "spof-policy.toml"

// Source is the text of one inventory file and the name it is reported under.
type Source struct {
	Name string
	Data []byte
}

// Options tune a load.
type Options struct {
	// Now is the clock that dates the load: a group's tested date after Now's day is an error. Nil
	// means time.Now.
	Now func() time.Time
}

func (o Options) today() string {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	return now().Format(time.DateOnly)
}

// Load reads the inventory at path (a .toml file or a folder) with the default options. Files are named
// in diagnostics by their path as reached from path, so that editors and terminals can open them.
func Load(path string) (*model.Inventory, diag.List) { return LoadWith(path, Options{}) }

// LoadWith is Load with options.
func LoadWith(path string, opts Options) (*model.Inventory, diag.List) {
	srcs, diags := Read(path)
	if diags.HasErrors() {
		return nil, diags
	}
	return ParseWith(srcs, opts)
}

// Read returns the inventory files at path, in sorted order.
func Read(root string) ([]Source, diag.List) {
	var diags diag.List
	info, err := os.Stat(root)
	if err != nil {
		diags.Errorf(diag.Pos{File: root}, "cannot read inventory: %s", describeFSError(err))
		return nil, diags
	}
	if !info.IsDir() {
		data, err := os.ReadFile(root)
		if err != nil {
			diags.Errorf(diag.Pos{File: root}, "cannot read inventory: %s", describeFSError(err))
			return nil, diags
		}
		return []Source{{Name: root, Data: data}}, nil
	}
	srcs, err := ReadFS(os.DirFS(root), ".", func(name string) string { return filepath.Join(root, filepath.FromSlash(name)) })
	if err != nil {
		diags.Errorf(diag.Pos{File: root}, "cannot read inventory: %s", describeFSError(err))
		return nil, diags
	}
	if len(srcs) == 0 {
		diags.Errorf(diag.Pos{File: root}, "no .toml file found in %s", root)
	}
	return srcs, diags
}

// ReadFS returns every *.toml file under dir in fsys, sorted by path, skipping folders whose name starts
// with "."; display turns a slash path in fsys into the name diagnostics show.
func ReadFS(fsys fs.FS, dir string, display func(string) string) ([]Source, error) {
	var names []string
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
		if strings.HasSuffix(d.Name(), ".toml") && d.Name() != PolicyFile {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	srcs := make([]Source, len(names))
	for i, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		srcs[i] = Source{Name: display(path.Clean(n)), Data: data}
	}
	return srcs, nil
}

func describeFSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// Parse decodes and validates srcs as one inventory with the default options. It returns the inventory,
// or nil and every problem found, sorted by file and line.
func Parse(srcs []Source) (*model.Inventory, diag.List) { return ParseWith(srcs, Options{}) }

// ParseWith is Parse with options.
func ParseWith(srcs []Source, opts Options) (*model.Inventory, diag.List) {
	files := decodeAll(srcs)
	b := newBuilder(opts.today())
	for _, f := range files {
		b.addFile(f)
	}
	return b.finish(srcs)
}

// decoded is one file after TOML decoding: its data, its position index, or its syntax error.
type decoded struct {
	name  string
	data  map[string]any
	index *tomlpos.Index
	err   diag.List
}

// decodeAll decodes the files in parallel: decoding is most of a large inventory's load time, and files
// are independent. Results keep the input order so everything after stays deterministic.
func decodeAll(srcs []Source) []decoded {
	out := make([]decoded, len(srcs))
	workers := min(runtime.GOMAXPROCS(0), len(srcs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = decodeOne(srcs[i])
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

func decodeOne(src Source) decoded {
	d := decoded{name: src.Name}
	var data map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(src.Data)).Decode(&data); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if msg == "" {
				msg = pe.Error()
			}
			d.err.Errorf(diag.Pos{File: src.Name, Line: pe.Position.Line, Col: pe.Position.Col}, "invalid TOML: %s", lowerFirst(msg))
		} else {
			d.err.Errorf(diag.Pos{File: src.Name}, "invalid TOML: %s", lowerFirst(err.Error()))
		}
		return d
	}
	d.data = data
	d.index = tomlpos.Scan(src.Data)
	return d
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "TOML") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// typeName names a decoded TOML value's type the way the TOML spec does, with its article.
func typeName(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time:
		// BurntSushi marks TOML's local dates and times by the names of their locations.
		switch x.Location().String() {
		case "date-local":
			return "a date"
		case "time-local":
			return "a time"
		}
		return "a date-time"
	}
	return fmt.Sprintf("a %T", v)
}
