package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/xuri/excelize/v2"
)

// fuzzLimits keep memory bounded whatever the input.
var fuzzLimits = Limits{MaxFileBytes: 1 << 20, MaxLineBytes: 64 << 10, MaxFieldBytes: 4 << 10, MaxRows: 10_000, MaxUnzipBytes: 8 << 20}

// checkAllOrNothing: a reader returns either a dataset with no problem, or
// an error and no dataset — never a partial result.
func checkAllOrNothing(t *testing.T, res *Result, err error) {
	if err != nil {
		if res != nil {
			t.Fatalf("error %v with a result", err)
		}
		if gm.ErrorCode(err) == gm.EINTERNAL {
			t.Fatalf("internal error: %v", err)
		}
		return
	}
	if res == nil || res.Dataset == nil {
		t.Fatal("no error and no dataset")
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("id,name\na,A\nb,B\n", "supplier_id,buyer_id,value_rub\na,b,1.5\n")
	f.Add("\ufeffid;name;final_producer\r\na;\"x\ny\";да\r\n", "supplier_id;buyer_id;value_rub\r\na;b;1 000,5\r\n")
	f.Add("id,name\n\"a,A\n", "supplier_id\n")
	f.Add("id,name,inn\na,A,7707083893\n", "supplier_id,buyer_id\na,a\n")
	f.Add("", "\x00\xff")
	f.Fuzz(func(t *testing.T, participants, links string) {
		res, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": strings.NewReader(participants), "links.csv": strings.NewReader(links)}, fuzzLimits)
		checkAllOrNothing(t, res, err)
		if err == nil {
			res.Dataset.Validate(gm.ValidationOptions{}) // must not panic
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	wb := func(rows [][]string) []byte {
		x := excelize.NewFile()
		x.SetSheetName("Sheet1", "participants")
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(r))
			for j := range r {
				vals[j] = r[j]
			}
			x.SetSheetRow("participants", cell, &vals)
		}
		var buf bytes.Buffer
		x.Write(&buf)
		return buf.Bytes()
	}
	f.Add(wb([][]string{{"id", "name"}, {"a", "A"}}))
	f.Add(wb([][]string{{"id", "name", "employees"}, {"a", "A", "-3"}, {"", "B", "x"}}))
	f.Add([]byte("PK\x03\x04 not really"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0})
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadXLSX(bytes.NewReader(data), "fuzz.xlsx", fuzzLimits)
		checkAllOrNothing(t, res, err)
	})
}

// A tiny zip whose sheet unpacks to gigabytes is rejected before unpacking.
func TestXLSXZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 300; i++ { // 300 MB of spaces, compressed to ~300 KB
		w.Write(chunk)
	}
	zw.Close()
	if buf.Len() > 2<<20 {
		t.Fatalf("bomb is %d bytes", buf.Len())
	}
	_, err := ReadXLSX(bytes.NewReader(buf.Bytes()), "bomb.xlsx", Limits{MaxUnzipBytes: 100 << 20})
	if gm.ErrorCode(err) != gm.ETOOLARGE || !strings.Contains(err.Error(), "bomb.xlsx") {
		t.Fatalf("err = %v", err)
	}
}

func TestXLSXDamaged(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "participants")
	x.SetSheetRow("participants", "A1", &[]any{"id", "name"})
	x.SetSheetRow("participants", "A2", &[]any{"a", "A"})
	var good, locked bytes.Buffer
	x.Write(&good)
	if err := x.Write(&locked, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		data []byte
		want string
	}{
		"truncated":          {good.Bytes()[:good.Len()/2], "damaged or truncated"},
		"password-protected": {locked.Bytes(), "password"},
		"not a zip":          {[]byte("id,name\na,A\n"), "not a valid .xlsx"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadXLSX(bytes.NewReader(tc.data), "book.xlsx", Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "book.xlsx") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if _, err := ReadXLSX(bytes.NewReader(good.Bytes()), "book.xlsx", Limits{}); err != nil {
		t.Fatalf("good workbook: %v", err)
	}
}
