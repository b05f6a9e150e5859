package exchange_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/exchange"
)

var update = flag.Bool("update", false, "rewrite docs/data-format.md's generated column reference")

const (
	docPath  = "../docs/data-format.md"
	beginTag = "<!-- BEGIN COLUMNS (generated: go test ./exchange -update) -->"
	endTag   = "<!-- END COLUMNS -->"
)

// The column reference in docs/data-format.md must match tabular.Sheets.
func TestDataFormatDocUpToDate(t *testing.T) {
	raw, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, beginTag), strings.Index(doc, endTag)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated section markers", docPath)
	}
	want := doc[:i+len(beginTag)] + "\n\n" + exchange.ColumnReference() + doc[j:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with tabular.Sheets; run go test ./exchange -update", docPath)
}
