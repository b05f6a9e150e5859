package web

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// maxRows bounds each list of the form.
const maxRows = 500

var (
	fieldRe = regexp.MustCompile(`^(purchases|sales|imports|capacities|problems)\[(\d{1,4})\]\.(\w+)$`)
	pathRe  = regexp.MustCompile(`^(\w+)\[(\d+)\]\.(\w+)$`)
)

// readForm reads the posted form into a submission form (figures as typed),
// its rows in the order of their indices, empty ones dropped.
func readForm(c echo.Context) (app.SubmissionForm, error) {
	vals, err := c.FormParams()
	if err != nil {
		return app.SubmissionForm{}, gm.Errorf(gm.EINVALID, "cannot read the form: %v", err)
	}
	f := app.SubmissionForm{Indicators: map[string]string{}}
	rows := map[string]map[int]map[string]string{}
	for k, v := range vals {
		if key, ok := strings.CutPrefix(k, "indicators."); ok && (&gm.Indicators{}).Ref(key) != nil {
			f.Indicators[key] = v[0]
			continue
		}
		m := fieldRe.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if i >= maxRows {
			continue
		}
		if rows[m[1]] == nil {
			rows[m[1]] = map[int]map[string]string{}
		}
		if rows[m[1]][i] == nil {
			rows[m[1]][i] = map[string]string{}
		}
		rows[m[1]][i][m[3]] = v[0]
	}
	for _, i := range sortedKeys(rows["purchases"]) {
		r := rows["purchases"][i]
		f.Purchases = append(f.Purchases, app.PurchaseRow{SupplierID: r["supplier_id"], SupplierName: r["supplier_name"], ProductCode: r["product_code"],
			Value: r["value_rub"], Quantity: r["quantity"], Unit: r["unit"], Documented: r["documented"] != ""})
	}
	for _, i := range sortedKeys(rows["sales"]) {
		r := rows["sales"][i]
		f.Sales = append(f.Sales, app.SaleRow{BuyerID: r["buyer_id"], ProductCode: r["product_code"], Value: r["value_rub"], Quantity: r["quantity"], Unit: r["unit"], Documented: r["documented"] != ""})
	}
	for _, i := range sortedKeys(rows["imports"]) {
		r := rows["imports"][i]
		f.Imports = append(f.Imports, app.ImportRow{ProductCode: r["product_code"], Country: r["country"], Value: r["value_rub"], Quantity: r["quantity"], Unit: r["unit"]})
	}
	for _, i := range sortedKeys(rows["capacities"]) {
		r := rows["capacities"][i]
		f.Capacities = append(f.Capacities, app.CapacityRow{ProductCode: r["product_code"], Value: r["value_rub"], Utilisation: r["utilisation"]})
	}
	for _, i := range sortedKeys(rows["problems"]) {
		r := rows["problems"][i]
		f.Problems = append(f.Problems, app.ProblemRow{Category: r["category"], Text: r["text"], SupportNeeded: r["support_needed"]})
	}
	f.Compact()
	return f, nil
}

func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// fieldID is the id of a field's input: purchases[2].value_rub →
// f-purchases-2-value_rub.
func fieldID(path string) string {
	if path == "indicators" {
		return "sec-indicators" // the whole form (an empty one)
	}
	return "f-" + strings.NewReplacer("[", "-", "].", "-", ".", "-").Replace(path)
}

// fieldLabel names a field path for the list of errors: the indicator's
// name, or the section, the row and the column.
func fieldLabel(l, path string) string {
	t := func(k string) string { return i18n.T(l, k) }
	if path == "indicators" {
		return t("form.whole")
	}
	if key, ok := strings.CutPrefix(path, "indicators."); ok {
		for _, d := range gm.IndicatorDefs {
			if d.Key == key {
				return map[bool]string{true: d.ShortEN, false: d.ShortRU}[l == "en"]
			}
		}
	}
	m := pathRe.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	col := map[string]string{"supplier_id": "supplier", "buyer_id": "buyer"}[m[3]]
	if col == "" {
		col = m[3]
	}
	if m[1] == "capacities" && m[3] == "value_rub" {
		col = "capacity_rub"
	}
	return fmt.Sprintf("%s, %s %d: %s", t("form.sec."+m[1]), t("form.row"), i+1, t("form.col."+col))
}

