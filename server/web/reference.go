package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// measureNum formats a number for a page: grouped digits, a decimal comma in
// Russian, at most two decimals.
func measureNum(l string, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v-math.Round(v)) > 1e-9 {
		s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	}
	whole, frac, _ := strings.Cut(s, ".")
	out := gm.GroupDigits(whole)
	if frac != "" {
		out += map[bool]string{true: ".", false: ","}[l == "en"] + frac
	}
	return out
}

// measureFigures writes a measure's figures in words: amount, share, rate, term.
func measureFigures(l string, m gm.SupportMeasure) string {
	t := func(k string) string { return i18n.T(l, k) }
	var parts []string
	if m.AmountMaxRUB != nil {
		parts = append(parts, t("measures.upto")+" "+gm.FormatMoney(l, *m.AmountMaxRUB)+" "+t("rub")+map[bool]string{true: " " + t("measures.peryear"), false: ""}[m.Level == gm.LevelEAEU])
	}
	if m.ShareMaxSMEPct != nil {
		parts = append(parts, t("measures.upto")+" "+measureNum(l, *m.ShareMaxSMEPct)+"% "+t("measures.sme"))
	}
	if m.ShareMaxPct != nil {
		s := t("measures.upto") + " " + measureNum(l, *m.ShareMaxPct) + "% " + t("measures.ofcosts")
		if m.ShareMaxSMEPct != nil {
			s = t("measures.upto") + " " + measureNum(l, *m.ShareMaxPct) + "% " + t("measures.others")
		}
		parts = append(parts, s)
	}
	switch {
	case m.RateKeyShare != nil:
		parts = append(parts, t("measures.rate")+" "+measureNum(l, 100**m.RateKeyShare)+"% "+t("measures.ofkey"))
	case m.RateMinPct != nil && m.RateMaxPct != nil && *m.RateMinPct != *m.RateMaxPct:
		parts = append(parts, t("measures.rate")+" "+measureNum(l, *m.RateMinPct)+"–"+measureNum(l, *m.RateMaxPct)+"%")
	case m.RateMinPct != nil:
		parts = append(parts, t("measures.rate")+" "+measureNum(l, *m.RateMinPct)+"%")
	}
	if m.TermYears != nil {
		parts = append(parts, t("measures.term")+" "+measureNum(l, *m.TermYears)+" "+t("measures.years"))
	}
	if m.ValidUntil != 0 {
		parts = append(parts, t("measures.until")+" "+strconv.Itoa(m.ValidUntil))
	}
	if m.Purpose != "" && m.Kind == gm.MeasureLoan {
		parts = append(parts, t("measures.purpose")+": "+m.Purpose)
	}
	if len(parts) == 0 {
		return t("measures.nofigure")
	}
	return strings.Join(parts, "; ")
}

func measureRowOf(l string, m gm.SupportMeasure) measureRow {
	r := measureRow{M: m, Name: m.Name, Terms: m.Terms, Figures: measureFigures(l, m), Region: m.Region}
	if l == "en" {
		r.Name, r.Terms, r.Note = m.NameEN, m.TermsEN, m.Note
	}
	return r
}

func (u *UI) measures() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		l := httpx.Lang(c)
		p := &measuresPage{Page: u.newPage(c, i18n.T(l, "measures.title")), Regions: u.app.MeasureRegions(), Kinds: gm.MeasureKinds, Levels: gm.MeasureLevels,
			EAEU: u.app.Reference().EAEU}
		p.Filter = app.MeasureFilter{Region: strings.TrimSpace(c.QueryParam("region")), Kind: c.QueryParam("kind"), Level: c.QueryParam("level")}
		ms, err := u.app.Measures(p.Filter)
		if err != nil {
			return err
		}
		for _, m := range ms {
			p.Rows = append(p.Rows, measureRowOf(l, m))
		}
		return u.render(c, http.StatusOK, "measures.html", p)
	})
}

