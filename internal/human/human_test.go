package human

import "testing"

func TestFormats(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Percent(0.999), "99.9%"},
		{Percent(0.99912), "99.912%"},
		{Percent(0.9999988), "99.99988%"},
		{Percent(1), "100%"},
		{Percent(0.5), "50%"},
		{PercentDelta(0.000012), "0.0012%"},
		{Share(0.286), "28.6%"},
		{Minutes(3658.24), "3658.2"},
		{Minutes(0.0123), "0.012"},
		{Minutes(0), "0.0"},
		{Minutes(-0.5), "-0.5"},
		{Interval(0.9989, 0.9993), "99.89% to 99.93%"},
		{Interval(0.99912, 0.99914), "99.912% to 99.914%"},
		{Interval(0.999121, 0.999122), "99.9121% to 99.9122%"},
		{Interval(0.998999999997, 0.999000000001), "99.8999999997% to 99.9000000001%"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
