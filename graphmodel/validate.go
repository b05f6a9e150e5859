package graphmodel

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	idRe      = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)
	okpd2Re   = regexp.MustCompile(`^\d{2}(\.\d(\d(\.\d(\d(\.\d{3})?)?)?)?)?$`)
	hsRe      = regexp.MustCompile(`^\d{4}(\d{2}(\d{2}(\d{2})?)?)?$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
	okvedRe   = regexp.MustCompile(`^\d{2}(\.\d{1,2}){0,3}$`)
)

// MaxNameLen is the longest name accepted, in characters.
const MaxNameLen = 500

// ValidID reports whether s is a valid participant or cluster identifier:
// letters, digits and `_-.:`, 1 to 64 characters.
func ValidID(s string) bool { return idRe.MatchString(s) }

// ValidProductCode reports whether code has the shape of an OKPD2 code
// (XX, XX.X, XX.XX, XX.XX.X, XX.XX.XX, XX.XX.XX.XXX) or of an HS (ТН ВЭД)
// code (4, 6, 8 or 10 digits).
func ValidProductCode(code string) bool {
	return okpd2Re.MatchString(code) || hsRe.MatchString(code)
}

// IsOKPD2 reports whether code is an OKPD2 code (dotted form).
func IsOKPD2(code string) bool { return okpd2Re.MatchString(code) }

// CodeGroup returns the prefix used to find related products: the OKPD2 group
// (XX.XX) or the HS heading (first 4 digits). Codes shorter than that are
// returned whole.
func CodeGroup(code string) string {
	if IsOKPD2(code) {
		if len(code) >= 5 {
			return code[:5]
		}
		return code
	}
	if len(code) >= 4 {
		return code[:4]
	}
	return code
}

// ValidINN reports whether inn is a Russian taxpayer number with a correct
// checksum: 10 digits (organisations) or 12 digits (individuals).
func ValidINN(inn string) bool {
	for _, r := range inn {
		if r < '0' || r > '9' {
			return false
		}
	}
	d := func(i int) int { return int(inn[i] - '0') }
	check := func(n int, w []int) int {
		s := 0
		for i := 0; i < n; i++ {
			s += w[i] * d(i)
		}
		return s % 11 % 10
	}
	switch len(inn) {
	case 10:
		return check(9, []int{2, 4, 10, 3, 5, 9, 4, 6, 8}) == d(9)
	case 12:
		return check(10, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == d(10) &&
			check(11, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == d(11)
	}
	return false
}

// Units lists the accepted units of measure.
var Units = []string{"RUB", "t", "kg", "m", "m2", "m3", "pcs", "l", "kWh", "set"}

var unitAliases = map[string]string{
	"rub": "RUB", "руб": "RUB", "руб.": "RUB", "₽": "RUB", "рубль": "RUB", "рублей": "RUB",
	"t": "t", "т": "t", "т.": "t", "тонн": "t", "тонна": "t", "tonne": "t", "tonnes": "t",
	"kg": "kg", "кг": "kg",
	"m": "m", "м": "m", "пог.м": "m", "п.м": "m",
	"m2": "m2", "м2": "m2", "м²": "m2", "m²": "m2", "кв.м": "m2", "кв. м": "m2", "sq.m": "m2",
	"m3": "m3", "м3": "m3", "м³": "m3", "m³": "m3", "куб.м": "m3", "куб. м": "m3", "cu.m": "m3",
	"pcs": "pcs", "шт": "pcs", "шт.": "pcs", "pc": "pcs", "piece": "pcs", "pieces": "pcs", "ед": "pcs", "ед.": "pcs",
	"l": "l", "л": "l", "литр": "l",
	"kwh": "kWh", "квт·ч": "kWh", "квт*ч": "kWh", "квтч": "kWh",
	"set": "set", "компл": "set", "компл.": "set", "комплект": "set",
}

// NormalizeUnit maps a unit as users write it (e.g. "шт", "м²", "руб.") to
// its canonical form. ok is false for an unknown unit.
func NormalizeUnit(u string) (canon string, ok bool) {
	u = strings.TrimSpace(u)
	if u == "" {
		return "", true
	}
	if c, ok := unitAliases[strings.ToLower(u)]; ok {
		return c, true
	}
	return u, false
}

// ValidationOptions tune Validate.
type ValidationOptions struct {
	// Known participants (e.g. already in the store) that links may refer to
	// although they are not in the dataset.
	KnownParticipants map[string]bool
	// Known product codes besides those in the dataset.
	KnownProducts map[string]bool
}

type collector struct{ problems []Problem }

func (c *collector) add(pos Pos, record, column, value, en, ru string) {
	c.problems = append(c.problems, Problem{File: pos.File, Row: pos.Row, Record: record, Column: column, Value: value, Message: en, MessageRU: ru})
}

// Validate checks every record of the dataset and the references between
// them and returns all problems found, in file order. A nil result means the
// dataset is valid. The rules run sheet by sheet (see the validator's
// methods), each sheet after those it may refer to.
func (d *Dataset) Validate(opt ValidationOptions) []Problem {
	v := &validator{d: d, opt: opt}
	for _, sheet := range []func(){v.clusters, v.products, v.participants, v.links, v.imports, v.capacities, v.projects, v.employment} {
		sheet()
	}
	return v.problems
}

// validator checks one dataset; products and participants remember the
// keys seen so that later sheets can check their references.
type validator struct {
	collector
	d              *Dataset
	opt            ValidationOptions
	productKeys    map[string]Pos
	strictProducts bool // a products sheet or known products were given: codes must be known
	partKeys       map[string]Pos
}

func (v *validator) clusters() {
	ids := map[string]Pos{}
	for _, cl := range v.d.Clusters {
		if !ValidID(cl.ID) {
			v.add(cl.Pos, cl.ID, "id", cl.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор: 1–64 символа из букв, цифр и _-.:")
		} else if p, dup := ids[cl.ID]; dup {
			v.add(cl.Pos, cl.ID, "id", cl.ID, fmt.Sprintf("duplicate cluster id (first at row %d)", p.Row), fmt.Sprintf("повторяющийся идентификатор кластера (впервые в строке %d)", p.Row))
		}
		ids[cl.ID] = cl.Pos
		checkName(&v.collector, cl.Pos, cl.ID, cl.Name)
		checkTexts(&v.collector, cl.Pos, cl.ID, "specialization", cl.Specialization, "source", cl.Source)
		for _, r := range cl.Regions {
			checkText(&v.collector, cl.Pos, cl.ID, "regions", r)
		}
		if !validKind(cl.Kind) {
			v.add(cl.Pos, cl.ID, "kind", string(cl.Kind), "unknown cluster kind: use industrial, interregional, planned, foreign or local", "неизвестный вид кластера")
		}
		if cl.RegistryNo < 0 {
			v.add(cl.Pos, cl.ID, "registry_no", fmt.Sprint(cl.RegistryNo), "registry number must not be negative", "номер в реестре не может быть отрицательным")
		}
		if cl.Country != "" && !countryRe.MatchString(cl.Country) {
			v.add(cl.Pos, cl.ID, "country", cl.Country, "country must be a two-letter ISO code such as RU", "страна: двухбуквенный код ISO, например RU")
		}
	}
}

func (v *validator) products() {
	v.productKeys = map[string]Pos{}
	for _, p := range v.d.Products {
		if !ValidProductCode(p.Code) {
			v.add(p.Pos, p.Code, "code", p.Code, "not an OKPD2 code (e.g. 24.42.22) or an HS code (4, 6, 8 or 10 digits)", "не код ОКПД2 (например, 24.42.22) и не код ТН ВЭД (4, 6, 8 или 10 цифр)")
		} else if first, dup := v.productKeys[p.Code]; dup {
			v.add(p.Pos, p.Code, "code", p.Code, fmt.Sprintf("duplicate product code (first at row %d)", first.Row), fmt.Sprintf("повторяющийся код продукции (впервые в строке %d)", first.Row))
		}
		v.productKeys[p.Code] = p.Pos
		checkName(&v.collector, p.Pos, p.Code, p.Name)
		checkText(&v.collector, p.Pos, p.Code, "source", p.Source)
		checkUnit(&v.collector, p.Pos, p.Code, p.Unit)
		for _, in := range p.Inputs {
			if !ValidProductCode(in) {
				v.add(p.Pos, p.Code, "inputs", in, "input is not an OKPD2 or HS code", "входящая продукция: не код ОКПД2 или ТН ВЭД")
			} else if in == p.Code {
				v.add(p.Pos, p.Code, "inputs", in, "a product cannot be its own input", "продукция не может быть собственным сырьём")
			}
		}
	}
	// When no products sheet is given, any well-formed code is accepted.
	v.strictProducts = len(v.d.Products) > 0 || len(v.opt.KnownProducts) > 0
}

// productRef checks a product code a record refers to.
func (v *validator) productRef(pos Pos, rec, code string, required bool) {
	_, inFile := v.productKeys[code]
	switch {
	case code == "" && required:
		v.add(pos, rec, "product_code", "", "product code is required", "не указан код продукции")
	case code == "":
	case !ValidProductCode(code):
		v.add(pos, rec, "product_code", code, "not an OKPD2 code (e.g. 24.42.22) or an HS code (4, 6, 8 or 10 digits)", "не код ОКПД2 (например, 24.42.22) и не код ТН ВЭД (4, 6, 8 или 10 цифр)")
	case v.strictProducts && !inFile && !v.opt.KnownProducts[code]:
		v.add(pos, rec, "product_code", code, "unknown product: add it to products", "неизвестная продукция: добавьте её в справочник продукции")
	}
}

func (v *validator) participants() {
	v.partKeys = map[string]Pos{}
	inns := map[string]string{}
	for _, p := range v.d.Participants {
		if !ValidID(p.ID) {
			v.add(p.Pos, p.ID, "id", p.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор: 1–64 символа из букв, цифр и _-.:")
		} else if first, dup := v.partKeys[p.ID]; dup {
			v.add(p.Pos, p.ID, "id", p.ID, fmt.Sprintf("duplicate participant id (first at row %d)", first.Row), fmt.Sprintf("повторяющийся идентификатор участника (впервые в строке %d)", first.Row))
		}
		v.partKeys[p.ID] = p.Pos
		checkName(&v.collector, p.Pos, p.ID, p.Name)
		if p.INN != "" {
			if !ValidINN(p.INN) {
				v.add(p.Pos, p.ID, "inn", p.INN, "invalid INN: 10 or 12 digits with a correct checksum", "неверный ИНН: 10 или 12 цифр с правильной контрольной суммой")
			} else if other, dup := inns[p.INN]; dup && other != p.ID {
				v.add(p.Pos, p.ID, "inn", p.INN, "INN already used by participant "+other, "ИНН уже указан у участника "+other)
			} else {
				inns[p.INN] = p.ID
			}
		}
		v.participantFields(p)
	}
}

// participantFields checks a participant's fields other than its keys.
func (v *validator) participantFields(p Participant) {
	checkTexts(&v.collector, p.Pos, p.ID, "region", p.Region, "source", p.Source)
	if !validPKind(p.Kind) {
		v.add(p.Pos, p.ID, "kind", string(p.Kind), "unknown kind: use enterprise, sopc, university, research, infrastructure, finance or foreign_supplier", "неизвестный вид участника")
	}
	if p.Country != "" && !countryRe.MatchString(p.Country) {
		v.add(p.Pos, p.ID, "country", p.Country, "country must be a two-letter ISO code such as RU", "страна: двухбуквенный код ISO, например RU")
	}
	if p.OKVED != "" && !okvedRe.MatchString(p.OKVED) {
		v.add(p.Pos, p.ID, "okved", p.OKVED, "not an OKVED2 code (e.g. 24.42)", "не код ОКВЭД2 (например, 24.42)")
	}
	if p.Employees != nil && *p.Employees < 0 {
		v.add(p.Pos, p.ID, "employees", fmt.Sprint(*p.Employees), "must not be negative", "не может быть отрицательным")
	}
	checkMoney(&v.collector, p.Pos, p.ID, "revenue_rub", p.RevenueRUB)
	checkMoney(&v.collector, p.Pos, p.ID, "final_sales_rub", p.FinalSalesRUB)
	checkMoney(&v.collector, p.Pos, p.ID, "domestic_purchases_rub", p.DomesticPurchasesRUB)
	checkYear(&v.collector, p.Pos, p.ID, p.Year)
	for _, cid := range p.Clusters {
		if !ValidID(cid) {
			v.add(p.Pos, p.ID, "clusters", cid, "invalid cluster id", "недопустимый идентификатор кластера")
		}
	}
}

// participantRef checks a participant id a record refers to.
func (v *validator) participantRef(pos Pos, rec, col, id string) {
	_, inFile := v.partKeys[id]
	switch {
	case id == "":
		v.add(pos, rec, col, "", "participant id is required", "не указан идентификатор участника")
	case !inFile && !v.opt.KnownParticipants[id]:
		v.add(pos, rec, col, id, "unknown participant: add it to participants", "неизвестный участник: добавьте его в список участников")
	}
}

// duplicate reports a record whose key was seen before, at first.
func (v *validator) duplicate(pos Pos, rec string, first Pos, en, ru string) {
	v.add(pos, rec, "", "", fmt.Sprintf(en, first.Row), fmt.Sprintf(ru, first.Row))
}

func (v *validator) links() {
	type key struct {
		s, b, p string
		y       int
	}
	seen := map[key]Pos{}
	for _, l := range v.d.Links {
		rec := l.SupplierID + "→" + l.BuyerID
		v.participantRef(l.Pos, rec, "supplier_id", l.SupplierID)
		v.participantRef(l.Pos, rec, "buyer_id", l.BuyerID)
		if l.SupplierID != "" && l.SupplierID == l.BuyerID {
			v.add(l.Pos, rec, "buyer_id", l.BuyerID, "self-link: supplier and buyer are the same participant", "связь участника с самим собой: поставщик и покупатель совпадают")
		}
		v.productRef(l.Pos, rec, l.ProductCode, false)
		checkYear(&v.collector, l.Pos, rec, l.Year)
		checkMoney(&v.collector, l.Pos, rec, "value_rub", l.ValueRUB)
		checkMoney(&v.collector, l.Pos, rec, "quantity", l.Quantity)
		checkUnit(&v.collector, l.Pos, rec, l.Unit)
		checkText(&v.collector, l.Pos, rec, "source", l.Source)
		k := key{l.SupplierID, l.BuyerID, l.ProductCode, l.Year}
		if first, dup := seen[k]; dup {
			v.duplicate(l.Pos, rec, first, "duplicate link (same supplier, buyer, product and year as row %d): merge them into one row",
				"повторяющаяся связь (тот же поставщик, покупатель, продукция и год, что в строке %d): объедините строки")
		} else {
			seen[k] = l.Pos
		}
	}
}

func (v *validator) imports() {
	type key struct {
		p, c, country string
		y             int
	}
	seen := map[key]Pos{}
	for _, m := range v.d.Imports {
		rec := m.ParticipantID + "/" + m.ProductCode
		v.participantRef(m.Pos, rec, "participant_id", m.ParticipantID)
		v.productRef(m.Pos, rec, m.ProductCode, true)
		checkYear(&v.collector, m.Pos, rec, m.Year)
		checkMoney(&v.collector, m.Pos, rec, "value_rub", &m.ValueRUB)
		checkMoney(&v.collector, m.Pos, rec, "quantity", m.Quantity)
		checkUnit(&v.collector, m.Pos, rec, m.Unit)
		checkText(&v.collector, m.Pos, rec, "source", m.Source)
		if m.Country != "" && !countryRe.MatchString(m.Country) {
			v.add(m.Pos, rec, "country", m.Country, "country must be a two-letter ISO code such as CN", "страна: двухбуквенный код ISO, например CN")
		}
		k := key{m.ParticipantID, m.ProductCode, m.Country, m.Year}
		if first, dup := seen[k]; dup {
			v.duplicate(m.Pos, rec, first, "duplicate import (same participant, product, country and year as row %d)",
				"повторяющаяся строка импорта (тот же участник, продукция, страна и год, что в строке %d)")
		} else {
			seen[k] = m.Pos
		}
	}
}

func (v *validator) capacities() {
	type key struct {
		p, c string
		y    int
	}
	seen := map[key]Pos{}
	for _, m := range v.d.Capacities {
		rec := m.ParticipantID + "/" + m.ProductCode
		v.participantRef(m.Pos, rec, "participant_id", m.ParticipantID)
		v.productRef(m.Pos, rec, m.ProductCode, true)
		checkYear(&v.collector, m.Pos, rec, m.Year)
		checkMoney(&v.collector, m.Pos, rec, "value_rub", &m.ValueRUB)
		checkMoney(&v.collector, m.Pos, rec, "quantity", m.Quantity)
		checkUnit(&v.collector, m.Pos, rec, m.Unit)
		checkText(&v.collector, m.Pos, rec, "source", m.Source)
		k := key{m.ParticipantID, m.ProductCode, m.Year}
		if first, dup := seen[k]; dup {
			v.duplicate(m.Pos, rec, first, "duplicate capacity (same participant, product and year as row %d)",
				"повторяющаяся строка мощности (тот же участник, продукция и год, что в строке %d)")
		} else {
			seen[k] = m.Pos
		}
	}
}

func (v *validator) projects() {
	seen := map[string]Pos{}
	for _, p := range v.d.Projects {
		if !ValidID(p.ID) {
			v.add(p.Pos, p.ID, "id", p.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор")
		} else if first, dup := seen[p.ID]; dup {
			v.add(p.Pos, p.ID, "id", p.ID, fmt.Sprintf("duplicate project id (first at row %d)", first.Row), fmt.Sprintf("повторяющийся идентификатор проекта (впервые в строке %d)", first.Row))
		}
		seen[p.ID] = p.Pos
		v.participantRef(p.Pos, p.ID, "participant_id", p.ParticipantID)
		v.productRef(p.Pos, p.ID, p.ProductCode, false)
		checkName(&v.collector, p.Pos, p.ID, p.Name)
		checkTexts(&v.collector, p.Pos, p.ID, "status", p.Status, "source", p.Source)
		checkYear(&v.collector, p.Pos, p.ID, p.Year)
		checkMoney(&v.collector, p.Pos, p.ID, "investment_rub", p.InvestmentRUB)
	}
}

func (v *validator) employment() {
	type key struct {
		r, i, g string
		y       int
	}
	seen := map[key]Pos{}
	for _, e := range v.d.Employment {
		rec := e.Region + "/" + e.Industry
		if strings.TrimSpace(e.Region) == "" {
			v.add(e.Pos, rec, "region", "", "region is required", "не указан регион")
		}
		if strings.TrimSpace(e.Industry) == "" {
			v.add(e.Pos, rec, "industry", "", "industry is required", "не указана отрасль")
		}
		checkTexts(&v.collector, e.Pos, rec, "region", e.Region, "industry", e.Industry, "group", e.Group)
		checkMoney(&v.collector, e.Pos, rec, "employees", &e.Employees)
		checkYear(&v.collector, e.Pos, rec, e.Year)
		k := key{e.Region, e.Industry, e.Group, e.Year}
		if first, dup := seen[k]; dup {
			v.duplicate(e.Pos, rec, first, "duplicate employment row (same region, industry, group and year as row %d)",
				"повторяющаяся строка занятости (тот же регион, отрасль, группа и год, что в строке %d)")
		} else {
			seen[k] = e.Pos
		}
	}
}

// MaxTextBytes is the longest free-text value accepted (a name, a source, a
// region …), as the CSV and workbook readers accept it.
const MaxTextBytes = 64 << 10

// checkText refuses what a free-text value cannot hold and still be written
// to CSV and read back: invalid UTF-8, NUL and other control characters
// (tab and line breaks excepted), more than MaxTextBytes.
func checkText(c *collector, pos Pos, rec, col, v string) {
	switch {
	case !utf8.ValidString(v):
		c.add(pos, rec, col, strings.ToValidUTF8(v, "?"), "invalid UTF-8 text", "недопустимый текст UTF-8")
	case len(v) > MaxTextBytes:
		c.add(pos, rec, col, v[:40], fmt.Sprintf("value is %d bytes long; the limit is %d", len(v), MaxTextBytes), fmt.Sprintf("значение длиной %d байт; предел %d", len(v), MaxTextBytes))
	default:
		for _, r := range v {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
				c.add(pos, rec, col, strings.Map(func(r rune) rune {
					if r < 0x20 || r == 0x7f {
						return '?'
					}
					return r
				}, v), fmt.Sprintf("control character U+%04X in the text (NUL, escape …): remove it", r), fmt.Sprintf("управляющий символ U+%04X в тексте: удалите его", r))
				return
			}
		}
	}
}

// checkTexts checks several columns of one record.
func checkTexts(c *collector, pos Pos, rec string, colValues ...string) {
	for i := 0; i+1 < len(colValues); i += 2 {
		checkText(c, pos, rec, colValues[i], colValues[i+1])
	}
}

func checkName(c *collector, pos Pos, rec, name string) {
	checkText(c, pos, rec, "name", name)
	switch {
	case strings.TrimSpace(name) == "":
		c.add(pos, rec, "name", "", "name is required", "не указано наименование")
	case utf8.RuneCountInString(name) > MaxNameLen:
		c.add(pos, rec, "name", name, fmt.Sprintf("name longer than %d characters", MaxNameLen), fmt.Sprintf("наименование длиннее %d символов", MaxNameLen))
	}
}

func checkMoney(c *collector, pos Pos, rec, col string, v *float64) {
	if v == nil {
		return
	}
	switch {
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		c.add(pos, rec, col, fmt.Sprint(*v), "not a finite number", "не конечное число")
	case *v < 0:
		c.add(pos, rec, col, fmt.Sprint(*v), "must not be negative", "не может быть отрицательным")
	case *v > 1e18:
		c.add(pos, rec, col, fmt.Sprint(*v), "implausibly large (over 10^18)", "неправдоподобно большое значение (более 10^18)")
	}
}

func checkYear(c *collector, pos Pos, rec string, y int) {
	if y != 0 && (y < 1900 || y > 2100) {
		c.add(pos, rec, "year", fmt.Sprint(y), "year must be between 1900 and 2100", "год должен быть от 1900 до 2100")
	}
}

func checkUnit(c *collector, pos Pos, rec, u string) {
	if u == "" {
		return
	}
	if _, ok := NormalizeUnit(u); !ok {
		c.add(pos, rec, "unit", u, "unknown unit: use "+strings.Join(Units, ", "), "неизвестная единица измерения: допустимы "+strings.Join(Units, ", "))
	}
}

func validKind(k ClusterKind) bool {
	for _, x := range ClusterKinds {
		if x == k {
			return true
		}
	}
	return false
}

func validPKind(k ParticipantKind) bool {
	for _, x := range ParticipantKinds {
		if x == k {
			return true
		}
	}
	return false
}
