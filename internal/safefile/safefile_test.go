package safefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(path, content string) error {
	return WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, content); return err })
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WriteFile error = %v, want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file = %q after a failed write, want the old content", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
	if err := write(path, "new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file = %q, want new", got)
	}
}

// A symbolic link stays a link, and its target gets the content; the target keeps its mode.
func TestWriteFileThroughLinkKeepsMode(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "inv.toml")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.toml")
	if err := os.Symlink("real/inv.toml", link); err != nil {
		t.Fatal(err)
	}
	if err := write(link, "new"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced by a regular file: %v, %v", fi.Mode(), err)
	}
	got, _ := os.ReadFile(target)
	fi, _ := os.Stat(target)
	if string(got) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("target = %q, mode %v; want \"new\", -rw-------", got, fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(target)); len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
}

func TestWriteFileNewFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.svg")
	if err := write(path, "x"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != newFileMode {
		t.Errorf("mode = %v, want %v", fi.Mode().Perm(), os.FileMode(newFileMode))
	}
}

// Errors name the output, never the temporary file next to it.
func TestWriteFileErrorsNameTheOutput(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "out.md")
	err := write(path, "x")
	if err == nil || !strings.Contains(err.Error(), path+":") || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("error = %v, want it to name %s and no temporary file", err, path)
	}
}

// TestWriteFileStreamsToSpecialFiles checks that a named pipe (or a device: -o /dev/stdout) is
// written directly: it cannot be replaced by a rename, and renaming over it would remove it.
func TestWriteFileStreamsToSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan string)
	go func() {
		b, err := os.ReadFile(fifo)
		if err != nil {
			t.Error(err)
		}
		got <- string(b)
	}()
	if err := write(fifo, "through the pipe"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("read %q from the pipe", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is gone or replaced: %v %v", fi, err)
	}
	if err := write(os.DevNull, "x"); err != nil {
		t.Errorf("write %s: %v", os.DevNull, err)
	}
}

func TestSameAndWithin(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "inv")
	if err := os.MkdirAll(filepath.Join(inv, "voice"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(inv, "voice", "numbers.toml")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(inv, filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("inv/voice/numbers.toml", filepath.Join(dir, "link.toml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("inv/voice/new.toml", filepath.Join(dir, "dangling.toml")); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"inv/voice/numbers.toml", file, true},
		{"./inv/voice/../voice/numbers.toml", "inv/voice/numbers.toml", true},
		{"alias/voice/numbers.toml", "inv/voice/numbers.toml", true},
		{"link.toml", "inv/voice/numbers.toml", true},
		{"inv/voice/other.toml", "inv/voice/numbers.toml", false},
	} {
		if got := Same(tt.a, tt.b); got != tt.want {
			t.Errorf("Same(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	for _, tt := range []struct {
		dir, path, rel string
		ok             bool
	}{
		{"inv", "inv/review.toml", "review.toml", true},
		{"inv", "alias/voice/x.toml", "voice/x.toml", true},
		{"alias", "inv/new/deep/x.toml", "new/deep/x.toml", true},
		{"inv", "dangling.toml", "voice/new.toml", true},
		{"inv", "inv", "", false},
		{"inv", "review.toml", "", false},
		{"inv", "invalid/x.toml", "", false},
	} {
		rel, ok := Within(tt.dir, tt.path)
		if rel != tt.rel || ok != tt.ok {
			t.Errorf("Within(%q, %q) = %q, %v; want %q, %v", tt.dir, tt.path, rel, ok, tt.rel, tt.ok)
		}
	}
}
