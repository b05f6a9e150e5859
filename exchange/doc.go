package exchange

import (
	"fmt"
	"strings"

	"github.com/coopchain/coopchain/tabular"
)

// ColumnReference renders the dataset column reference as Markdown, from the
// same table the reader and the templates use (docs/data-format.md embeds it).
func ColumnReference() string {
	var b strings.Builder
	for _, sh := range tabular.Sheets {
		fmt.Fprintf(&b, "### `%s.csv` — %s (%s)\n\n| column | required | type | description | описание | example |\n|---|---|---|---|---|---|\n", sh.Name, sh.DescEN, sh.DescRU)
		for _, c := range sh.Columns {
			req := ""
			if c.Required {
				req = "**yes**"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | `%s` |\n", c.Name, req, c.Type, c.DescEN, c.DescRU, c.Example)
		}
		b.WriteString("\n")
	}
	return b.String()
}
