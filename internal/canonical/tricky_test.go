package canonical

import "testing"

// TestTricky covers TOML the canonical layout must survive: each input is formatted, checked for data
// and comments and idempotence, and compared with the expected text.
func TestTricky(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"comments only", "# a\n\n# b\n", "# a\n\n# b\n"},
		{"crlf and bom", "\uFEFF[vms.a]\r\nhost = \"h\" # x\r\nname = \"A\"\r\n", "[vms.a]\nname = \"A\"\nhost = \"h\" # x\n"},
		{"quoted keys", "[\"vms\".'a'.\"b c\"]\n\"name\" = 1\n", "[vms.a.\"b c\"]\nname = 1\n"},
		{"dotted keys stay together", "[services.s]\nruns_on.at_least = 1\nname = \"n\"\nruns_on.of = [\"a\"]\n",
			"[services.s]\nname = \"n\"\nruns_on.at_least = 1\nruns_on.of = [\"a\"]\n"},
		{"sub-table follows its kind", "[services.s]\nname = \"n\"\n[providers.p]\n[services.s.runs_on]\nany_of=[\"a\",\"b\"]\n",
			"[providers.p]\n\n[services.s]\nname = \"n\"\n\n[services.s.runs_on]\nany_of = [\"a\", \"b\"]\n"},
		{"multi-line strings", "[vms.a]\ndescription = '''\nx # not a comment\n'''\nname = \"\"\"a\"\"\"\"\n",
			"[vms.a]\nname = \"\"\"a\"\"\"\"\ndescription = '''\nx # not a comment\n'''\n"},
		{"strings with brackets and hashes", "[vms.a]\nname = \"[#{x}]\"\ntags=['a]','b#',\"c\\\"]\"]\n",
			"[vms.a]\nname = \"[#{x}]\"\ntags = ['a]', 'b#', \"c\\\"]\"]\n"},
		{"dates and numbers", "[vms.a]\nx = 1979-05-27 07:32:00Z\ny = [1_000, +inf, 0x1F, -0.5e3]\n",
			"[vms.a]\nx = 1979-05-27 07:32:00Z\ny = [1_000, +inf, 0x1F, -0.5e3]\n"},
		{"nested inline tables", "[services.s]\nruns_on={any_of=[{all_of=[\"a\",\"b\"]},\"c\"],}\n",
			"[services.s]\nruns_on = { any_of = [{ all_of = [\"a\", \"b\"] }, \"c\"] }\n"},
		{"empty containers", "[services.s]\nx = [ ]\ny = { }\n", "[services.s]\nx = []\ny = {}\n"},
		{"multi-line array kept", "[services.s]\ndepends_on = [\n  \"a\", # why\n  \"b\"\n] # end\nname = \"s\"\n",
			"[services.s]\nname = \"s\"\ndepends_on = [\n  \"a\", # why\n  \"b\"\n] # end\n"},
		{"top-level keys and arrays of tables", "# doc\n\nx = 1\n[[vms]]\na = 1\n[providers.p]\n[[vms]]\nb = 2\n",
			"# doc\n\nx = 1\n\n[providers.p]\n\n[[vms]]\na = 1\n\n[[vms]]\nb = 2\n"},
		{"comment attachment", "# file\n\n# banner\n\n[vms.b]\nhost = \"h\"\n# about b's name\nname = \"B\"\n# left at the end of b\n\n# about a\n[providers.a]\n",
			"# file\n\n# about a\n[providers.a]\n\n# banner\n[vms.b]\n# about b's name\nname = \"B\"\nhost = \"h\"\n# left at the end of b\n"},
		{"schema directive stays first", "#:schema ./spof.schema.json\n[vms.b]\n[providers.a]\n",
			"#:schema ./spof.schema.json\n\n[providers.a]\n\n[vms.b]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := check(t, c.name+".toml", []byte(c.in))
			if string(got) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}
