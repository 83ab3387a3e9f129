package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./internal/importer -update, then review):\n%s", path, got)
	}
}

// valid checks that an import's output is an inventory spof loads on its own.
func valid(t *testing.T, name string, src []byte) *model.Inventory {
	t.Helper()
	return testinv.ParseSources(t, []inventory.Source{{Name: name, Data: src}})
}

func diagText(t *testing.T, l diag.List) []byte {
	var b bytes.Buffer
	if err := diag.Write(&b, l); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func importBackstage(t *testing.T, fsys fstest.MapFS, o BackstageOptions) *Import {
	t.Helper()
	files, err := CatalogFiles(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	im := Backstage(fsys, files, func(p string) string { return "testdata/backstage/" + p }, o)
	im.Source = "the Backstage catalog in testdata/backstage"
	if im.Diags.HasErrors() {
		t.Fatal(im.Diags)
	}
	return im
}

// catalog loads the fixture into memory, so tests can change it.
func catalog(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	root := filepath.Join("testdata", "backstage")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func TestBackstage(t *testing.T) {
	im := importBackstage(t, catalog(t), BackstageOptions{})
	out, rep, diags := Merge("backstage.toml", nil, im)
	if diags != nil {
		t.Fatal(diags)
	}
	inv := valid(t, "backstage.toml", out)
	if inv.Len() < 20 {
		t.Errorf("imported %d entities, want the whole fixture (20+)", inv.Len())
	}
	if rep.Added != inv.Len() {
		t.Errorf("report %v, want %d added", rep, inv.Len())
	}
	golden(t, "backstage.golden.toml", out)
	golden(t, "backstage.golden.stderr", diagText(t, im.Diags))
}

func TestBackstageTierFlag(t *testing.T) {
	im := importBackstage(t, catalog(t), BackstageOptions{Tiers: map[string]model.Tier{"production": model.Critical, "beta": model.Low}})
	out, _, _ := Merge("b.toml", nil, im)
	inv := valid(t, "b.toml", out)
	for id, want := range map[string]model.Tier{"web-frontend": model.Critical, "admin-portal": model.Low, "fraud-scoring": model.Low, "storefront": model.Critical} {
		i, _ := inv.Lookup(id)
		if got := inv.Entities[i].Tier; got != want {
			t.Errorf("tier of %s = %s, want %s", id, got, want)
		}
	}
}

func TestBackstageNoStubs(t *testing.T) {
	im := importBackstage(t, catalog(t), BackstageOptions{NoStubs: true})
	out, _, _ := Merge("b.toml", nil, im)
	if strings.Contains(string(out), "[components.legacy-erp]") || !strings.Contains(string(out), `"legacy-erp"`) {
		t.Errorf("with NoStubs, legacy-erp must be referred to and not declared:\n%s", out)
	}
	if !strings.Contains(string(diagText(t, im.Diags)), "resource:default/legacy-erp is not in the catalog: referred to as legacy-erp, which the inventory must declare") {
		t.Errorf("missing warning:\n%s", diagText(t, im.Diags))
	}
}

// TestReimport edits an imported file the way a user would, changes the catalog, and imports again:
// the user's work stays, the source's changes arrive.
func TestReimport(t *testing.T) {
	first, _, _ := Merge("backstage.toml", nil, importBackstage(t, catalog(t), BackstageOptions{}))
	edited := string(first)
	replace := func(old, new string) {
		t.Helper()
		if !strings.Contains(edited, old) {
			t.Fatalf("fixture output lacks %q", old)
		}
		edited = strings.Replace(edited, old, new, 1)
	}
	// A redundancy group the catalog cannot express, an availability, comments, a protected tier.
	replace("[services.search]\nname = \"Search service\"\nowner = \"web-team\"\ntier = \"high\"\ndepends_on = \"search-cluster\"\n",
		"# Two clusters since the 2025 outage.\n[services.search]\nname = \"Search service\"\nowner = \"web-team\"\ntier = \"high\"\navailability = 0.999\ndepends_on = { any_of = [\"search-cluster\", \"search-cluster-b\"] }\n")
	replace("[components.search-cluster]\n", "[components.search-cluster-b]\ntype = \"search-cluster\"\n\n[components.search-cluster]\n")
	replace("[services.web-frontend]\nname = \"Shop website\"\ndescription = \"Server-rendered storefront at www.acme.example.\"\nowner = \"web-team\"\ntags = [\"web\", \"customer-facing\"]\ntier = \"high\"\n",
		"[services.web-frontend]\nname = \"Shop website\"\ndescription = \"Server-rendered storefront at www.acme.example.\"\nowner = \"web-team\"\ntags = [\"web\", \"customer-facing\"]\ntier = \"critical\" # spof:keep: the shop is the business\ncustomer_facing = true\n")
	valid(t, "edited.toml", []byte(edited))

	// The catalog changes: an owner moves, a component appears, one disappears, a dependency is added.
	fsys := catalog(t)
	cat := func(path, old, new string) {
		t.Helper()
		s := string(fsys[path].Data)
		if !strings.Contains(s, old) {
			t.Fatalf("%s lacks %q", path, old)
		}
		fsys[path] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
	}
	cat("storefront/catalog-info.yaml", "  name: cart-service\nspec:\n  type: service\n  lifecycle: production\n  owner: web-team",
		"  name: cart-service\nspec:\n  type: service\n  lifecycle: production\n  owner: checkout-team")
	cat("search/catalog-info.yaml", "  dependsOn: [resource:search-cluster]\n", "  dependsOn: [resource:search-cluster, resource:catalog-db]\n")
	cat("fulfilment/catalog-info.yaml", "  name: shipping-labels\n", "  name: shipping-portal\n")
	out, rep, diags := Merge("backstage.toml", []byte(edited), importBackstage(t, fsys, BackstageOptions{}))
	if diags != nil {
		t.Fatal(diags)
	}
	valid(t, "reimported.toml", out)
	golden(t, "backstage.reimport.golden.toml", out)
	got := rep.String() + "\n" + string(diagText(t, rep.Diags))
	golden(t, "backstage.reimport.golden.stderr", []byte(got))

	// Importing the same catalog again changes nothing.
	again, rep2, _ := Merge("backstage.toml", out, importBackstage(t, fsys, BackstageOptions{}))
	if !bytes.Equal(again, out) || rep2.Added+rep2.Updated != 0 {
		t.Errorf("a second identical import changed the file (%v)", rep2)
	}
}

func TestCSV(t *testing.T) {
	f, err := os.Open("testdata/cmdb-vms.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	im, err := CSV(f, "testdata/cmdb-vms.csv", CSVOptions{Kind: model.VM, IDColumn: "Hostname", Map: map[string]string{"host": "Cluster", "site": "Datacenter"}})
	if err != nil {
		t.Fatal(err)
	}
	out, _, diags := Merge("vms.toml", nil, im)
	if diags != nil {
		t.Fatal(diags)
	}
	inv := valid(t, "vms.toml", out)
	if n := inv.CountByKind()[model.VM]; n != 15 {
		t.Errorf("imported %d vms, want the 15 rows", n)
	}
	golden(t, "cmdb-vms.golden.toml", out)
	golden(t, "cmdb-vms.golden.stderr", diagText(t, im.Diags))
}

func TestCSVMistakes(t *testing.T) {
	cases := []struct {
		name, csv string
		o         CSVOptions
		want      string
	}{
		{"unknown column", "id,Cluster\nx,c\n", CSVOptions{Kind: model.VM, IDColumn: "id", Map: map[string]string{"host": "Clutser"}},
			`no column "Clutser" in f.csv; the columns are "id", "Cluster"; did you mean "Cluster"?`},
		{"unknown key", "id\nx\n", CSVOptions{Kind: model.VM, IDColumn: "id", Map: map[string]string{"hots": "id"}},
			`--map hots=id: unknown key "hots"; did you mean "host"?`},
		{"key of another kind", "id,t\nx,high\n", CSVOptions{Kind: model.VM, IDColumn: "id", Map: map[string]string{"tier": "t"}},
			`--map tier=t: key tier does not apply to vms`},
		{"bad cells", "id,tier,customer facing,availability\nA B,urgent,maybe,120%\n,low,,\nab,low,,\nAB,low,,\n", CSVOptions{Kind: model.Service, IDColumn: "id"},
			"f.csv:2:2: error: column \"tier\": invalid tier \"urgent\": want one of critical, high, medium, low\n" +
				"f.csv:2:3: error: column \"customer facing\": \"maybe\" is not a boolean: want true/false, yes/no or 1/0\n" +
				"f.csv:2:4: error: column \"availability\": availability must be in (0,1] or a percentage, got 120%\n" +
				"f.csv:3: error: row without a usable ID in column \"id\" (got \"\")\n" +
				"f.csv:5: error: duplicate ID \"ab\", first on line 4\n"},
	}
	for _, c := range cases {
		im, err := CSV(strings.NewReader(c.csv), "f.csv", c.o)
		var got string
		if err != nil {
			got = err.Error()
		} else {
			got = string(diagText(t, im.Diags))
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	for in, want := range map[string]string{"DB Server 1": "db-server-1", " web_01 ": "web_01", "--x--": "x", "Café!": "caf", "a.b": "a.b", "!!": ""} {
		if got := NormalizeID(in); got != want {
			t.Errorf("NormalizeID(%q) = %q, want %q", in, got, want)
		}
	}
}
