package graphmodel

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Flag is a warning about a submission: a figure an analyst would question.
// It does not block submit.
type Flag struct {
	Code      string `json:"code"` // jump, over_shipped, over_materials, over_sales, unknown_product, disagree
	Field     string `json:"field,omitempty"`
	Message   string `json:"message"`
	MessageRU string `json:"message_ru"`
}

// Flag codes.
const (
	FlagJump           = "jump"            // ×5 or ÷5 against last year
	FlagOverShipped    = "over_shipped"    // shipped to participants > shipped
	FlagOverMaterials  = "over_materials"  // purchases > materials cost
	FlagOverSales      = "over_sales"      // sales to participants > shipped to participants
	FlagUnknownProduct = "unknown_product" // a well-formed code not in the catalogue
	FlagDisagree       = "disagree"        // the other side of a supply reports another value
)

// JumpRatio is the year-over-year ratio beyond which a figure is flagged.
const JumpRatio = 5

// MaxProblemText is the longest problem or support text, in characters.
const MaxProblemText = 2000

// SubmissionContext is what a submission is checked against.
type SubmissionContext struct {
	Participant  string            // who answers
	Members      map[string]string // the cluster's participants: id → name
	KnownProduct func(code string) bool
	Previous     *Submission // the accepted data of the previous year, for the ×5 check
}

// Normalize tidies what people type: product codes without spaces,
// countries as ISO codes, units in their canonical form, text trimmed.
func (s *Submission) Normalize() {
	code := func(c string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, c)
	}
	unit := func(u string) string {
		if c, ok := NormalizeUnit(u); ok {
			return c
		}
		return strings.TrimSpace(u)
	}
	for i := range s.Purchases {
		p := &s.Purchases[i]
		p.SupplierID, p.SupplierName = strings.TrimSpace(p.SupplierID), strings.Join(strings.Fields(p.SupplierName), " ")
		p.ProductCode, p.Unit = code(p.ProductCode), unit(p.Unit)
	}
	for i := range s.Sales {
		p := &s.Sales[i]
		p.BuyerID, p.ProductCode, p.Unit = strings.TrimSpace(p.BuyerID), code(p.ProductCode), unit(p.Unit)
	}
	for i := range s.Imports {
		p := &s.Imports[i]
		p.ProductCode, p.Unit = code(p.ProductCode), unit(p.Unit)
		if c, ok := CountryCode(p.Country); ok {
			p.Country = c
		}
	}
	for i := range s.Capacities {
		s.Capacities[i].ProductCode = code(s.Capacities[i].ProductCode)
	}
	for i := range s.Problems {
		p := &s.Problems[i]
		p.Category, p.Text, p.SupportNeeded = strings.TrimSpace(p.Category), strings.TrimSpace(p.Text), strings.TrimSpace(p.SupportNeeded)
	}
}

// checker collects a submission's problems and flags.
type checker struct {
	c     SubmissionContext
	errs  []Problem
	flags []Flag
}

func (k *checker) bad(path, value, en, ru string) {
	k.errs = append(k.errs, Problem{Column: path, Value: value, Message: en, MessageRU: ru})
}

func (k *checker) flag(code, path, en, ru string) {
	k.flags = append(k.flags, Flag{Code: code, Field: path, Message: en, MessageRU: ru})
}

