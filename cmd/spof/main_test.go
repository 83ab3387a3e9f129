package main

import (
	"flag"
	"os"
	"path/filepath"
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
func TestScript(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
