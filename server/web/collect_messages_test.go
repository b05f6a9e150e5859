package web

import (
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/i18n"
)

// The collection's messages made at run time are in the catalogue: the
// statuses, categories, provenance kinds, notices, the workbook's sheets
// and columns (both languages are checked by TestMessageCatalogue).
func TestCollectMessagesAtRunTime(t *testing.T) {
	var keys []string
	for _, st := range gm.SubmissionStatuses {
		keys = append(keys, "sub.status."+st, "camp.count."+st)
	}
	for _, c := range gm.ProblemCategories {
		keys = append(keys, "cat."+c)
	}
	for _, k := range []string{"link", "import", "capacity", "indicators", "problem", "outside_purchase"} {
		keys = append(keys, "prov.kind."+k)
	}
	for _, k := range []string{"saved", "submitted", "uploaded", "accepted", "returned", "unread", "invalid", "upload"} {
		keys = append(keys, "form.done."+k)
	}
	for _, k := range []string{"readme", "indicators", "purchases", "sales", "imports", "capacities", "problems", "lists"} {
		keys = append(keys, "wb.sheet."+k)
	}
	for _, k := range []string{"key", "indicator", "unit", "value", "previous", "supplier", "supplier_name", "buyer", "product_code", "value_rub", "quantity",
		"documented", "country", "capacity_rub", "utilisation", "category", "text", "support_needed", "participant", "participant_id"} {
		keys = append(keys, "wb.col."+k)
	}
	keys = append(keys, "camp.status.open", "camp.status.closed", "prov.figure.buyer", "prov.figure.supplier", "role.participant", "nodata")
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("message %q is missing", k)
		}
	}
}
