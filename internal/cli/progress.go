package cli

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress tells someone watching a terminal what a long command is doing and how far it got: once
// the run has lasted progressDelay, a line on standard error, redrawn every progressEvery and
// erased at the end, such as
//
//	spof: computing availability: 12,480 of 35,000 services (4 s)
//
// It draws nothing when standard error is not a terminal or --quiet was given: scripts and CI logs
// see only what the command prints.
type progress struct {
	w       io.Writer
	enabled bool
	clock   func() time.Time
	start   time.Time

	mu     sync.Mutex
	what   string
	unit   string
	total  int64
	done   atomic.Int64
	drawn  bool // a line is on the terminal
	ticker *time.Ticker
	stop   chan struct{}
	wg     sync.WaitGroup
}

// Timings of the progress line.
const (
	progressDelay = 2 * time.Second
	progressEvery = 250 * time.Millisecond
)

// newProgress returns the progress line of a run started at clock(); disabled, it does nothing.
func newProgress(w io.Writer, enabled bool, clock func() time.Time) *progress {
	return &progress{w: w, enabled: enabled, clock: clock, start: clock()}
}

// phase says what the command does now: what ("computing availability"), and when total > 0, how
// many units of work there are (shown as "n of total unit").
func (p *progress) phase(what string, total int, unit string) {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	p.what, p.unit, p.total = what, unit, int64(total)
	p.done.Store(0)
	if p.ticker == nil {
		p.ticker = time.NewTicker(progressEvery)
		p.stop = make(chan struct{})
		p.wg.Add(1)
		go p.loop(p.ticker.C, p.stop)
	}
	p.mu.Unlock()
}

// add counts n more units of work done; it is safe from any goroutine.
func (p *progress) add(n int) {
	if p != nil && p.enabled {
		p.done.Add(int64(n))
	}
}

// set says that n units of work are done; it is safe from any goroutine.
func (p *progress) set(n int) {
	if p != nil && p.enabled {
		p.done.Store(int64(n))
	}
}

// finish erases the line and stops drawing, before the command writes to the terminal.
func (p *progress) finish() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	if p.ticker != nil {
		p.ticker.Stop()
		close(p.stop)
		p.ticker = nil
	}
	p.mu.Unlock()
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

func (p *progress) loop(tick <-chan time.Time, stop <-chan struct{}) {
	defer p.wg.Done()
	for {
		select {
		case <-stop:
			return
		case <-tick:
			p.mu.Lock()
			if now := p.clock(); now.Sub(p.start) >= progressDelay {
				fmt.Fprint(p.w, "\r\x1b[K"+p.line(now))
				p.drawn = true
			}
			p.mu.Unlock()
		}
	}
}

// line is what the progress line says at time now.
func (p *progress) line(now time.Time) string {
	s := "spof: " + p.what
	if p.total > 0 {
		s += fmt.Sprintf(": %s of %s %s", thousands(p.done.Load()), thousands(p.total), p.unit)
	}
	return s + fmt.Sprintf(" (%d s)", int(now.Sub(p.start).Seconds()))
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
