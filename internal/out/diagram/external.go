package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RendererName is the program that turns DOT into SVG (cmd/spof-render).
const RendererName = "spof-render"

// ErrNoRenderer says spof-render could not be found.
var ErrNoRenderer = errors.New("svg output needs " + RendererName + ", found neither in $SPOF_RENDER, next to spof, nor on $PATH; " +
	"install it with: go install github.com/spofhq/spof/cmd/spof-render@latest (or build ./cmd/spof-render next to spof)")

// FindRenderer returns the path of spof-render: $SPOF_RENDER, else next to the running executable,
// else on $PATH.
func FindRenderer(getenv func(string) string) (string, error) {
	if p := getenv("SPOF_RENDER"); p != "" {
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), RendererName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(RendererName); err == nil {
		return p, nil
	}
	return "", ErrNoRenderer
}

// Renderer renders DOT text to an SVG document.
type Renderer func(dot []byte) ([]byte, error)

// NewRenderer returns the Renderer that runs spof-render, found as FindRenderer finds it, or nil and
// ErrNoRenderer.
func NewRenderer(getenv func(string) string) (Renderer, error) {
	path, err := FindRenderer(getenv)
	if err != nil {
		return nil, err
	}
	return func(dot []byte) ([]byte, error) { return SVG(path, dot) }, nil
}

// SVG renders DOT text with the renderer at path and returns the SVG document.
func SVG(renderer string, dot []byte) ([]byte, error) {
	tmp, done, err := rendererTemp()
	if err != nil {
		return nil, fmt.Errorf("render svg with %s: %w", renderer, err)
	}
	defer done()
	cmd := exec.Command(renderer)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stdin = bytes.NewReader(dot)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		// A crash prints a Go stack trace: its first line says what went wrong.
		msg, _, _ := strings.Cut(strings.TrimSpace(errb.String()), "\n")
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("render svg with %s: %s", renderer, msg)
	}
	return out.Bytes(), nil
}

// rendererTemp returns the TMPDIR of spof-render and what removes it after the run. go-graphviz
// keeps its compiled WebAssembly in $TMPDIR/go-graphviz; in the shared /tmp that folder belongs to
// whoever ran it first, and every other user of the machine crashed on it (or would run code that
// another user left there). TMPDIR is the user's own cache folder, or, without one, a private
// folder made for the run and removed after it (no cache: about a second more per diagram).
func rendererTemp() (string, func(), error) {
	dir, err := os.UserCacheDir()
	if err == nil {
		dir = filepath.Join(dir, "spof")
		if err = os.MkdirAll(dir, 0o700); err == nil {
			return dir, func() {}, nil
		}
	}
	dir, err = os.MkdirTemp("", "spof-render-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
