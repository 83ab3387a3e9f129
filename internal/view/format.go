package view

// The availability figures formatted as `spof analyze` prints them, for other outputs (the report) to
// show the same numbers the same way.

// FormatPercent writes an availability as a percentage with two or three significant digits of the
// unavailability: 99.912%, 99.99988%, 99.9%.
func FormatPercent(a float64) string { return percent(a) }

// FormatShare writes a fraction as a percentage with one decimal.
func FormatShare(f float64) string { return share(f) }

// FormatMinutes writes minutes with one decimal, or two significant digits below one minute.
func FormatMinutes(m float64) string { return minutes(m) }

// FormatInterval writes a guaranteed interval of availabilities, "99.91% to 99.93%", the low end
// rounded down and the high end up.
func FormatInterval(lo, hi float64) string {
	a, b := percentPair(lo, hi)
	return a + " to " + b
}
