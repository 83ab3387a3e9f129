package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/spofhq/spof/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script from the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"spof": func() {
			code := cli.Main(os.Args[1:], cli.System())
			// The status command of the scripts reads it back.
			if f := os.Getenv(statusFile); f != "" {
				if err := os.WriteFile(f, []byte(strconv.Itoa(code)), 0o644); err != nil {
					fmt.Fprintln(os.Stderr, err)
					code = 125
				}
			}
			os.Exit(code)
		},
	})
}

// statusFile names the file where each spof run of a script leaves its exit status.
const statusFile = "SPOF_TEST_STATUS_FILE"

// testEpoch is the clock of every script (SOURCE_DATE_EPOCH, 2026-11-25 09:00 UTC): the scripts'
// output never depends on the day they run.
const testEpoch = "1795597200"

// cmdStatus is the script command "status N": the last spof command exited with status N. Every
// script that expects a failure states which, so that the exit-status contract (0 ok, 1 policy
// violated or file would change, 2 invalid input or usage) is pinned.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: status N")
	}
	data, err := os.ReadFile(ts.Getenv(statusFile))
	if err != nil {
		ts.Fatalf("status: no spof command has run: %v", err)
	}
	if got := string(data); got != args[0] {
		ts.Fatalf("spof exited with status %s, want %s", got, args[0])
	}
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
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus},
		Setup: func(env *testscript.Env) error {
			env.Setenv("SOURCE_DATE_EPOCH", testEpoch)
			env.Setenv(statusFile, filepath.Join(env.WorkDir, ".spof-status"))
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
		if strings.Contains(pkg, "goccy/go-graphviz") || strings.Contains(pkg, "tetratelabs/wazero") || strings.HasSuffix(pkg, "internal/out/diagram/svg") {
			t.Errorf("spof depends on %s; only spof-render may", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/spofhq/spof/internal/out/diagram\n") {
		t.Error("go list -deps does not list internal/out/diagram: the check would pass vacuously")
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