// eaeuForm reads the EAEU check form (a GET form: it changes nothing).
func eaeuForm(c echo.Context) (analysis.EAEUProject, bool, []gm.Problem) {
	var p analysis.EAEUProject
	var bad []gm.Problem
	q := c.QueryParams()
	if q.Get("check") == "" {
		return p, false, nil
	}
	p.Type = q.Get("type")
	for i := 1; i <= 4; i++ {
		cc := strings.TrimSpace(q.Get(fmt.Sprintf("country%d", i)))
		if cc != "" {
			p.Participants = append(p.Participants, analysis.EAEUParticipant{Name: strings.TrimSpace(q.Get(fmt.Sprintf("name%d", i))), Country: cc})
		}
	}
	field := func(name string) *float64 {
		v := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(q.Get(name)), " ", ""), ",", ".")
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad = append(bad, gm.Problem{Column: name, Value: q.Get(name), Message: "not a number", MessageRU: "не число"})
			return nil
		}
		return &x
	}
	mln := func(name string) *float64 {
		if v := field(name); v != nil {
			x := *v * 1e6
			return &x
		}
		return nil
	}
	p.ProductionCostRUB, p.ProjectCostRUB, p.CooperationRUB, p.LoanRUB = mln("production_cost"), mln("project_cost"), mln("cooperation"), mln("loan")
	p.DurationYears, p.LoanRatePct, p.KeyRatePct = field("duration"), field("loan_rate"), field("key_rate")
	if l := q.Get("lender"); l == "yes" || l == "no" {
		yes := l == "yes"
		p.AuthorisedLender = &yes
	}
	return p, true, bad
}

func (u *UI) eaeu() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		l := httpx.Lang(c)
		r, err := u.app.EAEURules()
		if err != nil {
			return err
		}
		p := &eaeuPage{Page: u.newPage(c, i18n.T(l, "eaeu.title")), Rules: r, Form: c.QueryParams(), Slots: []string{"1", "2", "3", "4"},
			Fields: []string{"production_cost", "project_cost", "cooperation", "duration", "loan", "loan_rate", "key_rate"}}
		proj, asked, bad := eaeuForm(c)
		if asked {
			switch {
			case len(bad) > 0:
				p.Problems = bad
			case len(proj.Participants) == 0:
				p.Problems = []gm.Problem{{Column: i18n.T(l, "eaeu.participants"), Message: "list the participants' countries", MessageRU: "укажите страны участников"}}
			default:
				if p.Result, err = u.app.CheckEAEU(proj); err != nil {
					p.Problems = gm.ErrorDetails(err)
				}
			}
		}
		return u.render(c, http.StatusOK, "eaeu.html", p)
	})
}

func figureText(l string, f gm.ClusterFigure) string {
	var v string
	switch f.Unit {
	case "RUB":
		v = gm.FormatMoney(l, f.Value) + " " + i18n.T(l, "rub")
	case "USD":
		v = "$" + gm.FormatMoney(l, f.Value)
	case "pct":
		v = measureNum(l, f.Value) + "%"
	default:
		v = measureNum(l, f.Value)
		if u := i18n.T(l, "unit."+f.Unit); u != "unit."+f.Unit {
			v += " " + u
		}
	}
	if f.Qualifier != "" {
		v = i18n.T(l, "qual."+f.Qualifier) + " " + v
	}
	return v
}

