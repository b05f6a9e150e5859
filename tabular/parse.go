package tabular

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// MaxProblems caps the number of problems reported for one dataset.
const MaxProblems = 1000

// parser turns rows of named sheets into a Dataset, collecting every problem.
type parser struct {
	ds       gm.Dataset
	problems []gm.Problem
	warnings []gm.Problem
	lim      Limits
	rows     int // data rows read, over all sheets
	read     int // workbook rows read, empty ones and headers too
}

func (p *parser) problem(file string, row int, col, val, en, ru string) {
	if len(p.problems) < MaxProblems {
		p.problems = append(p.problems, gm.Problem{File: file, Row: row, Column: col, Value: val, Message: en, MessageRU: ru})
	} else if len(p.problems) == MaxProblems {
		p.problems = append(p.problems, gm.Problem{File: file, Message: fmt.Sprintf("more than %d problems; fix these first", MaxProblems), MessageRU: fmt.Sprintf("более %d ошибок; сначала исправьте эти", MaxProblems)})
	}
}

func (p *parser) full() bool { return len(p.problems) > MaxProblems }

// rowSource yields the data rows of one sheet: the cells and the 1-based row
// number; ok=false at the end. A non-nil error stops the sheet.
type rowSource func() (cells []string, rowNum int, ok bool, err error)

// header checks the header row and returns the column index of every known column.
func (p *parser) header(sh Sheet, file string, hdr []string) (map[string]int, bool) {
	idx := map[string]int{}
	okAll := true
	for i, h := range hdr {
		name := columnName(sh, strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))))
		if name == "" {
			// An empty header over empty cells is what spreadsheets leave behind; checked per row.
			continue
		}
		if _, dup := idx[name]; dup {
			p.problem(file, 1, name, h, "duplicate column", "повторяющийся столбец")
			okAll = false
			continue
		}
		known := false
		for _, c := range sh.Columns {
			if c.Name == name {
				known = true
				break
			}
		}
		if !known && !IgnoredColumn(name) {
			p.problem(file, 1, name, h, "unknown column; expected "+columnList(sh, false)+" (notes go into a column named note or x_…)",
				"неизвестный столбец; ожидаются "+columnList(sh, false)+" (примечания — в столбец note или x_…)")
			okAll = false
			continue
		}
		idx[name] = i
	}
	for _, c := range sh.Columns {
		if _, ok := idx[c.Name]; c.Required && !ok {
			p.problem(file, 1, c.Name, "", "missing required column "+c.Name+"; required: "+columnList(sh, true),
				"нет обязательного столбца "+c.Name+"; обязательные: "+columnList(sh, true))
			okAll = false
		}
	}
	return idx, okAll
}

