package tabular

import (
	"bytes"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// The same data written twice gives the same workbook bytes (excelize
// writes its parts in map order; WriteXLSX sorts them).
func TestWriteXLSXDeterministic(t *testing.T) {
	v := 5.0
	ds := &gm.Dataset{
		Participants: []gm.Participant{{ID: "a", Name: "А", Kind: gm.KindEnterprise}, {ID: "b", Name: "Б", Kind: gm.KindEnterprise}},
		Products:     []gm.Product{{Code: "24.42.22", Name: "Профили"}},
		Links:        []gm.SupplyLink{{SupplierID: "a", BuyerID: "b", ProductCode: "24.42.22", Year: 2024, ValueRUB: &v}},
		Imports:      []gm.Import{{ParticipantID: "b", ProductCode: "24.42.22", ValueRUB: 1}},
	}
	var first []byte
	for i := 0; i < 8; i++ {
		var b bytes.Buffer
		if err := WriteXLSX(&b, Tables(ds), [][]string{{"coopchain", "README"}}); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b.Bytes()
			continue
		}
		if !bytes.Equal(first, b.Bytes()) {
			t.Fatalf("write %d gave different bytes", i+1)
		}
	}
	res, err := ReadXLSX(bytes.NewReader(first), "book.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dataset.Links) != 1 || len(res.Dataset.Participants) != 2 {
		t.Errorf("read back %+v", res.Dataset)
	}
}
