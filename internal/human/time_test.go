package human

import (
	"testing"
	"time"
)

func TestTimes(t *testing.T) {
	paris := time.FixedZone("", 2*3600)
	start := time.Date(2026, 6, 18, 7, 40, 0, 0, paris)
	tests := []struct {
		got, want string
	}{
		{Duration(205 * time.Minute), "3 h 25 min"},
		{Duration(40*time.Minute + 20*time.Second), "40 min"},
		{Duration(2 * time.Hour), "2 h"},
		{Period(start, start.Add(205*time.Minute)), "2026-06-18 07:40 → 11:05 (+02:00)"},
		// The end is shown in the offset of the start, and with its date past midnight.
		{Period(start, time.Date(2026, 6, 18, 23, 30, 0, 0, time.UTC)), "2026-06-18 07:40 → 2026-06-19 01:30 (+02:00)"},
		{Period(start.UTC(), start.UTC().Add(time.Hour)), "2026-06-18 05:40 → 06:40 (UTC)"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
