package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/tabular"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

func multipartBody(t *testing.T, files map[string][]byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, data := range files {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func send(s http.Handler, method, target, ct string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

const goodParticipants = "id;name;final_producer\r\na;ООО «А»;да\r\nb;Б;нет\r\n"
const goodLinks = "supplier_id;buyer_id;value_rub;year\r\nb;a;1 000,5;2024\r\n"

func clusterParticipants(t *testing.T, db *sqlstore.DB, id string) int {
	t.Helper()
	ds, err := db.ClusterData(t.Context(), id)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(ds.Participants)
}

func TestImportEndpoint(t *testing.T) {
	s, db := newTestServer(t, registrySeed())
	body, ct := multipartBody(t, map[string][]byte{"participants.csv": []byte(goodParticipants), "links.csv": []byte(goodLinks)})
	// Dry run stores nothing.
	rec := send(s, http.MethodPost, "/api/v1/clusters/new-one/import?dry_run=true", ct, body.Bytes())
	if rec.Code != 200 || clusterParticipants(t, db, "new-one") != -1 {
		t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
	}
	body, ct = multipartBody(t, map[string][]byte{"participants.csv": []byte(goodParticipants), "links.csv": []byte(goodLinks)})
	rec = send(s, http.MethodPost, "/api/v1/clusters/new-one/import", ct, body.Bytes())
	if rec.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	var res gm.ImportResult
	json.Unmarshal(rec.Body.Bytes(), &res)
	if !res.CreatedCluster || res.Rows["links"] != 1 || clusterParticipants(t, db, "new-one") != 2 {
		t.Errorf("result %+v", res)
	}
	// Again: idempotent, 200.
	body, ct = multipartBody(t, map[string][]byte{"participants.csv": []byte(goodParticipants), "links.csv": []byte(goodLinks)})
	if rec := send(s, http.MethodPost, "/api/v1/clusters/new-one/import", ct, body.Bytes()); rec.Code != 200 || clusterParticipants(t, db, "new-one") != 2 {
		t.Errorf("re-import: %d", rec.Code)
	}
	// A single CSV as the raw body.
	if rec := send(s, http.MethodPost, "/api/v1/clusters/new-one/import?sheet=participants", "text/csv", []byte("id,name\nc,В\n")); rec.Code != 200 || clusterParticipants(t, db, "new-one") != 3 {
		t.Errorf("raw csv: %d %s", rec.Code, rec.Body)
	}
}

func TestImportEndpointBadInputs(t *testing.T) {
	s, db := newTestServer(t, registrySeed())
	bigCSV := append([]byte("id,name\n"), bytes.Repeat([]byte("x"), 40<<20)...)
	var zipBuf bytes.Buffer
	zw := zip.NewWriter(&zipBuf)
	w, _ := zw.Create("participants.csv")
	w.Write([]byte(goodParticipants))
	zw.Close()
	truncated := zipBuf.Bytes()[:zipBuf.Len()/2]
	tests := []struct {
		name, ct string
		body     []byte
		status   int
		want     string
	}{
		{"bad link", "text/csv", []byte("supplier_id,buyer_id\na,ghost\n"), 400, "unknown participant"},
		{"over the upload limit", "text/csv", bigCSV, 413, "larger"},
		{"truncated zip", "application/zip", truncated, 400, "zip"},
		{"not a workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("hello"), 400, "workbook"},
		{"password-protected", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), 400, "password"},
		{"wrong content type", "application/pdf", []byte("%PDF"), 415, "unsupported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(s, http.MethodPost, "/api/v1/clusters/ru-001/import?sheet=links", tc.ct, tc.body)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d %s", rec.Code, rec.Body.String()[:min(300, rec.Body.Len())])
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" {
				t.Errorf("not the error shape: %s", rec.Body)
			}
			if n := clusterParticipants(t, db, "ru-001"); n != 0 {
				t.Errorf("stored %d participants", n)
			}
		})
	}
}

func TestExportAndTemplates(t *testing.T) {
	s, _ := newTestServer(t, demoSeed())
	for _, format := range []string{"csv", "xlsx", "json", "graphml", "gexf", "dot"} {
		rec := send(s, http.MethodGet, "/api/v1/clusters/alu/export?format="+format, "", nil)
		if rec.Code != 200 || rec.Body.Len() < 100 || !strings.Contains(rec.Header().Get("Content-Disposition"), "alu.") {
			t.Errorf("%s: %d %q", format, rec.Code, rec.Header().Get("Content-Disposition"))
		}
		if format == "xlsx" {
			f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.GetSheetList(), ","); !strings.Contains(got, "niches") || !strings.Contains(got, "compliance") || !strings.Contains(got, "links") {
				t.Errorf("sheets %s", got)
			}
		}
	}
	if rec := send(s, http.MethodGet, "/api/v1/clusters/alu/export?format=pdf", "", nil); rec.Code != 400 {
		t.Errorf("pdf: %d", rec.Code)
	}
	for _, p := range []string{"/api/v1/templates/dataset.xlsx", "/api/v1/templates/dataset.zip"} {
		if rec := send(s, http.MethodGet, p, "", nil); rec.Code != 200 || rec.Body.Len() < 1000 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
	// The template workbook imports cleanly through the API.
	tpl := send(s, http.MethodGet, "/api/v1/templates/dataset.xlsx", "", nil).Body.Bytes()
	if rec := send(s, http.MethodPost, "/api/v1/clusters/alu-demo/import", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", tpl); rec.Code != 201 {
		t.Errorf("template import: %d %s", rec.Code, rec.Body)
	}
}

