package server_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopchain/coopchain/server"
)

// maxUploadRSS is the peak memory allowed for a process that rejects a
// hostile upload (README, "Upload limits").
const maxUploadRSS = 256 << 20

// TestUploadMemory sends hostile uploads, each to a fresh server in a child
// process, and checks that each is refused with a 4xx and that the child's
// peak resident memory (VmHWM) stays under maxUploadRSS. The figures are
// logged (go test -v -run TestUploadMemory ./server) and kept in the README.
func TestUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~100 MB of test files")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read peak memory")
	}
	dir := t.TempDir()
	cases := []struct {
		name, file, ctype string
		make              func(path string) error
	}{
		// The zip bomb: 30 entries of 32 MiB each, ~1000:1.
		{"zip bomb, 30 × 32 MiB sheet entries", "bomb.zip", "application/zip", func(p string) error { return bombZip(p, 30, true) }},
		{"zip bomb, 30 × 32 MiB other entries", "junk.zip", "application/zip", func(p string) error { return bombZip(p, 30, false) }},
		// Two sheets of 32 MiB each, compressed less than 200:1 so
		// that they are read: stopped at the row limit.
		{"zip, 2 × 32 MiB sheets of rows", "rows.zip", "application/zip", rowsZip},
		// The 5.2-million-row workbook: its sheet is read while
		// streaming and the read stopped at the row limit.
		{"xlsx, 5.2 M rows", "rows.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", func(p string) error { return rowsXLSX(p, 5_200_000) }},
		{"csv, 32 MiB", "rows.csv", "text/csv", rowsCSV},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := tc.make(path); err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(path)
			cmd := exec.Command(os.Args[0], "-test.run=^TestUploadMemoryChild$", "-test.v")
			cmd.Env = append(os.Environ(), "COOPCHAIN_UPLOAD_CHILD="+path, "COOPCHAIN_UPLOAD_TYPE="+tc.ctype)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var status int
			var base, peak, ms int64
			var msg string
			for _, line := range strings.Split(string(out), "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "UPLOAD "); ok {
					fmt.Sscanf(rest, "status=%d base=%d peak=%d ms=%d", &status, &base, &peak, &ms)
					if i := strings.Index(rest, "msg="); i >= 0 {
						msg = rest[i+4:]
					}
				}
			}
			t.Logf("%s: %.1f MB upload → %d after %.1f s, peak RSS %.0f MiB (%.0f MiB before the request): %s",
				tc.name, float64(st.Size())/1e6, status, float64(ms)/1000, float64(peak)/(1<<20), float64(base)/(1<<20), msg)
			if status < 400 || status >= 500 {
				t.Errorf("status %d, want 4xx: %s", status, msg)
			}
			if peak == 0 || peak > maxUploadRSS {
				t.Errorf("peak RSS %d bytes, limit %d", peak, maxUploadRSS)
			}
		})
	}
}

// TestUploadMemoryChild is the child of TestUploadMemory: it serves one
// upload from a file and prints the status and its peak memory.
func TestUploadMemoryChild(t *testing.T) {
	path := os.Getenv("COOPCHAIN_UPLOAD_CHILD")
	if path == "" {
		t.Skip("run by TestUploadMemory")
	}
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base := vmHWM(t)
	target := "/api/v1/clusters/alu/import?dry_run=true"
	if strings.HasSuffix(path, ".csv") {
		target += "&sheet=participants"
	}
	req := httptest.NewRequest(http.MethodPost, target, f)
	req.Header.Set("Content-Type", os.Getenv("COOPCHAIN_UPLOAD_TYPE"))
	req.Header.Set("Authorization", "Bearer "+ed)
	rec := httptest.NewRecorder()
	start := time.Now()
	s.ServeHTTP(rec, req)
	ms := time.Since(start).Milliseconds()
	msg := rec.Body.String()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	fmt.Printf("UPLOAD status=%d base=%d peak=%d ms=%d msg=%s\n", rec.Code, base, vmHWM(t), ms, strings.ReplaceAll(msg, "\n", " "))
}

// vmHWM returns the process's peak resident memory in bytes.
func vmHWM(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// bombZip writes n entries of 32 MiB of newlines each (compressed once,
// ~1000:1), named as sheets in n folders or as other files.
func bombZip(path string, n int, sheets bool) error {
	const size = 32 << 20
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	chunk := bytes.Repeat([]byte("\n"), 1<<20)
	crc := crc32.NewIEEE()
	for i := 0; i < size>>20; i++ {
		fw.Write(chunk)
		crc.Write(chunk)
	}
	fw.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("junk/%02d.bin", i)
		if sheets {
			name = fmt.Sprintf("d%02d/participants.csv", i)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(), CompressedSize64: uint64(packed.Len()), UncompressedSize64: size})
		if err != nil {
			return err
		}
		w.Write(packed.Bytes())
	}
	return zw.Close()
}

// rowsZip writes participants.csv and links.csv of 32 MiB of distinct rows
// each (about 5:1, so that they are read).
func rowsZip(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, sh := range []struct{ name, head string }{{"participants", "id,name"}, {"links", "supplier_id,buyer_id"}} {
		w, err := zw.Create(sh.name + ".csv")
		if err != nil {
			return err
		}
		if err := writeRows(w, sh.head, 32<<20-100, "p%d,q%d\n"); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeRows writes the header and rows (two numbers each, by format)
// until size bytes.
func writeRows(w io.Writer, head string, size int, format string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	n, _ := fmt.Fprintln(bw, head)
	for i := 0; n < size; i++ {
		k, _ := fmt.Fprintf(bw, format, i, i)
		n += k
	}
	return bw.Flush()
}

// rowsXLSX writes a workbook whose participants sheet has n rows.
func rowsXLSX(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="participants" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		io.WriteString(w, parts[name])
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	bw.WriteString(`<row><c t="inlineStr"><is><t>id</t></is></c><c t="inlineStr"><is><t>name</t></is></c></row>`)
	row := []byte(`<row><c><v>`)
	for i := 2; i <= n; i++ {
		b := strconv.AppendInt(row, int64(i), 10)
		b = append(b, `</v></c><c><v>1</v></c></row>`...)
		bw.Write(b)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	bw.Flush()
	return zw.Close()
}

// rowsCSV writes a participants file just under the 32 MiB upload limit:
// about 2.6 million rows.
func rowsCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeRows(f, "id,name", 32<<20-100, "p%d,q%d\n")
}
