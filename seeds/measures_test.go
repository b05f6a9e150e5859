package seeds_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/internal/testenv"
	"github.com/coopchain/coopchain/seeds"
)

// sourceDoc reads ../shared/seeds/<prefix>_*.txt as lines (1-based: the
// first line is lines[1]), skipping the test when the documents are absent.
func sourceDoc(t *testing.T, prefix string) []string {
	t.Helper()
	b, err := os.ReadFile(testenv.Shared(t, "../../shared/seeds/"+prefix+"_*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{""}, strings.Split(string(b), "\n")...)
}

var spaces = regexp.MustCompile(`[\s\p{Zs}]+`)

// norm folds every kind of space (the documents use narrow no-break spaces)
// into one plain space.
func norm(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// cited returns the text of the lines a source reference names:
// "001:453-457;393" or "004:2318-2321;004:19-39", the documents' lines
// joined with spaces.
func cited(t *testing.T, docs map[string][]string, src string) string {
	t.Helper()
	var parts []string
	doc := ""
	for _, seg := range strings.Split(src, ";") {
		if d, r, ok := strings.Cut(seg, ":"); ok {
			doc, seg = d, r
		}
		lines, ok := docs[doc]
		if !ok {
			t.Fatalf("source %q: unknown document %q", src, doc)
		}
		from, to, _ := strings.Cut(seg, "-")
		a, err1 := strconv.Atoi(from)
		b := a
		var err2 error
		if to != "" {
			b, err2 = strconv.Atoi(to)
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b >= len(lines) {
			t.Fatalf("source %q: bad line range %q", src, seg)
		}
		parts = append(parts, lines[a:b+1]...)
	}
	return norm(strings.Join(parts, " "))
}

func allDocs(t *testing.T) map[string][]string {
	return map[string][]string{"000": sourceDoc(t, "000"), "001": sourceDoc(t, "001"), "003": sourceDoc(t, "003"), "004": sourceDoc(t, "004")}
}

func measuresByID(t *testing.T) map[string]gm.SupportMeasure {
	t.Helper()
	ms, err := seeds.Measures()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]gm.SupportMeasure{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

// atlasSection returns the Atlas lines (numbered) from the first line equal
// to start up to, not including, the first later line that begins with end.
func atlasSection(t *testing.T, atlas []string, start, end string) map[int]string {
	t.Helper()
	out := map[int]string{}
	in := false
	for i, l := range atlas {
		l = norm(l)
		switch {
		case !in && l == start:
			in = true
		case in && strings.HasPrefix(l, end):
			return out
		case in && l != "":
			out[i] = l
		}
	}
	t.Fatalf("section %q…%q not found", start, end)
	return nil
}

// regionalRows pairs each region heading of a section with the measure
// line that follows it: line number of the measure → [region, text].
func regionalRows(section map[int]string) map[int][2]string {
	out := map[int][2]string{}
	region := ""
	for i := 0; i < 2000; i++ {
		l, ok := section[i]
		if !ok {
			continue
		}
		if strings.Contains(l, "област") || strings.Contains(l, "край") || strings.Contains(l, "Республика") {
			region = l
			continue
		}
		if region != "" {
			out[i] = [2]string{region, l}
			region = ""
		}
	}
	return out
}

// fp prints an optional number.
func fp(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

var loanRe = regexp.MustCompile(`^Объем займа до (\d+) млн руб\.(?: на ([^,]+),)? по ставке (.+?) на срок до (\d+) лет$`)

// Every row of the Atlas's table of regional preferential loans is in the
// data with its amount, rate and term, and nothing else is.
func TestRegionalLoansMatchAtlas(t *testing.T) {
	atlas := sourceDoc(t, "001")
	sec := atlasSection(t, atlas, "Льготные займы:", "Картухин")
	rows := regionalRows(sec)
	if len(rows) != 9 {
		t.Fatalf("found %d loan rows in the Atlas, want 9: %v", len(rows), rows)
	}
	ms, err := seeds.Measures()
	if err != nil {
		t.Fatal(err)
	}
	byRegion := map[string]gm.SupportMeasure{}
	for _, m := range ms {
		if m.Level == gm.LevelRegional && m.Kind == gm.MeasureLoan {
			if _, dup := byRegion[m.Region]; dup {
				t.Errorf("two loans for %s", m.Region)
			}
			byRegion[m.Region] = m
		}
	}
	if len(byRegion) != len(rows) {
		t.Errorf("%d regional loans in the data, %d in the Atlas", len(byRegion), len(rows))
	}
	for line, r := range rows {
		region, text := r[0], r[1]
		t.Run(region, func(t *testing.T) {
			m, ok := byRegion[region]
			if !ok {
				t.Fatalf("no loan for %s (Atlas line %d: %s)", region, line, text)
			}
			g := loanRe.FindStringSubmatch(text)
			if g == nil {
				t.Fatalf("Atlas line %d not understood: %q", line, text)
			}
			amount, _ := strconv.ParseFloat(g[1], 64)
			term, _ := strconv.ParseFloat(g[4], 64)
			if m.AmountMaxRUB == nil || *m.AmountMaxRUB != amount*1e6 {
				t.Errorf("amount %s, Atlas %s mln", fp(m.AmountMaxRUB), g[1])
			}
			if m.TermYears == nil || *m.TermYears != term {
				t.Errorf("term %s, Atlas %s years", fp(m.TermYears), g[4])
			}
			if g[2] != m.Purpose {
				t.Errorf("purpose %q, Atlas %q", m.Purpose, g[2])
			}
			rate := g[3]
			switch {
			case strings.HasSuffix(rate, "% от КС ЦБ РФ"):
				share, _ := strconv.ParseFloat(strings.TrimSuffix(rate, "% от КС ЦБ РФ"), 64)
				if m.RateKeyShare == nil || math.Abs(*m.RateKeyShare-share/100) > 1e-12 || m.RateMinPct != nil {
					t.Errorf("rate: key share %s, Atlas %q", fp(m.RateKeyShare), rate)
				}
			default:
				lo, hi, isRange := strings.Cut(strings.TrimSuffix(rate, "%"), "-")
				if !isRange {
					hi = lo
				}
				a, _ := strconv.ParseFloat(lo, 64)
				b, _ := strconv.ParseFloat(hi, 64)
				if m.RateMinPct == nil || m.RateMaxPct == nil || *m.RateMinPct != a || *m.RateMaxPct != b {
					t.Errorf("rate %s–%s, Atlas %q", fp(m.RateMinPct), fp(m.RateMaxPct), rate)
				}
			}
			if m.Terms != text || m.Source != fmt.Sprintf("001:%d-%d", line-4, line) {
				t.Errorf("terms %q / source %s, Atlas line %d %q", m.Terms, m.Source, line, text)
			}
		})
	}
}

// Every regional subsidy, grant and tax preference of the Atlas is in the
// data, word for word, with the figure it names.
func TestRegionalGrantsAndTaxMatchAtlas(t *testing.T) {
	atlas := sourceDoc(t, "001")
	ms, err := seeds.Measures()
	if err != nil {
		t.Fatal(err)
	}
	figure := regexp.MustCompile(`до (\d+)( млн руб\.|%)`)
	for _, sec := range []struct {
		start, end, kind string
		want             int
	}{
		{"СУБСИДИИ, ГРАНТЫ:", "НАЛОГОВЫЕ ПРЕФЕРЕНЦИИ:", gm.MeasureSubsidy, 5},
		{"НАЛОГОВЫЕ ПРЕФЕРЕНЦИИ:", "Тут вы можете", gm.MeasureTax, 2},
	} {
		rows := regionalRows(atlasSection(t, atlas, sec.start, sec.end))
		if len(rows) != sec.want {
			t.Fatalf("%s: %d rows in the Atlas: %v", sec.start, len(rows), rows)
		}
		n := 0
		for _, m := range ms {
			if m.Level == gm.LevelRegional && m.Kind == sec.kind {
				n++
			}
		}
		if n != len(rows) {
			t.Errorf("%s: %d measures in the data, %d in the Atlas", sec.kind, n, len(rows))
		}
		for line, r := range rows {
			var found *gm.SupportMeasure
			for i := range ms {
				if ms[i].Region == r[0] && ms[i].Terms == r[1] && ms[i].Kind == sec.kind {
					found = &ms[i]
				}
			}
			if found == nil {
				t.Errorf("Atlas line %d (%s: %s) is not in the data", line, r[0], r[1])
				continue
			}
			g := figure.FindStringSubmatch(r[1])
			v, _ := strconv.ParseFloat(g[1], 64)
			if g[2] == "%" && (found.ShareMaxPct == nil || *found.ShareMaxPct != v) {
				t.Errorf("%s: share %s, Atlas %s%%", found.ID, fp(found.ShareMaxPct), g[1])
			}
			if g[2] != "%" && (found.AmountMaxRUB == nil || *found.AmountMaxRUB != v*1e6) {
				t.Errorf("%s: amount %s, Atlas %s mln", found.ID, fp(found.AmountMaxRUB), g[1])
			}
		}
	}
}

// Each measure cites lines that hold what it says: its legal reference is
// in the Atlas, and the regional measures' terms are in the cited lines.
func TestMeasuresCiteTheAtlas(t *testing.T) {
	docs := allDocs(t)
	whole := norm(strings.Join(docs["001"], " "))
	ms := measuresByID(t)
	for _, id := range []string{"fed-starting-batch", "fed-cluster-investment-platform", "fed-insurance-contributions", "fed-tax-monitoring",
		"fed-export-promotion", "eaeu-cooperation-projects"} {
		if _, ok := ms[id]; !ok {
			t.Errorf("federal measure %s missing", id)
		}
	}
	for _, m := range ms {
		text := cited(t, docs, m.Source)
		// The act is named in the nominative here; the rest of the
		// reference (date, number, title) is verbatim.
		_, rest, ok := strings.Cut(m.LegalRef, " от ")
		if !ok || !strings.Contains(whole, norm(rest)) {
			t.Errorf("%s: legal reference not in the Atlas: %q", m.ID, m.LegalRef)
		}
		if m.Level == gm.LevelRegional && !strings.Contains(text, norm(m.Terms)) {
			t.Errorf("%s: terms %q not in the cited lines %s", m.ID, m.Terms, m.Source)
		}
	}
	exp := ms["fed-export-promotion"]
	text := cited(t, docs, "001:630-634")
	if *exp.ShareMaxSMEPct != 80 || *exp.ShareMaxPct != 50 || !strings.Contains(text, "До **80%** для МСП") || !strings.Contains(text, "До **50%** для остальных") {
		t.Errorf("export compensation %v/%v against %q", *exp.ShareMaxSMEPct, *exp.ShareMaxPct, text)
	}
	// The Atlas prints no amount for the starting-batch subsidy: the data
	// must not invent one.
	if sb := ms["fed-starting-batch"]; sb.AmountMaxRUB != nil || sb.ShareMaxPct != nil || !strings.Contains(sb.Note, "image") {
		t.Errorf("starting batch: %+v", sb)
	}
}

func TestEAEURulesMatchAtlas(t *testing.T) {
	docs := allDocs(t)
	r, err := seeds.EAEURules()
	if err != nil {
		t.Fatal(err)
	}
	if r.MinStates != 3 || r.MaxSubsidyRUBPerYear != 350e6 || r.SubsidyYears != 5 || r.MaxProjectYears != 5 || r.MaxRateMarginPP != 6.5 || r.KeyRateCompensationShare != 1 {
		t.Errorf("rules = %+v", r)
	}
	want := map[string]string{"min_states": "3+ стран-участников", "max_subsidy_rub_per_year": "не более 350 млн руб. в год - размер субсидии",
		"subsidy_years": "5 лет - срок предоставления субсидии", "max_project_years": "не более 5 лет - срок реализации проекта",
		"max_rate_margin_pp": "100% КС НБ + 6.5%", "key_rate_compensation_share": "100% ключевой ставки", "decision": "Решение Евразийского межправительственного совета от 26 октября 2023 г. №3",
		"member_states": "ЕАЭС), в который входят все страны – участницы ЕАБР за исключением Таджикистана"}
	for rule, phrase := range want {
		if src := r.Sources[rule]; !strings.Contains(cited(t, docs, src), phrase) {
			t.Errorf("%s: %q not in %s", rule, phrase, src)
		}
	}
	// EDB members (004's abbreviations) less Tajikistan.
	abbr := cited(t, docs, "004:19-39")
	for _, s := range []string{"РА – Республика Армения", "РБ – Республика Беларусь", "РК – Республика Казахстан", "КР – Кыргызская Республика", "РФ – Российская Федерация"} {
		if !strings.Contains(abbr, s) {
			t.Errorf("004 abbreviations lack %q", s)
		}
	}
	if strings.Join(r.MemberStates, ",") != "AM,BY,KZ,KG,RU" {
		t.Errorf("member states %v", r.MemberStates)
	}
	shares := map[string]float64{"production": 5, "technological": 5, "services": 10, "investment": 10}
	if len(r.Types) != len(shares) {
		t.Errorf("%d cooperation types", len(r.Types))
	}
	for _, ty := range r.Types {
		text := cited(t, docs, ty.Source)
		if shares[ty.ID] != ty.SharePct || !strings.Contains(text, norm(ty.Text)) || !strings.Contains(ty.Text, strconv.FormatFloat(ty.SharePct, 'f', -1, 64)+"%") {
			t.Errorf("type %+v against %q", ty, text)
		}
		if (ty.Base == gm.BaseProductionCost) != strings.Contains(ty.Text, "себестоимости продукции") {
			t.Errorf("type %s: base %s against %q", ty.ID, ty.Base, ty.Text)
		}
	}
}

func TestMeasureUsesCiteTheAtlas(t *testing.T) {
	docs := allDocs(t)
	uses, err := seeds.MeasureUses()
	if err != nil {
		t.Fatal(err)
	}
	ms := measuresByID(t)
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, c := range s.Clusters {
		registered[c.ID] = true
	}
	for _, u := range uses {
		text := cited(t, docs, u.Source)
		if _, ok := ms[u.MeasureID]; !ok || !registered[u.ClusterID] {
			t.Errorf("use %+v: unknown measure or cluster", u)
		}
		if u.AmountRUB != nil {
			mln := strings.Replace(strconv.FormatFloat(*u.AmountRUB/1e6, 'f', -1, 64), ".", ",", 1)
			if !strings.Contains(text, mln+" млн руб") {
				t.Errorf("use %+v: %s млн руб. not in %q", u, mln, text)
			}
		}
		if u.Year != 0 && !strings.Contains(text, strconv.Itoa(u.Year)) {
			t.Errorf("use %+v: year not in the cited lines", u)
		}
	}
}
