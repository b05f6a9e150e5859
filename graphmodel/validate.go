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
// dataset is valid.
func (d *Dataset) Validate(opt ValidationOptions) []Problem {
	c := &collector{}
	// Clusters.
	clusterIDs := map[string]Pos{}
	for _, cl := range d.Clusters {
		if !ValidID(cl.ID) {
			c.add(cl.Pos, cl.ID, "id", cl.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор: 1–64 символа из букв, цифр и _-.:")
		} else if p, dup := clusterIDs[cl.ID]; dup {
			c.add(cl.Pos, cl.ID, "id", cl.ID, fmt.Sprintf("duplicate cluster id (first at row %d)", p.Row), fmt.Sprintf("повторяющийся идентификатор кластера (впервые в строке %d)", p.Row))
		}
		clusterIDs[cl.ID] = cl.Pos
		checkName(c, cl.Pos, cl.ID, cl.Name)
		if !validKind(cl.Kind) {
			c.add(cl.Pos, cl.ID, "kind", string(cl.Kind), "unknown cluster kind: use industrial, interregional, planned, foreign or local", "неизвестный вид кластера")
		}
		if cl.RegistryNo < 0 {
			c.add(cl.Pos, cl.ID, "registry_no", fmt.Sprint(cl.RegistryNo), "registry number must not be negative", "номер в реестре не может быть отрицательным")
		}
		if cl.Country != "" && !countryRe.MatchString(cl.Country) {
			c.add(cl.Pos, cl.ID, "country", cl.Country, "country must be a two-letter ISO code such as RU", "страна: двухбуквенный код ISO, например RU")
		}
	}

	// Products.
	products := map[string]Pos{}
	for _, p := range d.Products {
		if !ValidProductCode(p.Code) {
			c.add(p.Pos, p.Code, "code", p.Code, "not an OKPD2 code (e.g. 24.42.22) or an HS code (4, 6, 8 or 10 digits)", "не код ОКПД2 (например, 24.42.22) и не код ТН ВЭД (4, 6, 8 или 10 цифр)")
		} else if first, dup := products[p.Code]; dup {
			c.add(p.Pos, p.Code, "code", p.Code, fmt.Sprintf("duplicate product code (first at row %d)", first.Row), fmt.Sprintf("повторяющийся код продукции (впервые в строке %d)", first.Row))
		}
		products[p.Code] = p.Pos
		checkName(c, p.Pos, p.Code, p.Name)
		checkUnit(c, p.Pos, p.Code, p.Unit)
		for _, in := range p.Inputs {
			if !ValidProductCode(in) {
				c.add(p.Pos, p.Code, "inputs", in, "input is not an OKPD2 or HS code", "входящая продукция: не код ОКПД2 или ТН ВЭД")
			} else if in == p.Code {
				c.add(p.Pos, p.Code, "inputs", in, "a product cannot be its own input", "продукция не может быть собственным сырьём")
			}
		}
	}
	productKnown := func(code string) bool {
		if _, ok := products[code]; ok {
			return true
		}
		return opt.KnownProducts[code]
	}
	// When no products sheet is given, any well-formed code is accepted.
	strictProducts := len(d.Products) > 0 || len(opt.KnownProducts) > 0
	checkProduct := func(pos Pos, rec, code string, required bool) {
		switch {
		case code == "" && required:
			c.add(pos, rec, "product_code", "", "product code is required", "не указан код продукции")
		case code == "":
		case !ValidProductCode(code):
			c.add(pos, rec, "product_code", code, "not an OKPD2 code (e.g. 24.42.22) or an HS code (4, 6, 8 or 10 digits)", "не код ОКПД2 (например, 24.42.22) и не код ТН ВЭД (4, 6, 8 или 10 цифр)")
		case strictProducts && !productKnown(code):
			c.add(pos, rec, "product_code", code, "unknown product: add it to products", "неизвестная продукция: добавьте её в справочник продукции")
		}
	}

	// Participants.
	parts := map[string]Pos{}
	inns := map[string]string{}
	for _, p := range d.Participants {
		if !ValidID(p.ID) {
			c.add(p.Pos, p.ID, "id", p.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор: 1–64 символа из букв, цифр и _-.:")
		} else if first, dup := parts[p.ID]; dup {
			c.add(p.Pos, p.ID, "id", p.ID, fmt.Sprintf("duplicate participant id (first at row %d)", first.Row), fmt.Sprintf("повторяющийся идентификатор участника (впервые в строке %d)", first.Row))
		}
		parts[p.ID] = p.Pos
		checkName(c, p.Pos, p.ID, p.Name)
		if p.INN != "" {
			if !ValidINN(p.INN) {
				c.add(p.Pos, p.ID, "inn", p.INN, "invalid INN: 10 or 12 digits with a correct checksum", "неверный ИНН: 10 или 12 цифр с правильной контрольной суммой")
			} else if other, dup := inns[p.INN]; dup && other != p.ID {
				c.add(p.Pos, p.ID, "inn", p.INN, "INN already used by participant "+other, "ИНН уже указан у участника "+other)
			} else {
				inns[p.INN] = p.ID
			}
		}
		if !validPKind(p.Kind) {
			c.add(p.Pos, p.ID, "kind", string(p.Kind), "unknown kind: use enterprise, sopc, university, research, infrastructure, finance or foreign_supplier", "неизвестный вид участника")
		}
		if p.Country != "" && !countryRe.MatchString(p.Country) {
			c.add(p.Pos, p.ID, "country", p.Country, "country must be a two-letter ISO code such as RU", "страна: двухбуквенный код ISO, например RU")
		}
		if p.OKVED != "" && !okvedRe.MatchString(p.OKVED) {
			c.add(p.Pos, p.ID, "okved", p.OKVED, "not an OKVED2 code (e.g. 24.42)", "не код ОКВЭД2 (например, 24.42)")
		}
		if p.Employees != nil && *p.Employees < 0 {
			c.add(p.Pos, p.ID, "employees", fmt.Sprint(*p.Employees), "must not be negative", "не может быть отрицательным")
		}
		checkMoney(c, p.Pos, p.ID, "revenue_rub", p.RevenueRUB)
		checkMoney(c, p.Pos, p.ID, "final_sales_rub", p.FinalSalesRUB)
		checkMoney(c, p.Pos, p.ID, "domestic_purchases_rub", p.DomesticPurchasesRUB)
		checkYear(c, p.Pos, p.ID, p.Year)
		for _, cid := range p.Clusters {
			if !ValidID(cid) {
				c.add(p.Pos, p.ID, "clusters", cid, "invalid cluster id", "недопустимый идентификатор кластера")
			}
		}
	}
	partKnown := func(id string) bool {
		if _, ok := parts[id]; ok {
			return true
		}
		return opt.KnownParticipants[id]
	}
	checkPart := func(pos Pos, rec, col, id string) {
		switch {
		case id == "":
			c.add(pos, rec, col, "", "participant id is required", "не указан идентификатор участника")
		case !partKnown(id):
			c.add(pos, rec, col, id, "unknown participant: add it to participants", "неизвестный участник: добавьте его в список участников")
		}
	}

	// Links.
	type lkey struct {
		s, b, p string
		y       int
	}
	links := map[lkey]Pos{}
	for _, l := range d.Links {
		rec := l.SupplierID + "→" + l.BuyerID
		checkPart(l.Pos, rec, "supplier_id", l.SupplierID)
		checkPart(l.Pos, rec, "buyer_id", l.BuyerID)
		if l.SupplierID != "" && l.SupplierID == l.BuyerID {
			c.add(l.Pos, rec, "buyer_id", l.BuyerID, "self-link: supplier and buyer are the same participant", "связь участника с самим собой: поставщик и покупатель совпадают")
		}
		checkProduct(l.Pos, rec, l.ProductCode, false)
		checkYear(c, l.Pos, rec, l.Year)
		checkMoney(c, l.Pos, rec, "value_rub", l.ValueRUB)
		checkMoney(c, l.Pos, rec, "quantity", l.Quantity)
		checkUnit(c, l.Pos, rec, l.Unit)
		k := lkey{l.SupplierID, l.BuyerID, l.ProductCode, l.Year}
		if first, dup := links[k]; dup {
			c.add(l.Pos, rec, "", "", fmt.Sprintf("duplicate link (same supplier, buyer, product and year as row %d): merge them into one row", first.Row),
				fmt.Sprintf("повторяющаяся связь (тот же поставщик, покупатель, продукция и год, что в строке %d): объедините строки", first.Row))
		} else {
			links[k] = l.Pos
		}
	}

	// Imports.
	type ikey struct {
		p, c, country string
		y             int
	}
	imps := map[ikey]Pos{}
	for _, m := range d.Imports {
		rec := m.ParticipantID + "/" + m.ProductCode
		checkPart(m.Pos, rec, "participant_id", m.ParticipantID)
		checkProduct(m.Pos, rec, m.ProductCode, true)
		checkYear(c, m.Pos, rec, m.Year)
		checkMoney(c, m.Pos, rec, "value_rub", &m.ValueRUB)
		checkMoney(c, m.Pos, rec, "quantity", m.Quantity)
		checkUnit(c, m.Pos, rec, m.Unit)
		if m.Country != "" && !countryRe.MatchString(m.Country) {
			c.add(m.Pos, rec, "country", m.Country, "country must be a two-letter ISO code such as CN", "страна: двухбуквенный код ISO, например CN")
		}
		k := ikey{m.ParticipantID, m.ProductCode, m.Country, m.Year}
		if first, dup := imps[k]; dup {
			c.add(m.Pos, rec, "", "", fmt.Sprintf("duplicate import (same participant, product, country and year as row %d)", first.Row),
				fmt.Sprintf("повторяющаяся строка импорта (тот же участник, продукция, страна и год, что в строке %d)", first.Row))
		} else {
			imps[k] = m.Pos
		}
	}

	// Capacities.
	type ckey struct {
		p, c string
		y    int
	}
	caps := map[ckey]Pos{}
	for _, m := range d.Capacities {
		rec := m.ParticipantID + "/" + m.ProductCode
		checkPart(m.Pos, rec, "participant_id", m.ParticipantID)
		checkProduct(m.Pos, rec, m.ProductCode, true)
		checkYear(c, m.Pos, rec, m.Year)
		checkMoney(c, m.Pos, rec, "value_rub", &m.ValueRUB)
		checkMoney(c, m.Pos, rec, "quantity", m.Quantity)
		checkUnit(c, m.Pos, rec, m.Unit)
		k := ckey{m.ParticipantID, m.ProductCode, m.Year}
		if first, dup := caps[k]; dup {
			c.add(m.Pos, rec, "", "", fmt.Sprintf("duplicate capacity (same participant, product and year as row %d)", first.Row),
				fmt.Sprintf("повторяющаяся строка мощности (тот же участник, продукция и год, что в строке %d)", first.Row))
		} else {
			caps[k] = m.Pos
		}
	}

	// Projects.
	projects := map[string]Pos{}
	for _, p := range d.Projects {
		if !ValidID(p.ID) {
			c.add(p.Pos, p.ID, "id", p.ID, "invalid id: use 1-64 letters, digits or _-.:", "недопустимый идентификатор")
		} else if first, dup := projects[p.ID]; dup {
			c.add(p.Pos, p.ID, "id", p.ID, fmt.Sprintf("duplicate project id (first at row %d)", first.Row), fmt.Sprintf("повторяющийся идентификатор проекта (впервые в строке %d)", first.Row))
		}
		projects[p.ID] = p.Pos
		checkPart(p.Pos, p.ID, "participant_id", p.ParticipantID)
		checkProduct(p.Pos, p.ID, p.ProductCode, false)
		checkName(c, p.Pos, p.ID, p.Name)
		checkYear(c, p.Pos, p.ID, p.Year)
		checkMoney(c, p.Pos, p.ID, "investment_rub", p.InvestmentRUB)
	}

	// Employment.
	type ekey struct {
		r, i, g string
		y       int
	}
	emp := map[ekey]Pos{}
	for _, e := range d.Employment {
		rec := e.Region + "/" + e.Industry
		if strings.TrimSpace(e.Region) == "" {
			c.add(e.Pos, rec, "region", "", "region is required", "не указан регион")
		}
		if strings.TrimSpace(e.Industry) == "" {
			c.add(e.Pos, rec, "industry", "", "industry is required", "не указана отрасль")
		}
		checkMoney(c, e.Pos, rec, "employees", &e.Employees)
		checkYear(c, e.Pos, rec, e.Year)
		k := ekey{e.Region, e.Industry, e.Group, e.Year}
		if first, dup := emp[k]; dup {
			c.add(e.Pos, rec, "", "", fmt.Sprintf("duplicate employment row (same region, industry, group and year as row %d)", first.Row),
				fmt.Sprintf("повторяющаяся строка занятости (тот же регион, отрасль, группа и год, что в строке %d)", first.Row))
		} else {
			emp[k] = e.Pos
		}
	}
	return c.problems
}

func checkName(c *collector, pos Pos, rec, name string) {
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
