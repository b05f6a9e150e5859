package seeds_test

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
)

var numberRe = regexp.MustCompile(`(\d+(?: \d{3})*(?:,\d+)?)\s*(тысяч[аи]?|тыс\.|млн|млрд|миллиард[а-я]*)?`)

// numbers returns every number a Russian text writes ("12 000", "1,3 млрд",
// "4,4 тысячи"), multiplied out.
func numbers(s string) []float64 {
	var out []float64
	for _, m := range numberRe.FindAllStringSubmatch(norm(s), -1) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(m[1], " ", ""), ",", "."), 64)
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(m[2], "тыс"):
			v *= 1e3
		case m[2] == "млн":
			v *= 1e6
		case m[2] == "млрд" || strings.HasPrefix(m[2], "миллиард"):
			v *= 1e9
		}
		out = append(out, v)
	}
	return out
}

func TestEurasiaMatchesSources(t *testing.T) {
	docs := allDocs(t)
	cls, notes, err := seeds.EurasiaClusters()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]gm.Cluster{}
	countries := map[string]int{}
	quoted := regexp.MustCompile(`«[^»]+»`)
	for _, c := range cls {
		byID[c.ID] = c
		if c.Kind == gm.ClusterForeign {
			countries[c.Country]++
		}
		text := cited(t, docs, c.Source)
		// The proper name (in «») is the document's.
		if q := quoted.FindString(c.Name); q != "" && !strings.Contains(text, q) {
			t.Errorf("%s: %s not in %s", c.ID, q, c.Source)
		}
		if notes[c.ID] == "" {
			t.Errorf("%s: no status note", c.ID)
		}
	}
	// Document 000 names one cluster in each of Kazakhstan, Uzbekistan,
	// Azerbaijan and Turkey, and one in Russia (operating, not registered).
	for _, cc := range []string{"KZ", "UZ", "AZ", "TR"} {
		if countries[cc] != 1 {
			t.Errorf("%d foreign clusters in %s", countries[cc], cc)
		}
	}
	// Issue #17, point 7: «Цифровой Урал» operates (000:16-20: «стали ядром
	// нового … кластера. Здесь создаются смарт-фабрики»; 18 000 new jobs) — it is
	// outside the registry, not planned (the test expected planned before).
	if c := byID["unreg-digital-ural"]; c.Kind != gm.ClusterUnregistered || c.Country != "RU" || len(c.Regions) != 2 {
		t.Errorf("Цифровой Урал: %+v", c)
	}
	moscow := 0
	for _, c := range cls {
		if strings.HasPrefix(c.Source, "003:") {
			moscow++
			if c.Kind != gm.ClusterPlanned || strings.Join(c.Regions, ";") != "Москва" {
				t.Errorf("%s: %+v", c.ID, c)
			}
		}
	}
	if moscow != 9 {
		t.Errorf("%d Moscow clusters, want 9 (microelectronics, pharma, e-mobility, construction, food, lifts, batteries, glass, eco)", moscow)
	}
	figs, err := seeds.EurasiaFigures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if _, ok := byID[f.ClusterID]; !ok {
			t.Errorf("figure of unknown cluster %s", f.ClusterID)
		}
		text := cited(t, docs, f.Source)
		if !strings.Contains(text, norm(f.Text)) {
			t.Errorf("%s %s: %q not in %s", f.ClusterID, f.Indicator, f.Text, f.Source)
		}
		found := false
		for _, v := range numbers(f.Text) {
			found = found || math.Abs(v-f.Value) < 1e-6*math.Max(1, f.Value)
		}
		if !found {
			t.Errorf("%s %s: %v not written in %q (%v)", f.ClusterID, f.Indicator, f.Value, f.Text, numbers(f.Text))
		}
	}
	// The jobs and investment figures of Moscow's planned clusters.
	want := map[string]float64{"plan-msk-pharma/jobs_planned": 4400, "plan-msk-pharma/investment_rub": 55e9, "plan-msk-construction/jobs_planned": 14000, "plan-msk-food/jobs_planned": 13000}
	for _, f := range figs {
		if v, ok := want[f.ClusterID+"/"+f.Indicator]; ok && v == f.Value {
			delete(want, f.ClusterID+"/"+f.Indicator)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing figures: %v", want)
	}
}

// The Eurasian entries never mix with the registry: different ids, and the
// registry keeps its 104 clusters.
func TestEurasiaApartFromRegistry(t *testing.T) {
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := seeds.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Clusters) != 104 {
		t.Errorf("registry has %d clusters", len(s.Clusters))
	}
	ids := map[string]bool{}
	for _, c := range s.Clusters {
		ids[c.ID] = true
	}
	for _, c := range ref.Clusters {
		if ids[c.ID] || c.RegistryNo != 0 || !gm.IsEurasian(c.Kind) {
			t.Errorf("%s: clashes with the registry or has kind %s", c.ID, c.Kind)
		}
	}
}

// The published Kyrgyz location quotients are table 3 of document 004, row
// for row.
func TestPublishedLQMatchesTable(t *testing.T) {
	doc := sourceDoc(t, "004")
	lqs, err := seeds.PublishedLQ()
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`^(.*\S) (\d+,\d+)$`)
	regions := map[string]bool{}
	for _, l := range lqs {
		regions[l.Region] = true
	}
	var want []gm.PublishedLQ
	region := ""
	start := 0
	for i, l := range doc {
		if strings.HasPrefix(norm(l), "Таблица 3. Определение потенциала регионов Кыргызстана") {
			start = i
		}
		if start == 0 || i <= start {
			continue
		}
		l = norm(l)
		if strings.HasPrefix(l, "Источник:") {
			break
		}
		if regions[l] {
			region = l
			continue
		}
		if m := row.FindStringSubmatch(l); m != nil && region != "" {
			v, _ := strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
			want = append(want, gm.PublishedLQ{Country: "KG", Region: region, Industry: m[1], Year: 2018, LQ: v, Source: "004:" + strconv.Itoa(i)})
		} else if l != "" {
			region = ""
		}
	}
	if len(want) != 66 || len(lqs) != len(want) {
		t.Fatalf("%d rows in the document, %d in the data", len(want), len(lqs))
	}
	for i := range want {
		if lqs[i] != want[i] {
			t.Errorf("row %d: %+v, document %+v", i, lqs[i], want[i])
		}
	}
	if len(regions) != 9 {
		t.Errorf("%d regions", len(regions))
	}
}
