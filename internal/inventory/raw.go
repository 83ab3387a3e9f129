package inventory

import (
	"github.com/spofhq/spof/internal/diag"
)

// IDPattern is the regular expression every entity ID matches, in a syntax both Go and ECMA-262 (JSON
// Schema) accept.
const IDPattern = `^[a-z0-9][a-z0-9._-]*$`

// GroupKeyNames returns the names of the keys a requirement group table may hold.
func GroupKeyNames() []string { return append([]string(nil), groupKeys...) }

// DecodeData decodes one TOML document into plain values (map[string]any, []any, string, int64, float64,
// bool, time values), without checking it is an inventory. A syntax error is returned as a diagnostic
// positioned in the file named name. Tools that work on the text of inventories (spof fmt, the
// importers) use it to prove they kept the data; it skips the position index Decode builds.
func DecodeData(name string, src []byte) (map[string]any, diag.List) {
	return decodeValues(Source{Name: name, Data: src})
}
