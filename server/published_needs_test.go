package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/seeds"
)

// Issue #17, point 5: the Omsk SOPC's identified needs (001:566-610) are
// served publicly and shown on the cluster page, with the figures as
// printed and no invented label or year.
func TestPublishedNeeds001L566(t *testing.T) {
	seed, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newRefServer(t, seed)
	code, b, raw := getJSON(t, s, "/api/v1/clusters/ru-060/published-needs", "")
	if code != http.StatusOK || b["total"].(float64) != 2 {
		t.Fatalf("%d %s", code, raw)
	}
	items := b["items"].([]any)
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["value_rub"].(float64) != 7e9 || first["quantity"] != nil || first["source"] != "001:560;570-572" ||
		second["quantity"].(float64) != 190000 || second["unit"] != "m2" || second["value_rub"] != nil {
		t.Errorf("items %s", raw)
	}
	if strings.Contains(raw, "year") || strings.Contains(raw, "сырьё") || strings.Contains(raw, "niche") {
		t.Errorf("an invented label or year: %s", raw)
	}
	if code, b, raw := getJSON(t, s, "/api/v1/clusters/ru-001/published-needs", ""); code != http.StatusOK || b["total"].(float64) != 0 {
		t.Errorf("a cluster without published needs: %d %s", code, raw)
	}
	if code, _, _ := getJSON(t, s, "/api/v1/clusters/ru-999/published-needs", ""); code != http.StatusNotFound {
		t.Errorf("unknown cluster: %d", code)
	}
	rec := call(s, http.MethodGet, "/clusters/ru-061", "", "")
	body := rec.Body.String()
	for _, want := range []string{"Выявленная потребность кластера", "82\u00a0000 т", "190\u00a0000 м²", "в год"} {
		if !strings.Contains(body, want) {
			t.Errorf("cluster page lacks %q", want)
		}
	}
}
