package human

import (
	"fmt"
	"time"
)

// Duration writes a duration in hours and minutes, rounded to the minute: "3 h 25 min", "40 min",
// "2 h".
func Duration(d time.Duration) string {
	m := int64(d.Round(time.Minute) / time.Minute)
	switch h := m / 60; {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", h)
	default:
		return fmt.Sprintf("%d h %d min", h, m%60)
	}
}

// Period writes when an outage happened, in the offset its start was written with: "2026-06-18
// 07:40 → 11:05 (+02:00)", or with both dates when it spans midnight.
func Period(started, ended time.Time) string {
	ended = ended.In(started.Location())
	end := ended.Format("15:04")
	if ended.Format(time.DateOnly) != started.Format(time.DateOnly) {
		end = ended.Format("2006-01-02 15:04")
	}
	zone := started.Format("-07:00")
	if zone == "+00:00" {
		zone = "UTC"
	}
	return fmt.Sprintf("%s → %s (%s)", started.Format("2006-01-02 15:04"), end, zone)
}
