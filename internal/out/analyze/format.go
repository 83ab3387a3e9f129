package analyze

// The availability figures formatted as `spof analyze` prints them, for other outputs (the report) to
// show the same numbers the same way.

// FormatPercent writes an availability as a percentage with two or three significant digits of the
// unavailability: 99.912%, 99.99988%, 99.9%.
func FormatPercent(a float64) string { return percent(a) }

// FormatPercentDelta writes a small difference of availabilities in percentage points.
func FormatPercentDelta(d float64) string { return percentDelta(d) }

// FormatShare writes a fraction as a percentage with one decimal.
func FormatShare(f float64) string { return share(f) }

// FormatMinutes writes minutes with one decimal, or two significant digits below one minute.
func FormatMinutes(m float64) string { return minutes(m) }
