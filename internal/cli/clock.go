package cli

import (
	"strconv"
	"time"

	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
)

// clock returns the clock of a run: the time given by SOURCE_DATE_EPOCH (seconds since 1970, the
// reproducible-builds convention) when set, so that output that depends on the date (a tested date
// judged too old or in the future) can be reproduced; the system clock otherwise.
func clock(s IOStreams) (func() time.Time, error) {
	v := ""
	if s.Getenv != nil {
		v = s.Getenv("SOURCE_DATE_EPOCH")
	}
	if v == "" {
		return time.Now, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, usageErrorf("invalid SOURCE_DATE_EPOCH %q: want seconds since 1970-01-01 UTC", v)
	}
	t := time.Unix(sec, 0).UTC()
	return func() time.Time { return t }, nil
}

// loadInventoryAt is loadInventory with the clock that judges dates.
func loadInventoryAt(path string, now func() time.Time) (*model.Inventory, error) {
	defer relaxGC()()
	inv, diags := inventory.LoadWith(path, inventory.Options{Now: now})
	if diags.HasErrors() {
		return nil, &exitError{code: ExitInvalid, diags: diags}
	}
	return inv, nil
}
