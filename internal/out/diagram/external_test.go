package diagram

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRendererTempIsTheUsers checks where spof-render keeps go-graphviz's cache: never the shared
// /tmp/go-graphviz, which the first user to render owns and every other user crashed on.
func TestRendererTempIsTheUsers(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir, done, err := rendererTemp()
	if err != nil {
		t.Fatal(err)
	}
	done()
	if want := filepath.Join(cache, "spof"); dir != want {
		t.Errorf("with a cache folder: TMPDIR %s, want %s", dir, want)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the cache folder must stay, private: %v %v", fi.Mode(), err)
	}

	// Without a cache folder: a private one for the run, removed after it.
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv("TMPDIR", t.TempDir())
	dir, done, err = rendererTemp()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 || filepath.Dir(dir) != os.TempDir() {
		t.Fatalf("without a cache folder: TMPDIR %s (%v %v), want a private folder in %s", dir, fi.Mode(), err, os.TempDir())
	}
	done()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the run's folder %s is left behind (%v)", dir, err)
	}
}
