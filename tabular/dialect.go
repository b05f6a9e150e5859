package tabular

import (
	"encoding/csv"
	"io"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Dialect is a CSV flavour written on export. The reader needs no dialect:
// it detects the delimiter, the decimal mark, a byte order mark and the
// encoding (UTF-8 or Windows-1251) of every file.
type Dialect string

// CSV dialects.
const (
	// DialectRFC4180 is UTF-8 without a byte order mark, comma-separated,
	// decimal point, LF line ends: what scripts and most tools read.
	DialectRFC4180 Dialect = "rfc4180"
	// DialectExcelRU is what a Russian Excel opens and writes: a UTF-8 byte
	// order mark, semicolon-separated, decimal comma, CRLF line ends.
	DialectExcelRU Dialect = "excel-ru"
)

// Dialects lists the CSV dialects by name.
var Dialects = []Dialect{DialectRFC4180, DialectExcelRU}

// ParseDialect reads a dialect name; "" is DialectRFC4180.
func ParseDialect(s string) (Dialect, error) {
	switch Dialect(strings.ToLower(strings.TrimSpace(s))) {
	case "", DialectRFC4180:
		return DialectRFC4180, nil
	case DialectExcelRU:
		return DialectExcelRU, nil
	}
	return "", gm.Invalid("invalid CSV dialect", []gm.Problem{{Column: "dialect", Value: s,
		Message:   "use excel-ru (semicolons, decimal comma, for a Russian Excel) or rfc4180 (commas, decimal point)",
		MessageRU: "допустимы excel-ru (точка с запятой, десятичная запятая — для Excel на русском) или rfc4180 (запятые, десятичная точка)"}})
}

// utf8BOM opens an excel-ru file: Excel reads a CSV file as UTF-8 only
// when it starts with one.
const utf8BOM = "\ufeff"

// WriteCSVDialect writes one table as CSV of dialect d. Text cells are
// protected against formula injection (see Neutralize); in excel-ru the
// numeric columns get a decimal comma.
func WriteCSVDialect(w io.Writer, t Table, d Dialect) error {
	cw := csv.NewWriter(w)
	ru := d == DialectExcelRU
	if ru {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return err
		}
		cw.Comma = ';'
		cw.UseCRLF = true
	}
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		cells := t.cells(r)
		if ru {
			for i, v := range cells {
				if t.Numeric[i] {
					cells[i] = strings.Replace(v, ".", ",", 1)
				}
			}
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
