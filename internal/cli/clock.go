package cli

import (
	"strconv"
	"time"

	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
)

// app is what every command of one run shares: its streams and its one clock.
type app struct {
	IOStreams
	// now is the clock of the run: everything that judges a date (tested drills, waivers, man
	// pages) reads it, so that commands never disagree about the day.
	now func() time.Time
	// pinned is true when SOURCE_DATE_EPOCH set the clock.
	pinned bool
	// elapsed is the clock that measures durations (the progress line, the time budget of
	// analyze): the system's, even when SOURCE_DATE_EPOCH pins the date.
	elapsed func() time.Time
	// quiet is --quiet: no progress line.
	quiet    bool
	progress *progress
}

// progressLine returns the run's progress line, started on first use (after the flags are read).
func (s *app) progressLine() *progress {
	if s.progress == nil {
		s.progress = newProgress(s.Err, s.ErrTTY && !s.quiet, s.elapsed)
	}
	return s.progress
}

// newApp builds the run's clock: the time given by SOURCE_DATE_EPOCH (seconds since 1970, the
// reproducible-builds convention) when set, so that output that depends on the date can be
// reproduced; the system clock otherwise.
func newApp(s IOStreams) (*app, error) {
	a := &app{IOStreams: s, now: time.Now, elapsed: time.Now}
	v := ""
	if s.Getenv != nil {
		v = s.Getenv("SOURCE_DATE_EPOCH")
	}
	if v == "" {
		return a, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, usageErrorf("invalid SOURCE_DATE_EPOCH %q: want seconds since 1970-01-01 UTC", v)
	}
	t := time.Unix(sec, 0).UTC()
	a.now, a.pinned = func() time.Time { return t }, true
	return a, nil
}

// loadOptions are the inventory load options of the run.
func (s *app) loadOptions() inventory.Options { return inventory.Options{Now: s.now} }

// loadInventoryFor is loadInventory for a command that writes to output (-o): it also refuses an
// output that would overwrite what the load read (see checkOutput).
func (s *app) loadInventoryFor(path, output string) (*model.Inventory, error) {
	inv, err := s.loadInventory(path)
	if err != nil {
		return nil, err
	}
	if err := checkOutput(output, []string{path}, inv.Files...); err != nil {
		return nil, err
	}
	return inv, nil
}

// loadInventory loads path with the run's clock, turning diagnostics into an exit-2 error that
// prints them all.
func (s *app) loadInventory(path string) (*model.Inventory, error) {
	defer relaxGC()()
	s.progressLine().phase("loading "+path, 0, "")
	inv, diags := inventory.Load(path, s.loadOptions())
	if diags.HasErrors() {
		return nil, &exitError{code: ExitInvalid, diags: diags}
	}
	return inv, nil
}
