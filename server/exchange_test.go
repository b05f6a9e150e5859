package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/xuri/excelize/v2"
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
