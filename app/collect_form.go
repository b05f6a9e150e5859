package app

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

// SubmissionForm is a submission as people type it, in the web form or the
// workbook: every figure as text, read with ParseAmount. Rows keep where
// they were read from (a workbook's sheet and row) so that messages can say
// where to look.
type SubmissionForm struct {
	Indicators    map[string]string // by indicator key
	IndicatorsPos map[string]gm.Pos
	Purchases     []PurchaseRow
	Sales         []SaleRow
	Imports       []ImportRow
	Capacities    []CapacityRow
	Problems      []ProblemRow
}

// PurchaseRow is a purchase as typed.
type PurchaseRow struct {
	Pos                                                          gm.Pos
	SupplierID, SupplierName, ProductCode, Value, Quantity, Unit string
	Documented                                                   bool
}

// SaleRow is a sale as typed.
type SaleRow struct {
	Pos                                         gm.Pos
	BuyerID, ProductCode, Value, Quantity, Unit string
	Documented                                  bool
}

// ImportRow is an import as typed.
type ImportRow struct {
	Pos                                         gm.Pos
	ProductCode, Country, Value, Quantity, Unit string
}

// CapacityRow is a capacity as typed.
type CapacityRow struct {
	Pos                             gm.Pos
	ProductCode, Value, Utilisation string
}

// ProblemRow is a problem as typed.
type ProblemRow struct {
	Pos                           gm.Pos
	Category, Text, SupportNeeded string
}

func blank(vs ...string) bool {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Compact drops the rows in which nothing was typed (the form's spare
// rows), so that row i of each list is item i of the submission.
func (f *SubmissionForm) Compact() {
	keep := func(n int, empty func(i int) bool) []int {
		var idx []int
		for i := 0; i < n; i++ {
			if !empty(i) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	var ps []PurchaseRow
	for _, i := range keep(len(f.Purchases), func(i int) bool {
		p := f.Purchases[i]
		return blank(p.SupplierID, p.SupplierName, p.ProductCode, p.Value, p.Quantity, p.Unit)
	}) {
		ps = append(ps, f.Purchases[i])
	}
	var ss []SaleRow
	for _, i := range keep(len(f.Sales), func(i int) bool { p := f.Sales[i]; return blank(p.BuyerID, p.ProductCode, p.Value, p.Quantity, p.Unit) }) {
		ss = append(ss, f.Sales[i])
	}
	var is []ImportRow
	for _, i := range keep(len(f.Imports), func(i int) bool {
		p := f.Imports[i]
		return blank(p.ProductCode, p.Country, p.Value, p.Quantity, p.Unit)
	}) {
		is = append(is, f.Imports[i])
	}
	var cs []CapacityRow
	for _, i := range keep(len(f.Capacities), func(i int) bool { p := f.Capacities[i]; return blank(p.ProductCode, p.Value, p.Utilisation) }) {
		cs = append(cs, f.Capacities[i])
	}
	var qs []ProblemRow
	for _, i := range keep(len(f.Problems), func(i int) bool { p := f.Problems[i]; return blank(p.Text, p.SupportNeeded) }) {
		qs = append(qs, f.Problems[i])
	}
	f.Purchases, f.Sales, f.Imports, f.Capacities, f.Problems = ps, ss, is, cs, qs
}

var (
	scaleWord = regexp.MustCompile(`(?i)^(.*?)\s*(млрд|миллиард\p{L}*|млн|миллион\p{L}*|тыс\.?|тысяч\p{L}*|mln|million|bn|billion|k)\s*\.?\s*(руб\.?|р\.?|₽)?$`)
	currency  = regexp.MustCompile(`(?i)\s*(руб\.?|рублей|р\.|₽|rub)$`)
)

// ParseAmount reads a figure typed the Russian way ("1 234,5",
// "1234.5", no-break spaces, a trailing «руб.» or «%» or «чел.»). Empty is
// nil (no data, never zero). It refuses, with a message in English and
// Russian, a figure in millions or thousands ("12,5 млн": it says what to
// type instead), a pasted range of Excel cells and anything that is not a
// number.
func ParseAmount(s string) (v *float64, en, ru string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, "", ""
	}
	if strings.ContainsAny(s, "\t\n\r") {
		return nil, "several cells were pasted into one field: type one number",
			"в поле вставлено несколько ячеек из Excel: введите одно число"
	}
	if m := scaleWord.FindStringSubmatch(s); m != nil {
		if x, ok := tabular.ParseNumber(m[1]); ok {
			w, f := strings.ToLower(m[2]), 1e6
			switch {
			case strings.HasPrefix(w, "млрд"), strings.HasPrefix(w, "миллиард"), w == "bn", w == "billion":
				f = 1e9
			case strings.HasPrefix(w, "тыс"), w == "k":
				f = 1e3
			}
			full := FormNumber(gm.Ptr(math.Round(x * f)))
			return nil, fmt.Sprintf("type the amount in roubles, in digits: %s is %s", s, full),
				fmt.Sprintf("введите сумму в рублях цифрами, без «%s»: %s — это %s", m[2], s, full)
		}
	}
	t := currency.ReplaceAllString(s, "")
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "%"), "чел."), "чел"))
	if x, ok := tabular.ParseNumber(t); ok {
		return &x, "", ""
	}
	if strings.IndexFunc(t, unicode.IsLetter) >= 0 {
		return nil, "not a number: type digits only, e.g. 1 234 567,89", "не число: введите только цифры, например 1 234 567,89"
	}
	return nil, "not a number: type e.g. 1 234 567,89", "не число: введите, например, 1 234 567,89"
}

