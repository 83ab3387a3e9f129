// Package human formats the figures spof shows people — availabilities, shares, minutes — the same
// way in every output: analyze's text, the review, check's messages.
package human

import (
	"math"
	"strconv"
	"strings"
)

// Percent writes an availability with enough decimals to show two or three significant digits of the
// unavailability, without trailing zeros: 99.912%, 99.99988%, 99.9%.
func Percent(a float64) string {
	u := (1 - a) * 100
	decimals := 2
	if u > 0 {
		decimals = min(max(int(-math.Floor(math.Log10(u)))+2, 1), 9)
	}
	s := strconv.FormatFloat(a*100, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// PercentDelta writes a small difference of availabilities in percentage points.
func PercentDelta(d float64) string {
	return strconv.FormatFloat(d*100, 'g', 2, 64) + "%"
}

// Share writes a fraction as a percentage with one decimal.
func Share(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// Minutes writes minutes with one decimal, or two significant digits below one minute.
func Minutes(m float64) string {
	if math.Abs(m) < 1 && m != 0 {
		return strconv.FormatFloat(m, 'g', 2, 64)
	}
	return strconv.FormatFloat(m, 'f', 1, 64)
}

// Interval writes a guaranteed interval of availabilities, "99.91% to 99.93%": as many decimals as
// the higher end needs, or as its width needs to show (up to 10), the same for both ends, the low end
// rounded down and the high end up so that the printed interval contains the true one.
func Interval(lo, hi float64) string {
	u := (1 - hi) * 100
	decimals := 2
	if u > 0 {
		decimals = min(max(int(-math.Floor(math.Log10(u)))+2, 1), 9)
	}
	if w := (hi - lo) * 100; w > 0 {
		decimals = max(decimals, min(int(math.Ceil(-math.Log10(w)))+1, 10))
	}
	format := func(x float64, d int, round func(float64) float64) string {
		scale := math.Pow(10, float64(d))
		return strconv.FormatFloat(round(x*100*scale)/scale, 'f', d, 64)
	}
	for decimals < 12 && format(lo, decimals, math.Floor) == format(hi, decimals, math.Ceil) {
		decimals++
	}
	// Trailing zeros go when both ends have them, so that the ends keep the same decimals.
	a, b := format(lo, decimals, math.Floor), format(hi, decimals, math.Ceil)
	for strings.HasSuffix(a, "0") && strings.HasSuffix(b, "0") && strings.Contains(a, ".") && strings.Contains(b, ".") {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	a, b = strings.TrimSuffix(a, "."), strings.TrimSuffix(b, ".")
	return a + "% to " + b + "%"
}

// Plural returns one when n is 1, else many: "service" or "services".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count returns n and its noun: "1 violation", "2 violations".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}