func (u *UI) eurasia() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		l := httpx.Lang(c)
		p := &eurasiaPage{Page: u.newPage(c, i18n.T(l, "eurasia.title"))}
		for _, e := range u.app.ReferenceEntries() {
			r := eurasiaRow{E: e}
			for _, f := range e.Figures {
				r.Figures = append(r.Figures, figureRow{Indicator: i18n.T(l, "ind."+f.Indicator), Value: figureText(l, f), Period: periodText(l, f.Period), Text: f.Text, Source: f.Source})
			}
			switch e.Kind {
			case gm.ClusterForeign:
				p.Foreign = append(p.Foreign, r)
			case gm.ClusterUnregistered:
				p.Unregistered = append(p.Unregistered, r)
			default:
				p.Planned = append(p.Planned, r)
			}
		}
		// The stored registry's count, to say the Eurasian entries are apart.
		var err error
		if _, p.RegistryTotal, err = u.app.RegistryClusters(c.Request().Context(), gm.ClusterFilter{Limit: 1}); err != nil {
			return err
		}
		// Regions in the document's order, industries by LQ.
		for _, x := range u.app.Reference().PublishedLQ {
			if len(p.LQ) == 0 || p.LQ[len(p.LQ)-1].Name != x.Region {
				p.LQ = append(p.LQ, lqRegion{Name: x.Region})
			}
			last := &p.LQ[len(p.LQ)-1]
			last.Rows = append(last.Rows, lqRow{x, gm.FormatNumber(l, x.LQ, 2)})
		}
		for _, r := range p.LQ {
			sort.SliceStable(r.Rows, func(i, j int) bool { return r.Rows[i].LQ > r.Rows[j].LQ })
		}
		return u.render(c, http.StatusOK, "eurasia.html", p)
	})
}

func periodText(l, p string) string {
	if l == "en" || p == "" {
		return p
	}
	r := strings.NewReplacer("since ", "с ", "by ", "к ")
	return r.Replace(p)
}

// proposalView loads a proposal for a page; the caller must be signed in
// (members see every figure, others the aggregated view).
func (u *UI) proposalView(c echo.Context) (*gm.Cluster, app.ProposalView, error) {
	me := httpx.Who(c)
	if !me.SignedIn() {
		return nil, app.ProposalView{}, gm.Errorf(gm.EUNAUTHORIZED, "sign in to see investment proposals")
	}
	year, err := httpx.Year(c)
	if err != nil {
		return nil, app.ProposalView{}, err
	}
	cl, err := u.app.Cluster(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, app.ProposalView{}, err
	}
	v, err := u.app.Proposal(c.Request().Context(), me.Principal, cl, c.Param("product"), year)
	return cl, v, err
}

func (u *UI) proposal() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		cl, v, err := u.proposalView(c)
		if err != nil {
			return err
		}
		l := httpx.Lang(c)
		p := &proposalPage{Page: u.newPage(c, i18n.T(l, "prop.title")+": "+v.ProductName), V: v}
		p.Cluster, p.Tab = cl, "niches"
		p.Member, p.CanWrite = p.Me.Member(cl.ID), p.Me.CanWrite(cl.ID)
		for _, m := range v.Measures {
			r := measureRowOf(l, m.Measure)
			r.Why, r.Reason = m.WhyRU, m.Reason
			if l == "en" {
				r.Why = m.Why
			}
			if m.Region != "" {
				r.Region = m.Region
			}
			if m.Measure.Level == gm.LevelRegional {
				p.Regional = append(p.Regional, r)
			} else {
				p.Federal = append(p.Federal, r)
			}
		}
		for _, m := range v.NotApplicable {
			r := measureRowOf(l, m.Measure)
			r.Why, r.Region = m.WhyRU, m.Region
			if l == "en" {
				r.Why = m.Why
			}
			p.Excluded = append(p.Excluded, r)
		}
		p.XLSX = "/clusters/" + url.PathEscape(v.ClusterID) + "/niches/" + url.PathEscape(v.ProductCode) + "/proposal.xlsx?lang=" + l
		return u.render(c, http.StatusOK, "proposal.html", p)
	})
}

func (u *UI) proposalXLSX() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		_, v, err := u.proposalView(c)
		if err != nil {
			return err
		}
		l := httpx.Lang(c)
		data, name, err := app.ProposalWorkbook(v, l, func(k string) string { return i18n.T(l, k) })
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		return c.Blob(http.StatusOK, app.MIMEXLSX, data)
	})
}