// checks are the messages of the form's fields by path, in the page's
// language.
type checks struct {
	errs, warns map[string]string
}

func newChecks(l string, errs []gm.Problem, flags []gm.Flag) checks {
	c := checks{errs: map[string]string{}, warns: map[string]string{}}
	pick := func(en, ru string) string { return map[bool]string{true: en, false: ru}[l == "en"] }
	for _, p := range errs {
		if c.errs[p.Column] == "" {
			c.errs[p.Column] = pick(p.Message, p.MessageRU)
		}
	}
	for _, f := range flags {
		if f.Field != "" && c.warns[f.Field] == "" {
			c.warns[f.Field] = pick(f.Message, f.MessageRU)
		}
	}
	return c
}

func (c checks) field(path, value string) field {
	return field{Name: path, ID: fieldID(path), Value: value, Error: c.errs[path], Warn: c.warns[path]}
}

// fill lays the form's rows out as fields, with spare empty rows to add to.
func (p *submissionPage) fill(f app.SubmissionForm, c checks, spare int) {
	at := func(sec string, i int, col string) string { return fmt.Sprintf("%s[%d].%s", sec, i, col) }
	for i := 0; i < len(f.Purchases)+spare; i++ {
		var r app.PurchaseRow
		if i < len(f.Purchases) {
			r = f.Purchases[i]
		}
		p.Purchases = append(p.Purchases, purchaseFields{Supplier: c.field(at("purchases", i, "supplier_id"), r.SupplierID), SupplierName: c.field(at("purchases", i, "supplier_name"), r.SupplierName),
			Product: c.field(at("purchases", i, "product_code"), r.ProductCode), Value: c.field(at("purchases", i, "value_rub"), r.Value),
			Quantity: c.field(at("purchases", i, "quantity"), r.Quantity), Unit: c.field(at("purchases", i, "unit"), r.Unit),
			Documented: c.field(at("purchases", i, "documented"), "on"), Checked: r.Documented})
	}
	for i := 0; i < len(f.Sales)+spare; i++ {
		var r app.SaleRow
		if i < len(f.Sales) {
			r = f.Sales[i]
		}
		p.Sales = append(p.Sales, saleFields{Buyer: c.field(at("sales", i, "buyer_id"), r.BuyerID), Product: c.field(at("sales", i, "product_code"), r.ProductCode),
			Value: c.field(at("sales", i, "value_rub"), r.Value), Quantity: c.field(at("sales", i, "quantity"), r.Quantity), Unit: c.field(at("sales", i, "unit"), r.Unit),
			Documented: c.field(at("sales", i, "documented"), "on"), Checked: r.Documented})
	}
	for i := 0; i < len(f.Imports)+spare; i++ {
		var r app.ImportRow
		if i < len(f.Imports) {
			r = f.Imports[i]
		}
		p.Imports = append(p.Imports, importFields{Product: c.field(at("imports", i, "product_code"), r.ProductCode), Country: c.field(at("imports", i, "country"), r.Country),
			Value: c.field(at("imports", i, "value_rub"), r.Value), Quantity: c.field(at("imports", i, "quantity"), r.Quantity), Unit: c.field(at("imports", i, "unit"), r.Unit)})
	}
	for i := 0; i < len(f.Capacities)+spare; i++ {
		var r app.CapacityRow
		if i < len(f.Capacities) {
			r = f.Capacities[i]
		}
		p.Capacities = append(p.Capacities, capacityFields{Product: c.field(at("capacities", i, "product_code"), r.ProductCode), Value: c.field(at("capacities", i, "value_rub"), r.Value),
			Utilisation: c.field(at("capacities", i, "utilisation"), r.Utilisation)})
	}
	for i := 0; i < len(f.Problems)+1; i++ {
		var r app.ProblemRow
		if i < len(f.Problems) {
			r = f.Problems[i]
		}
		p.Problems = append(p.Problems, problemFields{Category: c.field(at("problems", i, "category"), r.Category), Text: c.field(at("problems", i, "text"), r.Text),
			Support: c.field(at("problems", i, "support_needed"), r.SupportNeeded)})
	}
}
