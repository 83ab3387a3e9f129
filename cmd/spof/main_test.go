package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/spofhq/spof/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script from the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"spof": func() { os.Exit(cli.Main(os.Args[1:], cli.System())) },
	})
}

// TestScript runs the CLI scenarios in testdata/script: one .txtar per scenario, with the command, its
// expected output and its input files. $REPO is the repository root: scripts cd there to run the shipped
// examples exactly as a user does, with the same relative paths in the output. Run with -update to refresh the expected output.
//
// spof diagram --format svg runs spof-render, which the test builds once into a temporary folder and
// names in $SPOF_RENDER. It is built rather than linked into the test binary: go-graphviz compiles its
// WebAssembly at start-up, and every spof command of every script would pay for it.
func TestScript(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	renderer := filepath.Join(t.TempDir(), "spof-render")
	if out, err := exec.Command(goTool(t), "build", "-o", renderer, "github.com/spofhq/spof/cmd/spof-render").CombinedOutput(); err != nil {
		t.Fatalf("build spof-render: %v\n%s", err, out)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("SPOF_RENDER", renderer)
			return nil
		},
	})
}

// TestSpofDoesNotLinkGraphviz keeps go-graphviz out of spof: its WebAssembly start-up (about a second
// cold) would delay every command, validate and analyze included. Only cmd/spof-render may import it.
func TestSpofDoesNotLinkGraphviz(t *testing.T) {
	out, err := exec.Command(goTool(t), "list", "-deps", "github.com/spofhq/spof/cmd/spof").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "goccy/go-graphviz") || strings.Contains(pkg, "tetratelabs/wazero") || strings.HasSuffix(pkg, "internal/render/svg") {
			t.Errorf("spof depends on %s; only spof-render may", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/spofhq/spof/internal/render\n") {
		t.Error("go list -deps does not list internal/render: the check would pass vacuously")
	}
}

// goTool returns the go command that runs the tests.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	t.Skip("no go command on PATH to build spof-render or list dependencies")
	return ""
}
