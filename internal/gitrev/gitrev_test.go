package gitrev

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git repository in a temporary folder and returns its path and a function that runs git
// in it.
func repo(t *testing.T) (string, func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("init", "-q", "-b", "main")
	return dir, run
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSources(t *testing.T) {
	dir, git := repo(t)
	inv := filepath.Join(dir, "inv")
	write(t, filepath.Join(inv, "b.toml"), "[vms.b]\n")
	write(t, filepath.Join(inv, "sub", "a.toml"), "[vms.a]\n")
	write(t, filepath.Join(inv, "spof-policy.toml"), "# not inventory\n")
	write(t, filepath.Join(inv, ".hidden", "c.toml"), "[vms.c]\n")
	write(t, filepath.Join(inv, "notes.md"), "# not toml\n")
	write(t, filepath.Join(dir, "other", "d.toml"), "[vms.d]\n")
	git("add", ".")
	git("commit", "-q", "-m", "baseline")
	// The next commit and an uncommitted edit must not show through.
	write(t, filepath.Join(inv, "b.toml"), "[vms.b2]\n")
	git("commit", "-q", "-am", "change")
	write(t, filepath.Join(inv, "sub", "a.toml"), "[vms.dirty]\n")

	srcs, err := Sources(context.Background(), inv, "HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range srcs {
		got = append(got, s.Name+"="+strings.TrimSpace(string(s.Data)))
	}
	want := "HEAD~1:inv/b.toml=[vms.b] HEAD~1:inv/sub/a.toml=[vms.a]"
	if strings.Join(got, " ") != want {
		t.Errorf("Sources = %q, want %q", strings.Join(got, " "), want)
	}
	if status := git("status", "--porcelain"); status != " M inv/sub/a.toml\n" {
		t.Errorf("work tree changed: git status = %q", status)
	}

	// A single file, and a path given relative to the current directory.
	t.Chdir(dir)
	srcs, err = Sources(context.Background(), "inv/b.toml", "main")
	if err != nil || len(srcs) != 1 || string(srcs[0].Data) != "[vms.b2]\n" || srcs[0].Name != "main:inv/b.toml" {
		t.Errorf("Sources(file) = %+v, %v", srcs, err)
	}
}

func TestSourcesErrors(t *testing.T) {
	dir, git := repo(t)
	write(t, filepath.Join(dir, "old", "a.toml"), "[vms.a]\n")
	git("add", ".")
	git("commit", "-q", "-m", "baseline")
	write(t, filepath.Join(dir, "new", "a.toml"), "[vms.a]\n")

	// An inventory the revision does not have yet is an empty baseline, not an error.
	if srcs, err := Sources(context.Background(), filepath.Join(dir, "new"), "HEAD"); err != nil || srcs != nil {
		t.Errorf("Sources(new folder) = %v, %v; want nothing", srcs, err)
	}
	_, err := Sources(context.Background(), filepath.Join(dir, "old"), "origin/nope")
	if err == nil || !strings.Contains(err.Error(), `unknown git revision "origin/nope"`) {
		t.Errorf("unknown revision: %v", err)
	}
	_, err = Sources(context.Background(), t.TempDir(), "HEAD")
	if err == nil || !strings.Contains(err.Error(), "is not in a git work tree") {
		t.Errorf("outside a repository: %v", err)
	}
}
