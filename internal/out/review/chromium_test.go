package review

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/diagram"
)

// The browser tests open the HTML report, with diagrams drawn by the real spof-render, in headless
// Chromium driven by chromedp: diagrams fit their column, print legibly, and the what-if panel agrees
// with `spof simulate`. They are skipped when Chromium is not installed (Debian package chromium,
// which .ci/run installs).

// screenshots, when set, is the folder where TestScreenshots writes the pictures of docs/ (see
// scripts/screenshots.sh).
var screenshots = flag.String("screenshots", "", "write the report's screenshots to this folder")

var (
	pagesOnce sync.Once
	pagesDir  string
	pagesErr  error
	pageDocs  = map[string]*Document{}
)

// reportPages writes the HTML report of every shipped inventory, once for all the browser tests, and
// returns the folder.
func reportPages(t *testing.T) string {
	t.Helper()
	pagesOnce.Do(func() {
		pagesDir, pagesErr = os.MkdirTemp("", "spof-report-pages")
		if pagesErr != nil {
			return
		}
		renderer := filepath.Join(pagesDir, diagram.RendererName)
		if out, err := exec.Command("go", "build", "-o", renderer, "github.com/spofhq/spof/cmd/spof-render").CombinedOutput(); err != nil {
			pagesErr = fmt.Errorf("build spof-render: %v\n%s", err, out)
			return
		}
		for _, name := range examples {
			doc := Build(example(t, name), Options{Source: "inventories/" + name})
			if errs := RenderDiagrams(doc, func(dot []byte) ([]byte, error) { return diagram.SVG(renderer, dot) }); errs != nil {
				pagesErr = fmt.Errorf("%s: %v", name, errs)
				return
			}
			var b bytes.Buffer
			if pagesErr = WriteHTML(&b, doc); pagesErr != nil {
				return
			}
			if pagesErr = os.WriteFile(filepath.Join(pagesDir, name+".html"), b.Bytes(), 0o644); pagesErr != nil {
				return
			}
			pageDocs[name] = doc
		}
	})
	if pagesErr != nil {
		t.Fatal(pagesErr)
	}
	return pagesDir
}

// TestMain removes the pages written for the browser tests.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if pagesDir != "" {
		os.RemoveAll(pagesDir)
	}
	os.Exit(code)
}

// browser starts headless Chromium for one test, or skips the test without it. Uncaught exceptions
// of the page fail the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(1280, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range exceptions {
			t.Errorf("exception in the page: %s", e)
		}
	})
	// A deadline for the whole test, set on a context derived after the browser started.
	ctx, cancelRun := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelRun)
	return ctx
}

func open(t *testing.T, ctx context.Context, name string, width, height int64) {
	t.Helper()
	file := filepath.Join(reportPages(t), name+".html")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height), chromedp.Navigate("file://"+file),
		chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	return v
}

// drawing is what the page says of one diagram.
type drawing struct {
	ID           string
	Right, Box   float64 // the drawing's right edge and its container's
	Scale        float64 // rendered width / natural width
	MinFont      float64 // the smallest label, in CSS pixels as rendered
	ScrollsSides bool
}

const measureJS = `(function () {
  return Array.from(document.querySelectorAll(".diagram svg")).map(function (svg) {
    var box = svg.parentNode.getBoundingClientRect(), r = svg.getBoundingClientRect();
    var scale = r.width / +svg.getAttribute("width"), min = 1e9;
    svg.querySelectorAll("text").forEach(function (t) { min = Math.min(min, parseFloat(t.getAttribute("font-size")) * scale); });
    return { ID: svg.getAttribute("data-prefix"), Right: r.right, Box: box.right, Scale: scale, MinFont: min,
      ScrollsSides: svg.parentNode.scrollWidth > svg.parentNode.clientWidth + 1 };
  });
})()`

