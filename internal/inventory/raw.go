package inventory

// GroupKeyNames returns the names of the keys a requirement group table may hold.
func GroupKeyNames() []string { return append([]string(nil), groupKeys...) }