// FormNumber writes a figure for a form field the Russian way: digits
// grouped by spaces, a decimal comma ("1 234 567,5"); nil is empty.
func FormNumber(v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if math.Abs(*v) >= 1e15 {
		s = strconv.FormatFloat(*v, 'f', 0, 64)
	}
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// parser reads a form's figures, collecting a problem per unreadable field.
type parser struct{ bad []gm.Problem }

func (p *parser) num(path, s string, pos gm.Pos) *float64 {
	v, en, ru := ParseAmount(s)
	if en != "" {
		p.bad = append(p.bad, gm.Problem{File: pos.File, Row: pos.Row, Column: path, Value: s, Message: en, MessageRU: ru})
	}
	return v
}

// Submission reads the form (compacted) into a submission. The problems
// are the fields whose text is not a figure, by field path (for example
// purchases[2].value_rub), with the sheet and row when the form came from a
// workbook; nothing is to be stored when there are any.
func (f SubmissionForm) Submission() (gm.Submission, []gm.Problem) {
	var s gm.Submission
	p := &parser{}
	for _, d := range gm.IndicatorDefs {
		*s.Indicators.Ref(d.Key) = p.num("indicators."+d.Key, f.Indicators[d.Key], f.IndicatorsPos[d.Key])
	}
	for i, r := range f.Purchases {
		at := fmt.Sprintf("purchases[%d].", i)
		s.Purchases = append(s.Purchases, gm.Purchase{SupplierID: strings.TrimSpace(r.SupplierID), SupplierName: r.SupplierName, ProductCode: r.ProductCode,
			ValueRUB: p.num(at+"value_rub", r.Value, r.Pos), Quantity: p.num(at+"quantity", r.Quantity, r.Pos), Unit: r.Unit, Documented: r.Documented})
	}
	for i, r := range f.Sales {
		at := fmt.Sprintf("sales[%d].", i)
		s.Sales = append(s.Sales, gm.Sale{BuyerID: strings.TrimSpace(r.BuyerID), ProductCode: r.ProductCode, ValueRUB: p.num(at+"value_rub", r.Value, r.Pos),
			Quantity: p.num(at+"quantity", r.Quantity, r.Pos), Unit: r.Unit, Documented: r.Documented})
	}
	for i, r := range f.Imports {
		at := fmt.Sprintf("imports[%d].", i)
		s.Imports = append(s.Imports, gm.SubmittedImport{ProductCode: r.ProductCode, Country: r.Country, ValueRUB: p.num(at+"value_rub", r.Value, r.Pos),
			Quantity: p.num(at+"quantity", r.Quantity, r.Pos), Unit: r.Unit})
	}
	for i, r := range f.Capacities {
		at := fmt.Sprintf("capacities[%d].", i)
		s.Capacities = append(s.Capacities, gm.SubmittedCapacity{ProductCode: r.ProductCode, ValueRUB: p.num(at+"value_rub", r.Value, r.Pos), Utilisation: p.num(at+"utilisation", r.Utilisation, r.Pos)})
	}
	for _, r := range f.Problems {
		s.Problems = append(s.Problems, gm.ReportedProblem{Category: r.Category, Text: r.Text, SupportNeeded: r.SupportNeeded})
	}
	s.Normalize()
	s.Lists()
	return s, p.bad
}

// FormOf writes a submission into a form, figures the Russian way.
func FormOf(s gm.Submission) SubmissionForm {
	f := SubmissionForm{Indicators: map[string]string{}}
	for _, d := range gm.IndicatorDefs {
		f.Indicators[d.Key] = FormNumber(s.Indicators.Get(d.Key))
	}
	for _, r := range s.Purchases {
		f.Purchases = append(f.Purchases, PurchaseRow{SupplierID: r.SupplierID, SupplierName: r.SupplierName, ProductCode: r.ProductCode, Value: FormNumber(r.ValueRUB),
			Quantity: FormNumber(r.Quantity), Unit: r.Unit, Documented: r.Documented})
	}
	for _, r := range s.Sales {
		f.Sales = append(f.Sales, SaleRow{BuyerID: r.BuyerID, ProductCode: r.ProductCode, Value: FormNumber(r.ValueRUB), Quantity: FormNumber(r.Quantity), Unit: r.Unit, Documented: r.Documented})
	}
	for _, r := range s.Imports {
		f.Imports = append(f.Imports, ImportRow{ProductCode: r.ProductCode, Country: r.Country, Value: FormNumber(r.ValueRUB), Quantity: FormNumber(r.Quantity), Unit: r.Unit})
	}
	for _, r := range s.Capacities {
		f.Capacities = append(f.Capacities, CapacityRow{ProductCode: r.ProductCode, Value: FormNumber(r.ValueRUB), Utilisation: FormNumber(r.Utilisation)})
	}
	for _, r := range s.Problems {
		f.Problems = append(f.Problems, ProblemRow{Category: r.Category, Text: r.Text, SupportNeeded: r.SupportNeeded})
	}
	return f
}

// Locate adds to validation problems (field paths) the sheet and row of the
// form row they are about, when the form was read from a workbook.
func (f SubmissionForm) Locate(ps []gm.Problem) []gm.Problem {
	out := make([]gm.Problem, len(ps))
	for i, p := range ps {
		if p.File == "" {
			if pos, ok := f.pos(p.Column); ok {
				p.File, p.Row = pos.File, pos.Row
			}
		}
		out[i] = p
	}
	return out
}

var pathRe = regexp.MustCompile(`^(\w+)\[(\d+)\]`)

func (f SubmissionForm) pos(path string) (gm.Pos, bool) {
	if k, ok := strings.CutPrefix(path, "indicators."); ok {
		p, ok := f.IndicatorsPos[k]
		return p, ok
	}
	m := pathRe.FindStringSubmatch(path)
	if m == nil {
		return gm.Pos{}, false
	}
	i, _ := strconv.Atoi(m[2])
	at := func(n int, get func(int) gm.Pos) (gm.Pos, bool) {
		if i < n {
			return get(i), get(i).File != ""
		}
		return gm.Pos{}, false
	}
	switch m[1] {
	case "purchases":
		return at(len(f.Purchases), func(i int) gm.Pos { return f.Purchases[i].Pos })
	case "sales":
		return at(len(f.Sales), func(i int) gm.Pos { return f.Sales[i].Pos })
	case "imports":
		return at(len(f.Imports), func(i int) gm.Pos { return f.Imports[i].Pos })
	case "capacities":
		return at(len(f.Capacities), func(i int) gm.Pos { return f.Capacities[i].Pos })
	case "problems":
		return at(len(f.Problems), func(i int) gm.Pos { return f.Problems[i].Pos })
	}
	return gm.Pos{}, false
}
