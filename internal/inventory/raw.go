package inventory

// IDPattern is the regular expression every entity ID matches, in a syntax both Go and ECMA-262 (JSON
// Schema) accept.
const IDPattern = `^[a-z0-9][a-z0-9._-]*$`

// GroupKeyNames returns the names of the keys a requirement group table may hold.
func GroupKeyNames() []string { return append([]string(nil), groupKeys...) }

// ValidID reports whether s is a valid identifier: lower-case letters, digits, '.', '_' and '-',
// starting with a letter or digit. Entity IDs and policy rule IDs follow the same rule.
func ValidID(s string) bool { return idPattern.MatchString(s) }
