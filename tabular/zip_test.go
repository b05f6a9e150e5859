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

// zipEntry is one entry of a test archive: its content, or a raw
// (compressed) body with declared sizes.
type zipEntry struct {
	name string
	body []byte
	// raw, when set, is written as the compressed data with the declared
	// uncompressed size; garbage there fails if it is ever unpacked.
	raw      []byte
	declared uint64
}

func makeZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, e := range entries {
		if e.raw != nil {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CompressedSize64: uint64(len(e.raw)), UncompressedSize64: e.declared, CRC32: 1})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.raw)
			continue
		}
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var garbage = bytes.Repeat([]byte{0xff, 0x00, 0x13}, 100)

func TestReadZipEntries(t *testing.T) {
	parts := zipEntry{name: "data/participants.csv", body: []byte("id,name\na,A\nb,B\n")}
	links := zipEntry{name: "data/links.csv", body: []byte("supplier_id,buyer_id\na,b\n")}
	big := bytes.Repeat([]byte("\n"), 4<<20) // 4 MiB of empty lines: ~1000:1
	tests := []struct {
		name    string
		entries []zipEntry
		code    string
		want    string
	}{
		{"sheets in a folder", []zipEntry{parts, links}, "", ""},
		{"two entries of one sheet", []zipEntry{parts, {name: "b/participants.csv", body: parts.body}, links}, gm.EINVALID, "both data/participants.csv and b/participants.csv"},
		// Entries that are not sheets are never unpacked: garbage there is no error.
		{"other entries skipped unread", []zipEntry{parts, links, {name: "junk.bin", raw: garbage, declared: 1 << 40}, {name: "notes.csv", raw: garbage, declared: 32 << 20}}, "", ""},
		{"bomb sheet", []zipEntry{parts, {name: "links.csv", body: big}}, gm.ETOOLARGE, "compressed more than 200:1"},
		{"declared too large", []zipEntry{parts, {name: "links.csv", raw: garbage, declared: 1 << 40}}, gm.ETOOLARGE, "the limit is"},
		{"declared size lies", []zipEntry{parts, {name: "links.csv", raw: mustDeflate(t, big), declared: 1000}}, gm.EINVALID, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := makeZip(t, tc.entries...)
			res, err := ReadZip(bytes.NewReader(data), int64(len(data)), "up.zip", Limits{MaxFileBytes: 32 << 20})
			if gm.ErrorCode(err) != tc.code || tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want code %q containing %q", err, tc.code, tc.want)
			}
			if tc.code == "" && (len(res.Dataset.Participants) != 2 || len(res.Dataset.Links) != 1) {
				t.Errorf("read %+v", res.Dataset)
			}
		})
	}
}

func mustDeflate(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// A workbook's parts other than those holding values (pictures, embedded
// files, …) are dropped unread; a bomb among the value parts is refused
// before it is unpacked.
func TestReadXLSXParts(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "participants")
	x.SetSheetRow("participants", "A1", &[]any{"id", "name"})
	x.SetSheetRow("participants", "A2", &[]any{"a", "A"})
	var good bytes.Buffer
	if err := x.Write(&good); err != nil {
		t.Fatal(err)
	}
	add := func(extra ...zipEntry) []byte {
		zr, _ := zip.NewReader(bytes.NewReader(good.Bytes()), int64(good.Len()))
		var es []zipEntry
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			es = append(es, zipEntry{name: f.Name, body: b})
		}
		return makeZip(t, append(es, extra...)...)
	}
	res, err := ReadXLSX(bytes.NewReader(add(zipEntry{name: "xl/media/image1.png", raw: garbage, declared: 1 << 40}, zipEntry{name: "xl/embeddings/x.bin", raw: garbage, declared: 1 << 30})), "book.xlsx", Limits{})
	if err != nil || len(res.Dataset.Participants) != 1 {
		t.Fatalf("workbook with junk parts: %v", err)
	}
	_, err = ReadXLSX(bytes.NewReader(add(zipEntry{name: "xl/worksheets/sheet9.xml", body: bytes.Repeat([]byte(" "), 8<<20)})), "book.xlsx", Limits{})
	if gm.ErrorCode(err) != gm.ETOOLARGE {
		t.Fatalf("bomb worksheet: %v", err)
	}
}