// richDataset has what a Russian Excel round trip can break: fractions,
// Cyrillic, quotes, semicolons and line breaks in names, formulas, да/нет.
func richDataset() *gm.Dataset {
	v := func(f float64) *float64 { return &f }
	emp := int64(1250)
	return &gm.Dataset{
		Participants: []gm.Participant{
			{ID: "ingots", Name: "АО «Слитки»; литейный цех", Kind: gm.KindEnterprise, INN: "7707083893", Region: "Омская область", Employees: &emp, RevenueRUB: v(1234567.89), Year: 2024},
			{ID: "profile", Name: "ООО \"Профиль\"\nвторая строка", Kind: gm.KindEnterprise, FinalSalesRUB: v(0.5), DomesticPurchasesRUB: v(2500000.25)},
			{ID: "win", Name: "=HYPERLINK(\"x\")", Kind: gm.KindEnterprise, FinalProducer: true, Defence: true},
			{ID: "sopc", Name: "-СОПК", Kind: gm.KindSOPC},
		},
		Products: []gm.Product{{Code: "24.42.11", Name: "Слитки", Unit: "t"}, {Code: "24.42.22", Name: "+Профили", Unit: "t", ImportSubstitution: true, Inputs: []string{"24.42.11"}}},
		Links: []gm.SupplyLink{
			{SupplierID: "ingots", BuyerID: "profile", ProductCode: "24.42.11", Year: 2024, ValueRUB: v(100.25), Quantity: v(40.5), Unit: "t", Documented: true},
			{SupplierID: "profile", BuyerID: "win", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(50.125), Illustrative: true},
		},
		Imports:    []gm.Import{{ParticipantID: "win", ProductCode: "24.42.22", Year: 2024, ValueRUB: 1e7 + 0.75, Quantity: v(12.5), Unit: "t", Country: "CN"}},
		Capacities: []gm.Capacity{{ParticipantID: "ingots", ProductCode: "24.42.11", Year: 2024, ValueRUB: 9e8, Quantity: v(3000.5), Unit: "t"}},
		Projects:   []gm.Project{{ID: "p1", ParticipantID: "profile", ProductCode: "24.42.22", Name: "Линия; анодирования", Year: 2025, InvestmentRUB: v(2.5e8), Status: "реализуется", ImportSubstitution: true}},
	}
}