func fnum(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// money checks an amount of roubles (or a count, for employees).
func (k *checker) money(path string, v *float64, required bool) {
	switch {
	case v == nil && required:
		k.bad(path, "", "the value in roubles is required", "укажите сумму в рублях")
	case v == nil:
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		k.bad(path, fmt.Sprint(*v), "not a finite number", "не число")
	case *v < 0:
		k.bad(path, fnum(*v), "must not be negative", "не может быть отрицательным")
	case *v > 1e15:
		k.bad(path, fnum(*v), "implausibly large (over 10^15): type the amount in roubles", "неправдоподобно большое значение (более 10^15): укажите сумму в рублях")
	}
}

func (k *checker) code(path, code string) {
	switch {
	case code == "":
		k.bad(path, "", "the product code is required (OKPD2 or HS): pick it from the catalogue", "укажите код продукции (ОКПД2 или ТН ВЭД): выберите его из справочника")
	case !ValidProductCode(code):
		k.bad(path, code, "not an OKPD2 code (e.g. 24.42.22) or an HS code (4, 6, 8 or 10 digits)", "не код ОКПД2 (например, 24.42.22) и не код ТН ВЭД (4, 6, 8 или 10 цифр)")
	case k.c.KnownProduct != nil && !k.c.KnownProduct(code):
		k.flag(FlagUnknownProduct, path, "the code "+code+" is not in the product catalogue; check it", "кода "+code+" нет в справочнике продукции; проверьте его")
	}
}

func (k *checker) unit(path, u string) {
	if _, ok := NormalizeUnit(u); !ok && u != "" {
		k.bad(path, u, "unknown unit: use "+strings.Join(Units, ", "), "неизвестная единица измерения: допустимы "+strings.Join(Units, ", "))
	}
}

// member checks a reference to another participant of the cluster.
func (k *checker) member(path, id, who string) {
	switch {
	case id == "":
		k.bad(path, "", "pick the "+who+" from the cluster's participants", "выберите участника кластера из списка")
	case id == k.c.Participant:
		k.bad(path, id, "a participant cannot trade with itself", "нельзя указать собственную организацию")
	case k.c.Members != nil && k.c.Members[id] == "":
		k.bad(path, id, "not a participant of the cluster: pick one from the list, or give the name of a supplier outside the cluster", "не участник кластера: выберите участника из списка или укажите название поставщика вне кластера")
	}
}

// dup reports the second of two rows with the same key.
func (k *checker) dup(seen map[string]int, key, path string, i int, what, whatRU string) {
	if first, ok := seen[key]; ok {
		k.bad(path, "", fmt.Sprintf("the same %s as in row %d: put it in one row", what, first+1), fmt.Sprintf("повторяет строку %d (%s те же): объедините их в одну строку", first+1, whatRU))
		return
	}
	seen[key] = i
}

// Validate checks the submission (normalized) and returns its hard problems,
// with field paths such as purchases[2].product_code (they block submit),
// and the warnings an analyst would question.
func (s *Submission) Validate(c SubmissionContext) ([]Problem, []Flag) {
	k := &checker{c: c}
	if s.empty() {
		k.bad("indicators", "", "the form is empty: fill in at least one figure", "анкета пуста: заполните хотя бы один показатель")
	}
	k.indicators(s)
	k.purchases(s)
	k.sales(s)
	k.imports(s)
	k.capacities(s)
	k.problems(s)
	k.jumps(s)
	return k.errs, k.flags
}

func (k *checker) indicators(s *Submission) {
	in := s.Indicators
	for _, d := range IndicatorDefs {
		v := in.Get(d.Key)
		k.money("indicators."+d.Key, v, false)
		if d.Key == "employees" && v != nil && *v != math.Trunc(*v) {
			k.bad("indicators.employees", fnum(*v), "employees must be a whole number", "численность — целое число")
		}
	}
	if a, b := in.ShippedToParticipantsRUB, in.ShippedRUB; a != nil && b != nil && *a > *b {
		k.flag(FlagOverShipped, "indicators.shipped_to_participants_rub", "shipped to other participants is more than everything shipped", "отгружено другим участникам больше, чем отгружено всего")
	}
	var purchased float64
	for _, p := range s.Purchases {
		purchased += deref(p.ValueRUB)
	}
	for _, p := range s.Imports {
		purchased += deref(p.ValueRUB)
	}
	if m := in.MaterialsRUB; m != nil && purchased > *m {
		k.flag(FlagOverMaterials, "indicators.materials_rub", fmt.Sprintf("purchases and imports (%s RUB) are more than the cost of materials", fnum(purchased)),
			fmt.Sprintf("закупки и импорт (%s руб.) больше расходов на сырьё, материалы и комплектующие", FormatMoney("ru", purchased)))
	}
	var sold float64
	for _, p := range s.Sales {
		sold += deref(p.ValueRUB)
	}
	if m := in.ShippedToParticipantsRUB; m != nil && sold > *m*1.0001 {
		k.flag(FlagOverSales, "indicators.shipped_to_participants_rub", fmt.Sprintf("sales to participants (%s RUB) are more than shipped to participants", fnum(sold)),
			fmt.Sprintf("продажи участникам (%s руб.) больше, чем отгружено участникам", FormatMoney("ru", sold)))
	}
}

func deref(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

func (k *checker) purchases(s *Submission) {
	seen := map[string]int{}
	for i, p := range s.Purchases {
		at := fmt.Sprintf("purchases[%d].", i)
		switch {
		case p.SupplierID == "" && p.SupplierName == "":
			k.bad(at+"supplier_id", "", "name the supplier: a participant from the list, or the name of a supplier outside the cluster", "укажите поставщика: участника кластера из списка или название поставщика вне кластера")
		case p.SupplierID != "" && p.SupplierName != "":
			k.bad(at+"supplier_name", p.SupplierName, "give either a participant of the cluster or the name of another supplier, not both", "укажите либо участника кластера, либо название другого поставщика, не оба")
		case p.SupplierID != "":
			k.member(at+"supplier_id", p.SupplierID, "supplier")
		case utf8.RuneCountInString(p.SupplierName) > MaxNameLen:
			k.bad(at+"supplier_name", p.SupplierName, "name too long", "слишком длинное наименование")
		}
		k.code(at+"product_code", p.ProductCode)
		k.money(at+"value_rub", p.ValueRUB, true)
		k.money(at+"quantity", p.Quantity, false)
		k.unit(at+"unit", p.Unit)
		k.dup(seen, "id:"+p.SupplierID+"|name:"+strings.ToLower(p.SupplierName)+"|"+p.ProductCode, at+"product_code", i, "supplier and product", "поставщик и код продукции")
	}
}

func (k *checker) sales(s *Submission) {
	seen := map[string]int{}
	for i, p := range s.Sales {
		at := fmt.Sprintf("sales[%d].", i)
		k.member(at+"buyer_id", p.BuyerID, "buyer")
		k.code(at+"product_code", p.ProductCode)
		k.money(at+"value_rub", p.ValueRUB, true)
		k.money(at+"quantity", p.Quantity, false)
		k.unit(at+"unit", p.Unit)
		k.dup(seen, p.BuyerID+"|"+p.ProductCode, at+"product_code", i, "buyer and product", "покупатель и код продукции")
	}
}

func (k *checker) imports(s *Submission) {
	seen := map[string]int{}
	for i, p := range s.Imports {
		at := fmt.Sprintf("imports[%d].", i)
		k.code(at+"product_code", p.ProductCode)
		if _, ok := CountryCode(p.Country); !ok || p.Country == "" {
			k.bad(at+"country", p.Country, "the country of origin: an ISO code such as CN or a name such as China", "страна происхождения: выберите из списка или укажите код ISO, например CN (Китай)")
		}
		k.money(at+"value_rub", p.ValueRUB, true)
		k.money(at+"quantity", p.Quantity, false)
		k.unit(at+"unit", p.Unit)
		k.dup(seen, p.ProductCode+"|"+p.Country, at+"country", i, "product and country", "код продукции и страна")
	}
}

func (k *checker) capacities(s *Submission) {
	seen := map[string]int{}
	for i, p := range s.Capacities {
		at := fmt.Sprintf("capacities[%d].", i)
		k.code(at+"product_code", p.ProductCode)
		k.money(at+"value_rub", p.ValueRUB, true)
		if u := p.Utilisation; u != nil && (*u < 0 || *u > 100 || math.IsNaN(*u)) {
			k.bad(at+"utilisation", fnum(*u), "utilisation is a percentage from 0 to 100", "загрузка — процент от 0 до 100")
		}
		k.dup(seen, p.ProductCode, at+"product_code", i, "product", "код продукции")
	}
}

func (k *checker) problems(s *Submission) {
	for i, p := range s.Problems {
		at := fmt.Sprintf("problems[%d].", i)
		if !isOneOf(p.Category, ProblemCategories) {
			k.bad(at+"category", p.Category, "pick a category: "+strings.Join(ProblemCategories, ", "), "выберите категорию проблемы из списка")
		}
		switch {
		case p.Text == "":
			k.bad(at+"text", "", "describe the problem", "опишите проблему")
		case utf8.RuneCountInString(p.Text) > MaxProblemText:
			k.bad(at+"text", "", fmt.Sprintf("at most %d characters", MaxProblemText), fmt.Sprintf("не более %d символов", MaxProblemText))
		}
		if utf8.RuneCountInString(p.SupportNeeded) > MaxProblemText {
			k.bad(at+"support_needed", "", fmt.Sprintf("at most %d characters", MaxProblemText), fmt.Sprintf("не более %d символов", MaxProblemText))
		}
	}
}

func isOneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// jump flags a figure that is JumpRatio times larger or smaller than last
// year's.
func (k *checker) jump(path string, now, before float64) {
	if before <= 0 || now < 0 {
		return
	}
	r := now / before
	switch {
	case r >= JumpRatio:
		k.flag(FlagJump, path, fmt.Sprintf("%.1f times last year's %s", r, fnum(before)), fmt.Sprintf("в %s раза больше, чем в прошлом году (%s)", FormatNumber("ru", r, 1), FormatMoney("ru", before)))
	case r <= 1.0/JumpRatio:
		k.flag(FlagJump, path, fmt.Sprintf("%.1f times less than last year's %s", before/math.Max(now, 1e-9), fnum(before)), fmt.Sprintf("намного меньше, чем в прошлом году (%s)", FormatMoney("ru", before)))
	}
}

// jumps compares the figures with last year's: indicators, purchases by
// supplier and product, imports and capacities by product.
func (k *checker) jumps(s *Submission) {
	prev := k.c.Previous
	if prev == nil {
		return
	}
	for _, d := range IndicatorDefs {
		if now, before := s.Indicators.Get(d.Key), prev.Indicators.Get(d.Key); now != nil && before != nil {
			k.jump("indicators."+d.Key, *now, *before)
		}
	}
	sum := func(n int, key func(i int) string, val func(i int) *float64) (map[string]float64, map[string]int) {
		m, first := map[string]float64{}, map[string]int{}
		for i := 0; i < n; i++ {
			if _, ok := first[key(i)]; !ok {
				first[key(i)] = i
			}
			m[key(i)] += deref(val(i))
		}
		return m, first
	}
	compare := func(section string, now, before map[string]float64, first map[string]int) {
		keys := make([]string, 0, len(now))
		for key := range now {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			if b, ok := before[key]; ok {
				k.jump(fmt.Sprintf("%s[%d].value_rub", section, first[key]), now[key], b)
			}
		}
	}
	pk := func(p Purchase) string {
		return p.SupplierID + "|" + strings.ToLower(p.SupplierName) + "|" + p.ProductCode
	}
	nowP, firstP := sum(len(s.Purchases), func(i int) string { return pk(s.Purchases[i]) }, func(i int) *float64 { return s.Purchases[i].ValueRUB })
	befP, _ := sum(len(prev.Purchases), func(i int) string { return pk(prev.Purchases[i]) }, func(i int) *float64 { return prev.Purchases[i].ValueRUB })
	compare("purchases", nowP, befP, firstP)
	nowI, firstI := sum(len(s.Imports), func(i int) string { return s.Imports[i].ProductCode }, func(i int) *float64 { return s.Imports[i].ValueRUB })
	befI, _ := sum(len(prev.Imports), func(i int) string { return prev.Imports[i].ProductCode }, func(i int) *float64 { return prev.Imports[i].ValueRUB })
	compare("imports", nowI, befI, firstI)
	nowC, firstC := sum(len(s.Capacities), func(i int) string { return s.Capacities[i].ProductCode }, func(i int) *float64 { return s.Capacities[i].ValueRUB })
	befC, _ := sum(len(prev.Capacities), func(i int) string { return prev.Capacities[i].ProductCode }, func(i int) *float64 { return prev.Capacities[i].ValueRUB })
	compare("capacities", nowC, befC, firstC)
}

// empty reports whether nothing at all was filled in.
func (s *Submission) empty() bool {
	for _, d := range IndicatorDefs {
		if s.Indicators.Get(d.Key) != nil {
			return false
		}
	}
	return len(s.Purchases)+len(s.Sales)+len(s.Imports)+len(s.Capacities)+len(s.Problems) == 0
}

// Completion is the share of the ten items of a complete answer that are
// filled in: the nine statutory figures, and at least one purchase or
// import (the niche method starts from them).
func (s Submission) Completion() float64 {
	n := 0
	for _, d := range IndicatorDefs {
		if s.Indicators.Get(d.Key) != nil {
			n++
		}
	}
	if len(s.Purchases)+len(s.Imports) > 0 {
		n++
	}
	return float64(n) / float64(len(IndicatorDefs)+1)
}

// Disagreement is a supply both sides reported with values that differ by
// more than the tolerance.
type Disagreement struct {
	SupplierID    string  `json:"supplier_id"`
	BuyerID       string  `json:"buyer_id"`
	ProductCode   string  `json:"product_code"`
	ProductName   string  `json:"product_name,omitempty"` // from the catalogue, when it names the code
	SupplierRUB   float64 `json:"supplier_rub"`
	BuyerRUB      float64 `json:"buyer_rub"`
	DifferenceRUB float64 `json:"difference_rub"` // supplier's minus buyer's
}

// ReconcileTolerance is the relative difference (of the larger side) two
// sides of one supply may have.
const ReconcileTolerance = 0.05

// Reconcile lists every supplier/buyer/product whose two sides — the
// supplier's sale and the buyer's purchase, in the submissions by
// participant id — differ by more than tolerance × the larger value; the
// largest differences first.
func Reconcile(subs map[string]Submission, tolerance float64) []Disagreement {
	type key struct{ s, b, p string }
	sold, bought := map[key]float64{}, map[key]float64{}
	for pid, sub := range subs {
		for _, x := range sub.Sales {
			if x.ValueRUB != nil {
				sold[key{pid, x.BuyerID, x.ProductCode}] += *x.ValueRUB
			}
		}
		for _, x := range sub.Purchases {
			if x.SupplierID != "" && x.ValueRUB != nil {
				bought[key{x.SupplierID, pid, x.ProductCode}] += *x.ValueRUB
			}
		}
	}
	out := []Disagreement{}
	for k, sv := range sold {
		bv, ok := bought[k]
		if _, both := subs[k.b]; !ok || !both {
			continue
		}
		if math.Abs(sv-bv) > tolerance*math.Max(sv, bv) {
			out = append(out, Disagreement{SupplierID: k.s, BuyerID: k.b, ProductCode: k.p, SupplierRUB: sv, BuyerRUB: bv, DifferenceRUB: sv - bv})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		di, dj := math.Abs(out[i].DifferenceRUB), math.Abs(out[j].DifferenceRUB)
		if di != dj {
			return di > dj
		}
		return out[i].SupplierID+out[i].BuyerID+out[i].ProductCode < out[j].SupplierID+out[j].BuyerID+out[j].ProductCode
	})
	return out
}