// At 1280 and 1920 pixels, every diagram fits its column — no horizontal scrollbar hides a node — and
// no label is smaller than 9 pixels.
func TestBrowserDiagramsFit(t *testing.T) {
	ctx := browser(t)
	for _, name := range examples {
		for _, width := range []int64{1280, 1920} {
			open(t, ctx, name, width, 900)
			ds := eval[[]drawing](t, ctx, measureJS)
			if len(ds) == 0 {
				t.Fatalf("%s: no diagram", name)
			}
			smallest := 1e9
			for _, d := range ds {
				if d.Right > d.Box+0.5 || d.ScrollsSides {
					t.Errorf("%s at %d px: diagram %s overflows its container (%.0f > %.0f)", name, width, d.ID, d.Right, d.Box)
				}
				if d.MinFont < 9 {
					t.Errorf("%s at %d px: diagram %s has labels of %.1f px", name, width, d.ID, d.MinFont)
				}
				smallest = min(smallest, d.MinFont)
			}
			if page := eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); page {
				t.Errorf("%s at %d px: the page scrolls sideways", name, width)
			}
			// The first screen of a 1280 × 800 projector holds the headline risks and the top
			// recommendations.
			if width == 1280 {
				bottom := eval[float64](t, ctx, `(function () {
  var h = Array.from(document.querySelectorAll("#summary p.heading")).filter(function (p) { return p.textContent === "Top recommendations"; })[0];
  return h ? h.nextElementSibling.getBoundingClientRect().bottom : 1e9;
})()`)
				if bottom > 800 {
					t.Errorf("%s: the top recommendations end at %.0f px, below the first screen (800 px)", name, bottom)
				}
			}
			t.Logf("%s at %d px: %d diagrams, smallest label %.1f px", name, width, len(ds), smallest)
		}
	}
}

