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
	cmd := exec.Command(renderer)
	cmd.Stdin = bytes.NewReader(dot)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("render svg with %s: %s", renderer, msg)
	}
	return out.Bytes(), nil
}
