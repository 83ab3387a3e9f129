package canonical

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSource checks that formatting never panics, and that whatever it returns is stable: Source
// itself refuses any output whose data differs from the input's.
func FuzzSource(f *testing.F) {
	files, _ := filepath.Glob("../../inventories/*/*/*.toml")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"#:schema x\n[vms.a] # c\nhost = { any_of = [\"a\", 'b'] } # t\n",
		"a = \"\"\"\nx\"\"\"\"\n[[b]]\nc = [\n 1, # x\n]\n",
		"[x]\ny.z = 1979-05-27 07:32:00\n'q' . \"r\" = {}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, diags := Source("f.toml", src)
		if diags != nil {
			return
		}
		again, diags := Source("f.toml", out)
		if diags != nil {
			t.Fatalf("formatted text does not format:\n%s\n%v", out, diags)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n--- input\n%q\n--- first\n%s\n--- second\n%s", src, out, again)
		}
	})
}
