package exchange

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/coopchain/coopchain/tabular"
)

// templateTables returns one table per sheet with the example row of every
// column (the examples form a valid dataset).
func templateTables() []tabular.Table {
	var out []tabular.Table
	for _, sh := range tabular.Sheets {
		t := tabular.Table{Name: sh.Name, Text: map[int]bool{}, Numeric: map[int]bool{}}
		row := make([]string, len(sh.Columns))
		for i, c := range sh.Columns {
			t.Header = append(t.Header, c.Name)
			row[i] = c.Example
			if c.Type == "int" || c.Type == "number" || c.Type == "year" {
				t.Numeric[i] = true
			}
		}
		t.Rows = [][]string{row}
		if sh.Name == "participants" {
			// A link needs a second participant: the buyer of the example link.
			second := append([]string(nil), row...)
			for i, c := range sh.Columns {
				switch c.Name {
				case "id":
					second[i] = "alu-windows"
				case "name":
					second[i] = "ООО «Окна и фасады»"
				case "inn", "employees", "revenue_rub", "final_sales_rub", "domestic_purchases_rub":
					second[i] = ""
				case "final_producer":
					second[i] = "true"
				}
			}
			t.Rows = append(t.Rows, second)
		}
		out = append(out, t)
	}
	return out
}

// columnReference lists every column: sheet, column, required, description
// in Russian and English.
func columnReference() [][]string {
	rows := [][]string{{"лист / sheet", "столбец / column", "обязательный / required", "описание", "description"}}
	for _, sh := range tabular.Sheets {
		rows = append(rows, []string{sh.Name, "", "", sh.DescRU, sh.DescEN})
		for _, c := range sh.Columns {
			req := "нет / no"
			if c.Required {
				req = "да / yes"
			}
			rows = append(rows, []string{sh.Name, c.Name, req, c.DescRU, c.DescEN})
		}
	}
	return rows
}

// WriteTemplateXLSX writes the dataset template workbook: a README sheet
// describing every column and one sheet per dataset sheet with an example row.
func WriteTemplateXLSX(w io.Writer) error {
	return tabular.WriteXLSX(w, templateTables(), columnReference())
}

// WriteTemplateZip writes the template as CSV files with an example row
// each, plus README.txt with the column reference.
func WriteTemplateZip(w io.Writer) error {
	var readme bytes.Buffer
	readme.WriteString("coopchain dataset template / шаблон набора данных coopchain\n\n")
	readme.WriteString("CSV: UTF-8 (BOM allowed), header row, delimiter , or ; ; decimal . or , ; booleans true/false/1/0/да/нет.\n")
	readme.WriteString("A folder with only participants.csv and links.csv is a valid dataset.\n\n")
	for _, r := range columnReference()[1:] {
		if r[1] == "" {
			fmt.Fprintf(&readme, "\n%s.csv — %s / %s\n", r[0], r[3], r[4])
			continue
		}
		fmt.Fprintf(&readme, "  %-22s %-16s %s / %s\n", r[1], strings.SplitN(r[2], " ", 2)[0], r[3], r[4])
	}
	return tabular.WriteZip(w, templateTables(), map[string][]byte{"README.txt": readme.Bytes()})
}
