package cli

import (
	"strings"
)

// cobraMessage rewords an error cobra raises itself as one line in the style of spof's others:
// `unknown command "analyse" for "spof"` followed by a suggestion block becomes
// `unknown command "analyse"; did you mean "analyze"? (see spof --help)`.
func cobraMessage(err error) string {
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	if !strings.HasPrefix(first, "unknown command ") {
		return msg
	}
	first = strings.TrimSuffix(first, ` for "spof"`)
	if i := strings.Index(first, ` for "spof `); i >= 0 {
		first = first[:i]
	}
	var suggestions []string
	for _, l := range strings.Split(rest, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Did you mean") {
			suggestions = append(suggestions, `"`+l+`"`)
		}
	}
	if len(suggestions) > 0 {
		first += "; did you mean " + strings.Join(suggestions, " or ") + "?"
	}
	return first + " (see spof --help)"
}
