package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
	"github.com/spofhq/spof/internal/tomldoc"
)

var update = flag.Bool("update", false, "rewrite docs/spof.schema.json from the generator")

// golden is the published schema, which editors can point at; it must be what spof schema prints.
const golden = "../../docs/spof.schema.json"

func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Generate(&b); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("spof schema differs from %s; run go test ./internal/schema -update and review the diff", golden)
	}
}

func compile(t testing.TB) *jsonschema.Schema {
	t.Helper()
	var b bytes.Buffer
	if err := Generate(&b); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("spof.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("spof.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate decodes a TOML document as the loader does and checks it against the schema, through JSON
// as an editor would see it.
func validate(t testing.TB, s *jsonschema.Schema, name string, src []byte) error {
	t.Helper()
	data, diags := tomldoc.DecodeData(tomldoc.Source{Name: name, Data: src})
	if diags != nil {
		t.Fatalf("%s: %v", name, diags)
	}
	js, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

func TestExamplesValidate(t *testing.T) {
	s := compile(t)
	files, err := filepath.Glob("../../inventories/*/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../inventories/*/*/*.toml")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d example files, want the shipped inventories", len(files))
	}
	for _, f := range files {
		if filepath.Base(f) == inventory.PolicyFile {
			continue // a CI policy beside the inventory, not part of it
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, s, f, src); err != nil {
			t.Errorf("%s does not validate against the schema:\n%v", f, err)
		}
	}
}

func TestGeneratedValidate(t *testing.T) {
	s := compile(t)
	var b bytes.Buffer
	if _, err := gen.Generate(&b, gen.Options{Entities: 2000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if err := validate(t, s, "generated.toml", b.Bytes()); err != nil {
		t.Errorf("generated inventory does not validate:\n%v", err)
	}
}

// base declares one entity of each kind, named after it, so snippets can reference them.
const base = `
[providers.prov]
[services.svc]
[numbers.num]
number = "+33 4 66 00 00 09"
[vms.vm]
[components.comp]
`

var baseIDs = map[model.Kind]string{model.Provider: "prov", model.Service: "svc", model.Number: "num", model.VM: "vm", model.Component: "comp"}

// mistakes are inputs the loader rejects and the schema can express.
var mistakes = []struct{ name, src string }{
	{"unknown table", "[provider.x]\n"},
	{"top-level key", "name = \"x\"\n"},
	{"table not of entities", "services = 3\n"},
	{"entity not a table", "[services]\nx = 3\n"},
	{"unknown key", "[services.x]\nownr = \"a\"\n"},
	{"key of another kind", "[vms.x]\ntier = \"high\"\n"},
	{"bad tier", "[services.x]\ntier = \"critcal\"\n"},
	{"bad id", "[services.Web-Shop]\n"},
	{"bad id leading dash", "[services.-x]\n"},
	{"bad phone", "[numbers.x]\nnumber = \"fax\"\n"},
	{"phone too short", "[numbers.x]\nnumber = \"+33 4\"\n"},
	{"phone leading zero", "[numbers.x]\nnumber = \"+0 4 66 00 00 01\"\n"},
	{"availability zero", "[vms.x]\navailability = 0\n"},
	{"availability above one", "[vms.x]\navailability = 1.5\n"},
	{"tag not a string", "[vms.x]\ntags = [\"a\", 1]\n"},
	{"empty any_of", "[services.x]\nruns_on = { any_of = [] }\n"},
	{"empty of", "[services.x]\nruns_on = { at_least = 1, of = [] }\n"},
	{"at_least zero", "[services.x]\nruns_on = { at_least = 0, of = [\"vm\"] }\n"},
	{"at_least not an integer", "[services.x]\nruns_on = { at_least = \"2\", of = [\"vm\"] }\n"},
	{"of without at_least", "[services.x]\nruns_on = { of = [\"vm\"] }\n"},
	{"at_least without of", "[services.x]\nruns_on = { at_least = 1, any_of = [\"vm\"] }\n"},
	{"conflicting group keys", "[services.x]\nruns_on = { any_of = [\"vm\"], all_of = [\"comp\"] }\n"},
	{"unknown group key", "[services.x]\nruns_on = { any_of = [\"vm\"], tested = 3 }\n"},
	{"misspelt group key", "[services.x]\nruns_on = { at_least = 1, off = [\"vm\"] }\n"},
	{"empty group", "[services.x]\nruns_on = {}\n"},
	{"nested array", "[services.x]\nruns_on = [[\"vm\"]]\n"},
	{"reference not an id", "[services.x]\nruns_on = 3\n"},
	{"group member not an id", "[services.x]\nruns_on = { any_of = [3] }\n"},
	{"reference to a bad id", "[services.x]\ndepends_on = \"Web Shop\"\n"},
	{"incident without failed", "[incidents.i]\ntitle = \"t\"\nstarted = 2026-01-02T10:00:00Z\nended = 2026-01-02T11:00:00Z\nimpacted = []\n"},
	{"incident empty failed", "[incidents.i]\ntitle = \"t\"\nstarted = 2026-01-02T10:00:00Z\nended = 2026-01-02T11:00:00Z\nfailed = []\nimpacted = []\n"},
	{"incident failed a group", "[incidents.i]\ntitle = \"t\"\nstarted = 2026-01-02T10:00:00Z\nended = 2026-01-02T11:00:00Z\nfailed = { any_of = [\"vm\"] }\nimpacted = []\n"},
	{"incident unknown key", "[incidents.i]\ntitle = \"t\"\nstarted = 2026-01-02T10:00:00Z\nended = 2026-01-02T11:00:00Z\nfailed = [\"vm\"]\nimpacted = []\nimpact = []\n"},
	{"incident started a string", "[incidents.i]\ntitle = \"t\"\nstarted = \"yesterday\"\nended = 2026-01-02T11:00:00Z\nfailed = [\"vm\"]\nimpacted = []\n"},
	{"incident bad id", "[incidents.\"Big One\"]\ntitle = \"t\"\nstarted = 2026-01-02T10:00:00Z\nended = 2026-01-02T11:00:00Z\nfailed = [\"vm\"]\nimpacted = []\n"},
}

func TestMistakesRejectedByBoth(t *testing.T) {
	s := compile(t)
	for _, m := range mistakes {
		t.Run(m.name, func(t *testing.T) {
			src := []byte(base + m.src)
			if strings.HasPrefix(m.name, "top-level") {
				src = []byte(m.src + base) // keys after a header belong to that table
			}
			if _, diags := inventory.Parse([]inventory.Source{{Name: "m.toml", Data: src}}, testinv.Options()); !diags.HasErrors() {
				t.Errorf("the loader accepts %q; the mistake list is out of date", m.src)
			}
			if err := validate(t, s, "m.toml", src); err == nil {
				t.Errorf("the schema accepts %q, which the loader rejects", m.src)
			}
		})
	}
}

// samples are a valid and an invalid value of each value type. A new value type must be added here,
// which keeps this test and TestKeysBothWays exhaustive.
var samples = map[inventory.ValueType][2]string{
	inventory.String:      {`"x"`, `1`},
	inventory.Bool:        {`true`, `"yes"`},
	inventory.StringList:  {`["a", "b"]`, `"a"`},
	inventory.Fraction:    {`0.999`, `"high"`},
	inventory.TierName:    {`"high"`, `1`},
	inventory.PhoneNumber: {`"+1 212 555 0100"`, `12125550100`},
	inventory.Requirement: {`"%s"`, `1`},
	inventory.IDList:      {`["%s"]`, `1`},
	inventory.RoleName:    {`"status"`, `"monitor"`},
	inventory.Objective:   {`0.999`, `"high"`},
}

// pairedTypes are value types whose keys only make sense together (mttf_hours with mttr_hours), which
// a key-by-key test cannot exercise; the loader tests cover them.
var pairedTypes = map[inventory.ValueType]bool{inventory.Hours: true, inventory.PositiveHours: true}

// TestKeysBothWays derives cases from inventory.Keys, so keys added later are covered: every key with a
// valid value is accepted by both the loader and the schema where it applies, and rejected by both
// where it does not apply or when its value has the wrong type.
func TestKeysBothWays(t *testing.T) {
	s := compile(t)
	for _, spec := range inventory.Keys() {
		if pairedTypes[spec.Type] {
			continue
		}
		sample, ok := samples[spec.Type]
		if !ok {
			t.Errorf("key %s: no sample for its value type %d: add one to samples", spec.Name, spec.Type)
			continue
		}
		for _, k := range model.Kinds {
			applies := spec.Kinds == nil || contains(spec.Kinds, k)
			good := sample[0]
			if spec.Type == inventory.Requirement || spec.Type == inventory.IDList {
				target := model.Provider
				if spec.Targets != nil {
					target = spec.Targets[0]
				}
				good = fmt.Sprintf(good, baseIDs[target])
			}
			name := fmt.Sprintf("%s on %s", spec.Name, k.Table())
			ok := fmt.Sprintf("%s[%s.x]\n%s = %s\n", base, k.Table(), spec.Name, good)
			bad := fmt.Sprintf("%s[%s.x]\n%s = %s\n", base, k.Table(), spec.Name, sample[1])
			loaderOK := func(src string) bool {
				_, diags := inventory.Parse([]inventory.Source{{Name: "k.toml", Data: []byte(src)}}, testinv.Options())
				return !diags.HasErrors()
			}
			if got := loaderOK(ok); got != applies {
				t.Errorf("%s = %s: loader accepts %v, want %v", name, good, got, applies)
			}
			if got := validate(t, s, "k.toml", []byte(ok)) == nil; got != applies {
				t.Errorf("%s = %s: schema accepts %v, want %v", name, good, got, applies)
			}
			if loaderOK(bad) {
				t.Errorf("%s = %s: loader accepts a wrong type", name, sample[1])
			}
			if validate(t, s, "k.toml", []byte(bad)) == nil {
				t.Errorf("%s = %s: schema accepts a wrong type", name, sample[1])
			}
		}
	}
}

func TestBaseIsValid(t *testing.T) {
	if _, diags := inventory.Parse([]inventory.Source{{Name: "base.toml", Data: []byte(base)}}, testinv.Options()); diags.HasErrors() {
		t.Fatal(diags)
	}
	if err := validate(t, compile(t), "base.toml", []byte(base)); err != nil {
		t.Fatal(err)
	}
}

// TestGroupKeysCovered fails when the loader accepts a group key (inventory.GroupKeys) that the
// schema's group definition does not list: add it to groupSchema.
func TestGroupKeysCovered(t *testing.T) {
	b, err := json.Marshal(groupSchema())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range inventory.GroupKeyNames() {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("group key %s is accepted by the loader but missing from the schema's group definition", k)
		}
	}
}
