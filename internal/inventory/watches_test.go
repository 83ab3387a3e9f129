package inventory

import (
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/model"
)

func TestWatchesAndRole(t *testing.T) {
	inv, errs := parse(t, "a.toml", `
[services.probe]
watches = ["pbx", "hostco"]
depends_on = "sms"
[services.zabbix]
role = "monitoring"
watches = "pbx"
[services.sms]
role = "alerting"
[services.status-page]
role = "status"
[services.pbx]
runs_on = "pbx-01"
[vms.pbx-01]
provider = "hostco"
[providers.hostco]
`)
	if errs != "" {
		t.Fatalf("Parse: %s", errs)
	}
	get := func(id string) *model.Entity {
		i, ok := inv.Lookup(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		return &inv.Entities[i]
	}
	pbx, _ := inv.Lookup("pbx")
	hostco, _ := inv.Lookup("hostco")
	probe := get("probe")
	// Written order, once each; a service that watches without a role is a monitoring service.
	if !slices.Equal(probe.Watches, []int32{pbx, hostco}) || probe.Role != model.Monitoring {
		t.Errorf("probe: watches %v role %v, want [%d %d] monitoring", probe.Watches, probe.Role, pbx, hostco)
	}
	if z := get("zabbix"); !slices.Equal(z.Watches, []int32{pbx}) || z.Role != model.Monitoring {
		t.Errorf("zabbix: watches %v role %v", z.Watches, z.Role)
	}
	if get("sms").Role != model.Alerting || get("status-page").Role != model.Status || get("pbx").Role != model.NoRole {
		t.Errorf("roles: sms %v, status-page %v, pbx %v", get("sms").Role, get("status-page").Role, get("pbx").Role)
	}
	// A watch is not a requirement: only depends_on is a reference of probe.
	if len(probe.Refs) != 1 || probe.Refs[0].Key != "depends_on" {
		t.Errorf("probe refs = %+v, want depends_on only", probe.Refs)
	}
}

func TestWatchesAndRoleErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unknown id", "[services.mon]\nwatches = [\"pbx-01\", \"pbx-2\"]\n[vms.pbx-01]\n[vms.pbx-02]\n",
			"a.toml:2:22: error: unknown entity \"pbx-2\" in watches of mon; did you mean \"pbx-02\"?\n"},
		{"itself", "[services.mon]\nwatches = [\"mon\"]\n",
			"a.toml:2:12: error: mon watches itself: a monitoring service cannot report its own failure; list what it watches\n"},
		{"group", "[services.mon]\nwatches = [{ any_of = [\"x\"] }]\n[vms.x]\n",
			"a.toml:2:12: error: watches is a plain list of IDs, not a requirement group: write the IDs themselves\n"},
		{"not a string", "[services.mon]\nwatches = [1]\n",
			"a.toml:2:12: error: watches must hold IDs (strings), not an integer\n"},
		{"wrong type", "[services.mon]\nwatches = 1\n",
			"a.toml:2:11: error: watches must be an ID or an array of IDs, not an integer: list the IDs of what the service watches, e.g. watches = [\"pbx\"], or leave the key out\n"},
		{"twice", "[services.mon]\nwatches = [\"x\", \"x\"]\n[vms.x]\n",
			"a.toml:2:17: error: \"x\" is listed twice in watches, first at a.toml:2:12\n"},
		{"empty", "[services.mon]\nwatches = []\n",
			"a.toml:2:11: error: watches is empty: list the IDs of what the service watches, e.g. watches = [\"pbx\"], or leave the key out\n"},
		{"not on vms", "[vms.mon]\nwatches = [\"x\"]\n[vms.x]\n",
			"a.toml:2:1: error: key \"watches\" does not apply to vms (it is for services)\n"},
		{"misspelt role", "[services.mon]\nrole = \"monitorng\"\n",
			"a.toml:2:8: error: invalid role \"monitorng\": want one of monitoring, alerting, status; did you mean \"monitoring\"?\n"},
		{"shortened role", "[services.mon]\nrole = \"alert\"\n",
			"a.toml:2:8: error: invalid role \"alert\": want one of monitoring, alerting, status; did you mean \"alerting\"?\n"},
		{"plural role", "[services.mon]\nrole = \"alerts\"\n",
			"a.toml:2:8: error: invalid role \"alerts\": want one of monitoring, alerting, status; did you mean \"alerting\"?\n"},
		{"status page", "[services.mon]\nrole = \"status-page\"\n",
			"a.toml:2:8: error: invalid role \"status-page\": want one of monitoring, alerting, status; did you mean \"status\"?\n"},
		{"unrelated role", "[services.mon]\nrole = \"pager\"\n",
			"a.toml:2:8: error: invalid role \"pager\": want one of monitoring, alerting, status\n"},
		{"role type", "[services.mon]\nrole = true\n",
			"a.toml:2:8: error: role must be a string, not a boolean\n"},
		{"status watches", "[services.page]\nrole = \"status\"\nwatches = \"x\"\n[vms.x]\n",
			"a.toml:3:1: error: page has role = \"status\", but only monitoring services watch: remove watches, or write role = \"monitoring\" (a status service tells customers; the monitoring that feeds it is a service of its own)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, errs := parse(t, "a.toml", tt.src); errs != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", errs, tt.want)
			}
		})
	}
}
