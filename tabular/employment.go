package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// EmploymentColumns names the columns of an employment table that is not in
// coopchain's own layout (e.g. the U.S. Cluster Mapping Project's files).
type EmploymentColumns struct {
	Region, Industry, Group, Employees, Year string
}

// DefaultEmploymentColumns is coopchain's employment sheet layout.
var DefaultEmploymentColumns = EmploymentColumns{Region: "region", Industry: "industry", Employees: "employees", Year: "year"}

// ReadEmployment reads an employment table from any CSV whose header has the
// named columns (matched case-insensitively); other columns are ignored.
// Group and Year may be empty (not used). Every bad cell is reported.
func ReadEmployment(r io.Reader, label string, cols EmploymentColumns, lim Limits) ([]gm.Employment, error) {
	lim = lim.orDefault()
	br := bufio.NewReaderSize(&lineLimiter{r: newTextReader(io.LimitReader(r, lim.MaxFileBytes)), max: lim.MaxLineBytes}, 64<<10)
	first, err := peekLine(br)
	if err := badTextError(label, err); err != nil {
		return nil, err
	}
	if err != nil || len(bytes.TrimSpace(first)) == 0 {
		return nil, gm.Invalid(label+": the file is empty or has no header row", []gm.Problem{{File: label, Row: 1, Message: "the file is empty or has no header row", MessageRU: "файл пуст или без строки заголовка"}})
	}
	delim := detectDelimiter(first)
	style := decimalPoint
	if delim == ';' || delim == '\t' {
		style = decimalComma
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	hdr, err := cr.Read()
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "%s: cannot read the header: %v", label, err)
	}
	idx := map[string]int{}
	for i, h := range hdr {
		idx[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var problems []gm.Problem
	col := func(name string, required bool) int {
		if name == "" {
			return -1
		}
		i, ok := idx[strings.ToLower(name)]
		if !ok {
			if required || name != "" {
				problems = append(problems, gm.Problem{File: label, Row: 1, Column: name, Message: "column not found in the header", MessageRU: "столбец не найден в заголовке"})
			}
			return -1
		}
		return i
	}
	ri, ii, ei := col(cols.Region, true), col(cols.Industry, true), col(cols.Employees, true)
	gi := col(cols.Group, false)
	yi := -1
	if cols.Year != "" {
		if i, ok := idx[strings.ToLower(cols.Year)]; ok {
			yi = i
		}
	}
	if len(problems) > 0 {
		return nil, gm.Invalid(fmt.Sprintf("%s: missing columns", label), problems)
	}
	var out []gm.Employment
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, gm.Problem{File: label, Row: line, Message: err.Error(), MessageRU: "ошибка формата CSV"})
			break
		}
		if allEmpty(rec) {
			continue
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		e := gm.Employment{Pos: gm.Pos{File: label, Row: line}, Region: get(ri), Industry: get(ii), Group: get(gi)}
		if e.Region == "" {
			problems = append(problems, gm.Problem{File: label, Row: line, Column: cols.Region, Message: "required value is empty", MessageRU: "не заполнено обязательное поле"})
		}
		if e.Industry == "" {
			problems = append(problems, gm.Problem{File: label, Row: line, Column: cols.Industry, Message: "required value is empty", MessageRU: "не заполнено обязательное поле"})
		}
		v, ok := parseNumber(get(ei), style)
		if !ok || v < 0 {
			problems = append(problems, gm.Problem{File: label, Row: line, Column: cols.Employees, Value: get(ei), Message: "not a non-negative number", MessageRU: "не неотрицательное число"})
		}
		e.Employees = v
		if y := get(yi); y != "" {
			n, ok := parseNumber(y, style)
			if !ok || n != float64(int(n)) {
				problems = append(problems, gm.Problem{File: label, Row: line, Column: cols.Year, Value: y, Message: "not a year", MessageRU: "не год"})
			}
			e.Year = int(n)
		}
		if len(problems) > MaxProblems {
			break
		}
		out = append(out, e)
	}
	if len(problems) > 0 {
		return nil, gm.Invalid(fmt.Sprintf("%s: %d problem(s) found", label, len(problems)), problems)
	}
	return out, nil
}

// badTextError is the one error of a file that is neither UTF-8 nor
// Windows-1251 text, or nil when err is not that.
func badTextError(label string, err error) error {
	var bt badText
	if !errors.As(err, &bt) {
		return nil
	}
	return gm.Invalid(label+": "+bt.Error(), []gm.Problem{{File: label, Row: bt.line, Value: fmt.Sprintf("0x%02X", bt.b), Message: bt.Error(),
		MessageRU: fmt.Sprintf("строка %d, байт %d (0x%02X): файл не является текстом ни в UTF-8, ни в Windows-1251", bt.line, bt.offset, bt.b)}})
}