func columnList(sh Sheet, requiredOnly bool) string {
	var names []string
	for _, c := range sh.Columns {
		if !requiredOnly || c.Required {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

// cellReader reads typed cells of one row and records problems.
type cellReader struct {
	p     *parser
	file  string
	row   int
	cells []string
	idx   map[string]int
	dec   numberStyle
	bad   bool
}

func (r *cellReader) raw(col string) string {
	i, ok := r.idx[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return unneutralize(strings.TrimSpace(r.cells[i]))
}

func (r *cellReader) fail(col, val, en, ru string) {
	r.bad = true
	r.p.problem(r.file, r.row, col, val, en, ru)
}

func (r *cellReader) text(col string) string { return r.raw(col) }

func (r *cellReader) required(col string) string {
	v := r.raw(col)
	r.present(col, v)
	return v
}

// present records a problem when col's value v (already read) is empty.
func (r *cellReader) present(col, v string) {
	if v == "" {
		r.fail(col, "", "required value is empty", "не заполнено обязательное поле")
	}
}

func (r *cellReader) intv(col string) *int64 {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	f, ok := parseNumber(v, r.dec)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 9e15 {
		r.fail(col, v, "not a whole number", "не целое число")
		return nil
	}
	n := int64(f)
	return &n
}

func (r *cellReader) year(col string) int {
	v := r.raw(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, ".0"), " г."))
	if err != nil {
		r.fail(col, v, "not a year (e.g. 2024)", "не год (например, 2024)")
		return 0
	}
	return n
}

func (r *cellReader) number(col string) *float64 {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	f, ok := parseNumber(v, r.dec)
	if !ok {
		r.fail(col, v, "not a number (write digits, with . or , as the decimal mark)", "не число (цифры, десятичный разделитель . или ,)")
		return nil
	}
	return &f
}

func (r *cellReader) boolean(col string) *bool {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	b, ok := parseBool(v)
	if !ok {
		r.fail(col, v, "not a yes/no value (true/false, 1/0, да/нет)", "не логическое значение (true/false, 1/0, да/нет)")
		return nil
	}
	return &b
}

func (r *cellReader) list(col string) []string {
	v := r.raw(col)
	if v == "" {
		return nil
	}
	var out []string
	for _, s := range strings.FieldsFunc(v, func(c rune) bool { return c == ';' || c == '\n' || c == '|' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *cellReader) unit(col string) string {
	v := r.raw(col)
	u, ok := gm.NormalizeUnit(v)
	if !ok {
		return v // reported by validation with the list of units
	}
	return u
}

func (r *cellReader) country(col string) string { return strings.ToUpper(r.raw(col)) }

// code normalises a product code: trims, drops spaces inside HS codes.
func (r *cellReader) code(col string) string {
	v := r.raw(col)
	if strings.ContainsAny(v, " \u00a0") && !strings.Contains(v, ".") {
		v = strings.Map(func(c rune) rune {
			if c == ' ' || c == '\u00a0' {
				return -1
			}
			return c
		}, v)
	}
	return v
}

type numberStyle int

const (
	decimalPoint numberStyle = iota // 1,234.5 or 1234.5
	decimalComma                    // 1 234,5 (Russian Excel)
)

var thousandsComma = regexp.MustCompile(`^-?\d{1,3}(,\d{3})+(\.\d+)?$`)

// parseNumber reads a number as spreadsheets write it: spaces and
// non-breaking spaces as thousands separators, a decimal comma or point.
func parseNumber(s string, style numberStyle) (float64, bool) {
	s = strings.Map(func(c rune) rune {
		switch c {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		case '\u2212': // minus sign
			return '-'
		}
		return c
	}, s)
	if s == "" {
		return 0, false
	}
	hasComma, hasPoint := strings.Contains(s, ","), strings.Contains(s, ".")
	switch {
	case hasComma && hasPoint:
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	case hasComma:
		if style == decimalPoint && thousandsComma.MatchString(s) {
			s = strings.ReplaceAll(s, ",", "")
		} else if strings.Count(s, ",") == 1 {
			s = strings.Replace(s, ",", ".", 1)
		} else {
			return 0, false
		}
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "y", "да", "д", "истина", "t", "+", "x", "✓":
		return true, true
	case "false", "0", "no", "n", "нет", "н", "ложь", "f", "-":
		return false, true
	}
	return false, false
}

// sheet reads all rows of one sheet into the dataset.
func (p *parser) sheet(sh Sheet, file string, hdr []string, next rowSource, style numberStyle) error {
	idx, ok := p.header(sh, file, hdr)
	if !ok {
		return nil // the header problems are reported; rows would only repeat them
	}
	for !p.full() {
		cells, rowNum, more, err := next()
		if err != nil {
			return err
		}
		if !more {
			if p.lim.Progress != nil {
				p.lim.Progress(p.rows)
			}
			return nil
		}
		if allEmpty(cells) {
			continue
		}
		p.rows++
		if p.lim.Progress != nil && p.rows%1000 == 0 {
			p.lim.Progress(p.rows)
		}
		if p.lim.MaxRows > 0 && p.rows > p.lim.MaxRows {
			p.problem(file, rowNum, "", "", fmt.Sprintf("too many rows: the limit is %d", p.lim.MaxRows), fmt.Sprintf("слишком много строк: предел %d", p.lim.MaxRows))
			return errStop
		}
		if !p.checkCells(file, rowNum, hdr, idx, cells) {
			continue
		}
		r := &cellReader{p: p, file: file, row: rowNum, cells: cells, idx: idx, dec: style}
		pos := gm.Pos{File: file, Row: rowNum}
		p.record(sh.Name, r, pos)
	}
	return nil
}

// checkCells rejects rows whose cells break basic text rules.
func (p *parser) checkCells(file string, row int, hdr []string, idx map[string]int, cells []string) bool {
	ok := true
	for i, c := range cells {
		col := ""
		if i < len(hdr) {
			col = strings.TrimSpace(hdr[i])
		}
		if i >= len(hdr) || col == "" {
			if strings.TrimSpace(c) != "" {
				p.problem(file, row, fmt.Sprintf("#%d", i+1), c, fmt.Sprintf("value in column %d, which has no header", i+1), fmt.Sprintf("значение в столбце %d без заголовка", i+1))
				ok = false
			}
			continue
		}
		switch {
		case !utf8.ValidString(c):
			p.problem(file, row, col, strings.ToValidUTF8(c, "?"), "invalid UTF-8 text: save the file as UTF-8", "недопустимый текст UTF-8: сохраните файл в кодировке UTF-8")
			ok = false
		case strings.ContainsRune(c, 0):
			p.problem(file, row, col, strings.ReplaceAll(c, "\x00", "\\0"), "NUL character in the value", "символ NUL в значении")
			ok = false
		case p.lim.MaxFieldBytes > 0 && len(c) > p.lim.MaxFieldBytes:
			p.problem(file, row, col, c[:40], fmt.Sprintf("value is %d bytes long; the limit is %d", len(c), p.lim.MaxFieldBytes), fmt.Sprintf("значение длиной %d байт; предел %d", len(c), p.lim.MaxFieldBytes))
			ok = false
		}
	}
	return ok
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// recorders read one row of each sheet into the dataset; a row with a bad
// cell is left out (its problems are reported).
var recorders = map[string]func(p *parser, r *cellReader, pos gm.Pos){
	"clusters":     (*parser).recordCluster,
	"participants": (*parser).recordParticipant,
	"products":     (*parser).recordProduct,
	"links":        (*parser).recordLink,
	"imports":      (*parser).recordImport,
	"capacities":   (*parser).recordCapacity,
	"projects":     (*parser).recordProject,
	"employment":   (*parser).recordEmployment,
}

func (p *parser) record(sheet string, r *cellReader, pos gm.Pos) {
	if rec, ok := recorders[sheet]; ok {
		rec(p, r, pos)
	}
}

func (p *parser) recordCluster(r *cellReader, pos gm.Pos) {
	c := gm.Cluster{Pos: pos, ID: r.required("id"), Name: r.required("name"), Regions: r.list("regions"),
		Specialization: r.text("specialization"), Kind: gm.ClusterKind(strings.ToLower(fromRU(ClusterKindsRU, r.text("kind")))),
		Country: r.country("country"), DevelopmentProgramme: r.boolean("development_programme"), Source: r.text("source")}
	if c.Kind == "" {
		c.Kind = gm.ClusterLocal
	}
	if n := r.intv("registry_no"); n != nil {
		c.RegistryNo = int(*n)
	}
	if n := r.intv("participants_count"); n != nil {
		c.ParticipantsCount = int(*n)
	}
	if !r.bad {
		p.ds.Clusters = append(p.ds.Clusters, c)
	}
}

func (p *parser) recordParticipant(r *cellReader, pos gm.Pos) {
	x := gm.Participant{Pos: pos, ID: r.required("id"), Name: r.required("name"), INN: r.text("inn"),
		Kind: gm.ParticipantKind(strings.ToLower(fromRU(ParticipantKindsRU, r.text("kind")))), Region: r.text("region"), Country: r.country("country"),
		OKVED: r.text("okved"), SME: r.boolean("sme"), Employees: r.intv("employees"), RevenueRUB: r.number("revenue_rub"),
		FinalSalesRUB: r.number("final_sales_rub"), DomesticPurchasesRUB: r.number("domestic_purchases_rub"), Year: r.year("year"),
		Clusters: r.list("clusters"), Source: r.text("source")}
	r.flag("plans_production", &x.PlansProduction)
	r.flag("defence", &x.Defence)
	if x.Kind == "" {
		x.Kind = gm.KindEnterprise
	}
	r.flag("final_producer", &x.FinalProducer)
	r.flag("illustrative", &x.Illustrative)
	if !r.bad {
		p.ds.Participants = append(p.ds.Participants, x)
	}
}

func (p *parser) recordProduct(r *cellReader, pos gm.Pos) {
	x := gm.Product{Pos: pos, Code: r.code("code"), Name: r.required("name"), Unit: r.unit("unit"), Inputs: r.list("inputs"), Source: r.text("source")}
	r.present("code", x.Code)
	r.flag("import_substitution", &x.ImportSubstitution)
	if !r.bad {
		p.ds.Products = append(p.ds.Products, x)
	}
}

func (p *parser) recordLink(r *cellReader, pos gm.Pos) {
	x := gm.SupplyLink{Pos: pos, SupplierID: r.required("supplier_id"), BuyerID: r.required("buyer_id"), ProductCode: r.code("product_code"),
		Year: r.year("year"), ValueRUB: r.number("value_rub"), Quantity: r.number("quantity"), Unit: r.unit("unit"), Source: r.text("source")}
	r.flag("documented", &x.Documented)
	r.flag("illustrative", &x.Illustrative)
	if !r.bad {
		p.ds.Links = append(p.ds.Links, x)
	}
}

func (p *parser) recordImport(r *cellReader, pos gm.Pos) {
	x := gm.Import{Pos: pos, ParticipantID: r.required("participant_id"), ProductCode: r.code("product_code"), Year: r.year("year"),
		Quantity: r.number("quantity"), Unit: r.unit("unit"), Country: r.country("country"), Source: r.text("source")}
	x.ValueRUB = r.requiredNumber("value_rub")
	r.present("product_code", x.ProductCode)
	r.flag("illustrative", &x.Illustrative)
	if !r.bad {
		p.ds.Imports = append(p.ds.Imports, x)
	}
}

func (p *parser) recordCapacity(r *cellReader, pos gm.Pos) {
	x := gm.Capacity{Pos: pos, ParticipantID: r.required("participant_id"), ProductCode: r.code("product_code"), Year: r.year("year"),
		Quantity: r.number("quantity"), Unit: r.unit("unit"), Source: r.text("source")}
	x.ValueRUB = r.requiredNumber("value_rub")
	r.present("product_code", x.ProductCode)
	r.flag("illustrative", &x.Illustrative)
	if !r.bad {
		p.ds.Capacities = append(p.ds.Capacities, x)
	}
}

func (p *parser) recordProject(r *cellReader, pos gm.Pos) {
	x := gm.Project{Pos: pos, ID: r.required("id"), ParticipantID: r.required("participant_id"), ProductCode: r.code("product_code"),
		Name: r.required("name"), Year: r.year("year"), InvestmentRUB: r.number("investment_rub"), Status: r.text("status"), Source: r.text("source")}
	r.flag("import_substitution", &x.ImportSubstitution)
	r.flag("illustrative", &x.Illustrative)
	if !r.bad {
		p.ds.Projects = append(p.ds.Projects, x)
	}
}

func (p *parser) recordEmployment(r *cellReader, pos gm.Pos) {
	x := gm.Employment{Pos: pos, Region: r.required("region"), Industry: r.required("industry"), Group: r.text("group"), Year: r.year("year")}
	x.Employees = r.requiredNumber("employees")
	if !r.bad {
		p.ds.Employment = append(p.ds.Employment, x)
	}
}

// requiredNumber is a number that must be given: an empty cell is reported
// (a malformed one already is by number) and gives 0.
func (r *cellReader) requiredNumber(col string) float64 {
	if v := r.number(col); v != nil {
		return *v
	}
	if r.raw(col) == "" {
		r.fail(col, "", "required value is empty", "не заполнено обязательное поле")
	}
	return 0
}

// flag sets *dst from a yes/no cell when the cell is given.
func (r *cellReader) flag(col string, dst *bool) {
	if b := r.boolean(col); b != nil {
		*dst = *b
	}
}
