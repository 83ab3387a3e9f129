package review

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/out/diagram"
)

// TestChromiumRendersReport opens the HTML report of the incident example, with diagrams drawn by the
// real spof-render, in headless Chromium: the page must render (a screenshot that is not blank), log
// no console error, and keep every section and diagram once parsed by the browser. It is skipped when
// Chromium is not installed (Debian package chromium).
func TestChromiumRendersReport(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	renderer := filepath.Join(dir, diagram.RendererName)
	if out, err := exec.Command("go", "build", "-o", renderer, "github.com/spofhq/spof/cmd/spof-render").CombinedOutput(); err != nil {
		t.Fatalf("build spof-render: %v\n%s", err, out)
	}
	doc := Build(example(t, "telephony-before"), Options{Source: "inventories/telephony-before"})
	if errs := RenderDiagrams(doc, func(dot []byte) ([]byte, error) { return diagram.SVG(renderer, dot) }); errs != nil {
		t.Fatal(errs)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, doc); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	shot := filepath.Join(dir, "shot.png")
	stdout, stderr := runChromium(t, browser, dir, "--screenshot="+shot, "--window-size=1280,2000", "file://"+file)
	if errs := regexp.MustCompile(`(?m)^.*:CONSOLE.*$`).FindAllString(stderr, -1); len(errs) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(errs, "\n"))
	}
	checkNotBlank(t, shot, stdout+stderr)

	dom, stderr := runChromium(t, browser, dir, "--dump-dom", "file://"+file)
	for _, what := range []string{"<section id=", "<svg ", "<table"} {
		if got, want := strings.Count(dom, what), strings.Count(page.String(), what); got != want {
			t.Errorf("the browser's DOM has %d %q, the page %d\n%s", got, what, want, stderr)
		}
	}
}

func runChromium(t *testing.T, browser, dir string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	profile, err := os.MkdirTemp(dir, "profile")
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

// checkNotBlank fails unless the screenshot shows a page: many colours and a fair share of ink.
func checkNotBlank(t *testing.T, path, log string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	colours := map[[3]uint32]bool{}
	ink, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
				ink++
			}
			total++
		}
	}
	if len(colours) < 32 || ink*100 < total*2 {
		t.Errorf("screenshot looks blank: %d colours, %d%% ink", len(colours), ink*100/total)
	}
}
