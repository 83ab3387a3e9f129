package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	now := start
	p := newProgress(nil, true, func() time.Time { return now })
	p.what, p.unit, p.total = "computing availability", "services", 35000
	p.done.Store(12480)
	now = start.Add(4500 * time.Millisecond)
	if got, want := p.line(now), "spof: computing availability: 12,480 of 35,000 services (4 s)"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	p.total = 0
	if got, want := p.line(now), "spof: computing availability (4 s)"; got != want {
		t.Errorf("line without a total = %q, want %q", got, want)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestProgressQuiet checks that a disabled progress line (stderr not a terminal, or --quiet) writes
// nothing whatever it is told.
func TestProgressQuiet(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false, func() time.Time { return time.Time{} })
	p.phase("analysing", 10, "services")
	p.add(3)
	p.set(5)
	p.finish()
	if b.Len() != 0 {
		t.Errorf("disabled progress wrote %q", b.String())
	}
}

// TestProgressErase checks that a drawn line is erased by finish, and that finish stops drawing.
func TestProgressErase(t *testing.T) {
	var b syncBuffer
	start := time.Now()
	p := newProgress(&b, true, func() time.Time { return start })
	p.clock = func() time.Time { return start.Add(time.Hour) } // long past the delay
	p.phase("analysing", 0, "")
	for !strings.Contains(b.String(), "spof: analysing") {
		time.Sleep(progressEvery)
	}
	p.finish()
	out := b.String()
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q does not end erased", out)
	}
	time.Sleep(2 * progressEvery)
	if b.String() != out {
		t.Errorf("progress drew after finish")
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
