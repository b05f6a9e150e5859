package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/server"
)

func postForm(h http.Handler, target, token string, v url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// storedBody is the submission as the API keeps it (status and sections).
func storedBody(t *testing.T, h http.Handler, target, token string) string {
	t.Helper()
	rec := call(h, http.MethodGet, target, token, "")
	var v map[string]any
	json.Unmarshal(rec.Body.Bytes(), &v)
	for _, k := range []string{"updated_at", "flags", "errors", "completion", "prefilled", "version"} {
		delete(v, k)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestHurriedAccountant posts the web form and uploads a workbook with what
// a hurried accountant types — an empty amount, "12,5 млн", a code with
// spaces, a pasted Excel range — and expects a clear Russian message beside
// each field and nothing stored; the code with spaces alone is fine.
func TestHurriedAccountant(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	id := campaignIn(t, s, "alu", token(t, db, "editor", "alu"))
	me := participantToken(t, db, "alu", "win1")
	page := "/clusters/alu/campaigns/" + id + "/submissions/win1"
	api := "/api/v1" + page
	before := storedBody(t, s, api, me)

	hurried := url.Values{
		"indicators.shipped_rub":     {"12,5 млн"},
		"indicators.taxes_rub":       {"1 200\t3 400\n5 600"},
		"purchases[0].supplier_id":   {"profile"},
		"purchases[0].product_code":  {" 24.42. 22 "},
		"purchases[0].value_rub":     {""},
		"imports[0].product_code":    {"22.21.10"},
		"imports[0].country":         {"Китай"},
		"imports[0].value_rub":       {"10 000,50"},
		"purchases[7].supplier_name": {""}, // a spare row, empty
	}
	for _, action := range []string{"save", "submit"} {
		v := url.Values{}
		for k, x := range hurried {
			v[k] = x
		}
		v.Set("action", action)
		rec := postForm(s, page, me, v)
		body := rec.Body.String()
		if rec.Code != 400 {
			t.Fatalf("%s: %d", action, rec.Code)
		}
		for _, want := range []string{
			`id="f-indicators-shipped_rub-msg" class="msg"><span class="err">введите сумму в рублях цифрами, без «млн»: 12,5 млн — это 12 500 000`,
			`id="f-indicators-taxes_rub-msg" class="msg"><span class="err">в поле вставлено несколько ячеек из Excel: введите одно число`,
			"ничего не сохранено",
			`value="12,5 млн"`, // what was typed stays in the field
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page lacks %q", action, want)
			}
		}
		if after := storedBody(t, s, api, me); after != before {
			t.Errorf("%s stored something:\nbefore %s\nafter  %s", action, before, after)
		}
	}

	// With the figures readable, a submit still refuses the empty amount,
	// beside its field, and stores nothing.
	v := url.Values{"action": {"submit"}, "indicators.shipped_rub": {"12 500 000"}, "purchases[0].supplier_id": {"profile"},
		"purchases[0].product_code": {" 24.42. 22 "}, "purchases[0].value_rub": {""}}
	rec := postForm(s, page, me, v)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `id="f-purchases-0-value_rub-msg" class="msg"><span class="err">укажите сумму в рублях`) {
		t.Errorf("submit with an empty amount: %d", rec.Code)
	}
	if after := storedBody(t, s, api, me); after != before {
		t.Errorf("a refused submit stored something: %s", after)
	}
	// Saved as a draft it is kept (a draft may be incomplete); the code
	// with spaces is read as 24.42.22.
	v.Set("action", "save")
	v.Set("purchases[0].value_rub", "1 234 567,8")
	if rec := postForm(s, page, me, v); rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	var got struct {
		Status    string `json:"status"`
		Purchases []struct {
			ProductCode string  `json:"product_code"`
			ValueRUB    float64 `json:"value_rub"`
		} `json:"purchases"`
	}
	jsonCall(t, s, http.MethodGet, api, me, "", 200, &got)
	if got.Status != "draft" || len(got.Purchases) != 1 || got.Purchases[0].ProductCode != "24.42.22" || got.Purchases[0].ValueRUB != 1234567.8 {
		t.Errorf("saved draft: %+v", got)
	}

	// The workbook: "12,5 млн" in a cell refuses the whole upload with its
	// sheet and row; nothing is stored.
	draft := storedBody(t, s, api, me)
	wb := call(s, http.MethodGet, api+"/workbook.xlsx", me, "")
	x, err := excelize.OpenReader(bytes.NewReader(wb.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	x.SetCellValue("Закупки", "D2", "12,5 млн")
	var buf bytes.Buffer
	x.Write(&buf)
	req := httptest.NewRequest(http.MethodPut, api+"/workbook.xlsx", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	req.Header.Set("Authorization", "Bearer "+me)
	up := httptest.NewRecorder()
	s.ServeHTTP(up, req)
	var e apiError
	json.Unmarshal(up.Body.Bytes(), &e)
	if up.Code != 400 || len(e.Error.Details) != 1 || !strings.Contains(e.Error.Details[0].MessageRU, "12 500 000") || !strings.Contains(up.Body.String(), `"file":"Закупки","row":2`) {
		t.Errorf("upload with a figure in millions: %d %s", up.Code, up.Body)
	}
	if after := storedBody(t, s, api, me); after != draft {
		t.Errorf("a refused upload stored something")
	}
}