// dataTables is a cluster's data as sorted rows per sheet (without the
// clusters sheet, which names the cluster), to compare two clusters.
func dataTables(t *testing.T, db *sqlstore.DB, id string) map[string][]string {
	t.Helper()
	ds, err := db.ClusterData(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ds.Participants {
		ds.Participants[i].Clusters = nil
	}
	out := map[string][]string{}
	for _, tb := range tabular.Tables(ds) {
		if tb.Name == "clusters" {
			continue
		}
		for _, r := range tb.Rows {
			out[tb.Name] = append(out[tb.Name], strings.Join(r, "|"))
		}
		sort.Strings(out[tb.Name])
	}
	return out
}

func importOK(t *testing.T, s http.Handler, cluster, ct string, body []byte) {
	t.Helper()
	if rec := send(s, http.MethodPost, "/api/v1/clusters/"+cluster+"/import", ct, body); rec.Code != 201 && rec.Code != 200 {
		t.Fatalf("import into %s: %d %s", cluster, rec.Code, rec.Body)
	}
}

func sameData(t *testing.T, db *sqlstore.DB, a, b string) {
	t.Helper()
	ta, tb := dataTables(t, db, a), dataTables(t, db, b)
	if len(ta) != 6 {
		t.Fatalf("%s has sheets %v", a, ta)
	}
	for name, rows := range ta {
		if strings.Join(rows, "\n") != strings.Join(tb[name], "\n") {
			t.Errorf("%s differs:\n%s:\n%s\n%s:\n%s", name, a, strings.Join(rows, "\n"), b, strings.Join(tb[name], "\n"))
		}
	}
}

// Export with dialect=excel-ru, re-import: the same data. The files are
// what a Russian Excel opens: BOM, semicolons, decimal comma, CRLF.
func TestExcelRURoundTrip(t *testing.T) {
	s, db := newTestServer(t, registrySeed())
	var src bytes.Buffer
	if err := tabular.WriteZip(&src, tabular.Tables(richDataset()), nil); err != nil {
		t.Fatal(err)
	}
	importOK(t, s, "src", "application/zip", src.Bytes())

	rec := send(s, http.MethodGet, "/api/v1/clusters/src/export?format=csv&dialect=excel-ru", "", nil)
	if rec.Code != 200 {
		t.Fatalf("export: %d %s", rec.Code, rec.Body)
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		text := b.String()
		if !strings.HasPrefix(text, "\ufeff") || !strings.Contains(text, ";") || strings.Count(text, "\r\n") < 2 || strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n\n") {
			t.Errorf("%s is not excel-ru: %q", f.Name, text[:min(200, len(text))])
		}
		if f.Name == "links.csv" && !strings.Contains(text, ";100,25;40,5;") {
			t.Errorf("links.csv without decimal commas: %q", text)
		}
	}
	again := send(s, http.MethodGet, "/api/v1/clusters/src/export?format=csv&dialect=excel-ru", "", nil)
	if !bytes.Equal(rec.Body.Bytes(), again.Body.Bytes()) {
		t.Error("two exports of the same data differ")
	}
	importOK(t, s, "dst", "application/zip", rec.Body.Bytes())
	sameData(t, db, "src", "dst")

	// The default is unchanged: commas, no BOM.
	def := send(s, http.MethodGet, "/api/v1/clusters/src/export?format=csv", "", nil)
	zr, _ = zip.NewReader(bytes.NewReader(def.Body.Bytes()), int64(def.Body.Len()))
	rc, _ := zr.File[0].Open()
	head := make([]byte, 3)
	rc.Read(head)
	rc.Close()
	if bytes.Equal(head, []byte("\ufeff")) {
		t.Error("the default CSV export has a byte order mark")
	}
	if rec := send(s, http.MethodGet, "/api/v1/clusters/src/export?format=csv&dialect=excel", "", nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "excel-ru") {
		t.Errorf("unknown dialect: %d %s", rec.Code, rec.Body)
	}

	// A Russian workbook (?lang=ru) round-trips too.
	wb := send(s, http.MethodGet, "/api/v1/clusters/src/export?format=xlsx&lang=ru", "", nil)
	f, err := excelize.OpenReader(bytes.NewReader(wb.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); !strings.Contains(got, "Участники") || !strings.Contains(got, "Импортные разрывы") || !strings.Contains(got, "Соответствие ПП-779") {
		t.Errorf("Russian workbook sheets: %s", got)
	}
	f.Close()
	importOK(t, s, "dst-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", wb.Body.Bytes())
	sameData(t, db, "src", "dst-xlsx")
}

// A file as a Russian Excel saves it by default (Windows-1251, semicolons,
// decimal comma) imports as its UTF-8 twin does.
func TestImportWindows1251(t *testing.T) {
	s, db := newTestServer(t, registrySeed())
	enc := func(s string) []byte {
		b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	parts := "id;name;region;revenue_rub;final_producer\r\na;ООО «Ёлка» — №1;Омская область;1 234 567,89;да\r\nb;Б;Москва;0,5;нет\r\n"
	links := "supplier_id;buyer_id;value_rub;year\r\nb;a;1 000,5;2024\r\n"
	body, ct := multipartBody(t, map[string][]byte{"participants.csv": enc(parts), "links.csv": enc(links)})
	importOK(t, s, "cp", ct, body.Bytes())
	body, ct = multipartBody(t, map[string][]byte{"participants.csv": []byte(parts), "links.csv": []byte(links)})
	importOK(t, s, "utf", ct, body.Bytes())
	ds, err := db.ClusterData(t.Context(), "cp")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, p := range ds.Participants {
		names[p.ID] = p.Name
	}
	if names["a"] != "ООО «Ёлка» — №1" || *ds.Links[0].ValueRUB != 1000.5 {
		t.Errorf("decoded %v, link %v", names, *ds.Links[0].ValueRUB)
	}
	ta, tb := dataTables(t, db, "cp"), dataTables(t, db, "utf")
	for name := range tb {
		if strings.Join(ta[name], "\n") != strings.Join(tb[name], "\n") {
			t.Errorf("%s: cp1251 %q, utf-8 %q", name, ta[name], tb[name])
		}
	}
}

// Garbage gets one clear error and nothing is stored.
func TestImportGarbageOneError(t *testing.T) {
	s, db := newTestServer(t, registrySeed())
	garbage := []byte("id,name\na,A\n")
	for i := 0; i < 5000; i++ {
		garbage = append(garbage, byte(i*31), byte(i), 0x98)
	}
	body, ct := multipartBody(t, map[string][]byte{"participants.csv": garbage, "links.csv": []byte("supplier_id,buyer_id\na,a\n")})
	rec := send(s, http.MethodPost, "/api/v1/clusters/ru-001/import", ct, body.Bytes())
	var e struct {
		Error struct {
			Code    string
			Details []gm.Problem
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 400 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if len(e.Error.Details) != 1 || e.Error.Details[0].File != "participants.csv" || e.Error.Details[0].Row != 3 ||
		!strings.Contains(e.Error.Details[0].Message, "neither UTF-8 nor Windows-1251") || !strings.Contains(e.Error.Details[0].Message, "offset") {
		t.Errorf("details = %+v", e.Error.Details)
	}
	if n := clusterParticipants(t, db, "ru-001"); n != 0 {
		t.Errorf("stored %d participants", n)
	}
}