// printPDF prints the open page as Chromium's print dialog would, with the page's own @page size.
func printPDF(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4),
		func(p *page.PrintToPDFParams) { yes := true; p.PreferCSSPageSize = &yes }))
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// Printed to PDF, no text of the report — diagram labels included — is smaller than 7 pt.
func TestBrowserPrint(t *testing.T) {
	ctx := browser(t)
	for _, name := range []string{"telephony-before", "platform"} { // the smallest and the largest
		open(t, ctx, name, 1280, 900)
		pdf := printPDF(t, ctx)
		sizes, pages, err := pdfTextSizes(pdf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(sizes) == 0 {
			t.Fatalf("%s: no text found in the PDF", name)
		}
		smallest := slices.Min(sizes)
		if smallest < 7 {
			t.Errorf("%s: printed text of %.2f pt", name, smallest)
		}
		t.Logf("%s: %d pages, %d text runs, smallest %.2f pt", name, pages, len(sizes), smallest)
	}
	// The print stylesheet is also checked where the PDF cannot say which text is a label: laid out for
	// print, each drawing is drawn at 1.08 px a unit or more.
	open(t, ctx, "telephony-before", 1280, 900)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if v := eval[[]drawing](t, ctx, measureJS); len(v) > 0 {
		for _, d := range v {
			if d.MinFont*0.75 < 7 {
				t.Errorf("in print, diagram %s has labels of %.1f pt", d.ID, d.MinFont*0.75)
			}
		}
	}
}

// The what-if panel computes in the page what `spof simulate` computes: on random failures of one to
// three entities, over every shipped inventory, the same services go down.
func TestBrowserWhatIfAgreesWithSimulate(t *testing.T) {
	ctx := browser(t)
	reportPages(t)
	agreed := 0
	for i, name := range examples {
		inv := example(t, name)
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		rng := rand.New(rand.NewPCG(uint64(i), 16))
		var sets [][]string
		var want [][]string
		for range 250 {
			var failed []int32
			for range 1 + rng.IntN(3) {
				failed = append(failed, int32(rng.IntN(inv.Len())))
			}
			out := res.Simulate(failed)
			var down []string
			for _, s := range inv.OfKind(model.Service) {
				if out.Down[s] {
					down = append(down, inv.ID(s))
				}
			}
			sets = append(sets, inv.IDsOf(failed))
			want = append(want, down)
		}
		open(t, ctx, name, 1280, 900)
		js, _ := json.Marshal(sets)
		got := eval[[][]string](t, ctx, "("+string(js)+").map(function (s) { return window.spofWhatIf(s); })")
		for j := range sets {
			if !slices.Equal(got[j], want[j]) && !(len(got[j]) == 0 && len(want[j]) == 0) {
				t.Errorf("%s: --fail %s: the page puts down %v, spof simulate %v", name, strings.Join(sets[j], ","), got[j], want[j])
				continue
			}
			agreed++
		}
	}
	t.Logf("the page and spof simulate agree on %d failure sets", agreed)
	if agreed < 200 {
		t.Errorf("only %d failure sets agree", agreed)
	}
}

// Clicking a node fails it: the panel opens with what goes down, the diagrams are recoloured, and
// Reset puts everything back; clicking a diagram's background opens it large, Escape closes it.
func TestBrowserWhatIfPanel(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "telephony-before", 1280, 900)
	click := func(js string) {
		t.Helper()
		eval[bool](t, ctx, `(function () { var el = `+js+`; el.dispatchEvent(new MouseEvent("click", { bubbles: true })); return true; })()`)
	}
	click(`document.querySelector("#s-pbx .diagram g.node[id$='-entity-hostco']")`)
	text := eval[string](t, ctx, `document.getElementById("wi-result").textContent`)
	for _, want := range []string{"services go down", "support-line", "hostco"} {
		if !strings.Contains(text, want) {
			t.Errorf("panel lacks %q: %s", want, text)
		}
	}
	failedNodes := eval[int](t, ctx, `document.querySelectorAll("g.node[data-wi='failed']").length`)
	downNodes := eval[int](t, ctx, `document.querySelectorAll("g.node[data-wi='down']").length`)
	downEdges := eval[int](t, ctx, `document.querySelectorAll("g.edge[data-wi='down']").length`)
	if failedNodes == 0 || downNodes == 0 || downEdges == 0 {
		t.Errorf("diagrams not recoloured: %d failed nodes, %d down nodes, %d down edges", failedNodes, downNodes, downEdges)
	}
	click(`document.getElementById("wi-reset")`)
	if n := eval[int](t, ctx, `document.querySelectorAll("[data-wi='failed'], [data-wi='down']").length`); n != 0 {
		t.Errorf("after reset, %d elements still painted", n)
	}
	// A typed ID fails it; a mistyped one is said to be unknown, and kept for the reader to mend.
	submit := func(id string) string {
		t.Helper()
		return eval[string](t, ctx, `(function () { var i = document.getElementById("wi-input"); i.value = `+strconv.Quote(id)+`;
			i.dispatchEvent(new Event("input")); document.getElementById("wi-form").requestSubmit(); return i.validationMessage + "|" + i.value; })()`)
	}
	if got := submit("hostcoo"); got != "No entity hostcoo in this inventory.|hostcoo" {
		t.Errorf("unknown ID: validation message and input %q", got)
	}
	if got := submit("hostco"); got != "|" {
		t.Errorf("known ID: validation message and input %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("g.node[data-wi='failed']").length`); n == 0 {
		t.Error("typing hostco failed nothing")
	}
	click(`document.getElementById("wi-reset")`)
	click(`document.querySelector("#s-support-line button.enlarge")`)
	if hidden := eval[bool](t, ctx, `document.getElementById("zoom").hidden || !document.querySelector("#zoom svg")`); hidden {
		t.Error("the large view did not open")
	}
	eval[bool](t, ctx, `document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" })), true`)
	if open := eval[bool](t, ctx, `!document.getElementById("zoom").hidden`); open {
		t.Error("Escape did not close the large view")
	}
}

// TestScreenshots writes the pictures of the report that README.md and docs/report.md show, when
// -screenshots names a folder (scripts/screenshots.sh): the first screen, a shared dependency, the
// what-if panel in use, and a printed page (as PDF, which the script turns into PNG).
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("no -screenshots folder")
	}
	ctx := browser(t)
	dir := *screenshots
	shot := func(file string, js string) {
		t.Helper()
		if js != "" {
			eval[bool](t, ctx, "(function () { "+js+"; return true; })()")
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	open(t, ctx, "telephony-before", 1280, 800)
	shot("report.png", "")
	shot("report-shared.png", `document.getElementById("h-sip-trunk-a").scrollIntoView()`)
	shot("report-whatif.png", `document.querySelector("#s-support-line figure").scrollIntoView(); window.scrollBy(0, -60); window.spofFail("hostco")`)
	open(t, ctx, "telephony-before", 1280, 800)
	if err := os.WriteFile(filepath.Join(dir, "report-print.pdf"), printPDF(t, ctx), 0o644); err != nil {
		t.Fatal(err)
	}
}
