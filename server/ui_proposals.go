package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// uiProposalRoutes registers the pages of support measures, the EAEU
// check, the Eurasian registry and the printable investment proposal.
func (s *Server) uiProposalRoutes() {
	e := s.echo
	e.GET("/support-measures", s.uiMeasures())
	e.GET("/eaeu", s.uiEAEU())
	e.GET("/eurasia", s.uiEurasia())
	e.GET("/clusters/:id/niches/:product/proposal", s.uiProposal())
	e.GET("/clusters/:id/niches/:product/proposal.xlsx", s.uiProposalXLSX())
}

// measureNum formats a number for a page: grouped digits, a decimal comma in
// Russian, at most two decimals.
func measureNum(l string, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v-math.Round(v)) > 1e-9 {
		s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	}
	whole, frac, _ := strings.Cut(s, ".")
	out := groupDigits(whole)
	if frac != "" {
		out += map[bool]string{true: ".", false: ","}[l == "en"] + frac
	}
	return out
}

// measureRow is a support measure laid out for a page.
type measureRow struct {
	M                               gm.SupportMeasure
	Name, Terms, Figures, Note, Why string
	Region, Reason                  string
}

// measureFigures writes a measure's figures in words: amount, share, rate, term.
func measureFigures(l string, m gm.SupportMeasure) string {
	t := func(k string) string { return msg(l, k) }
	var parts []string
	if m.AmountMaxRUB != nil {
		parts = append(parts, t("measures.upto")+" "+formatMoney(l, *m.AmountMaxRUB)+" "+t("rub")+map[bool]string{true: " " + t("measures.peryear"), false: ""}[m.Level == gm.LevelEAEU])
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

func (s *Server) uiMeasures() echo.HandlerFunc {
	return func(c echo.Context) error {
		l := lang(c)
		p := s.newPage(c, msg(l, "measures.title"))
		f, err := parseMeasureFilter(c)
		if err != nil {
			return s.uiError(c, err)
		}
		var rows []measureRow
		for _, m := range s.measures(f) {
			rows = append(rows, measureRowOf(l, m))
		}
		regions := map[string]bool{}
		if s.ref != nil {
			for _, m := range s.ref.Measures {
				if m.Region != "" {
					regions[m.Region] = true
				}
			}
		}
		var rl []string
		for r := range regions {
			rl = append(rl, r)
		}
		sort.Strings(rl)
		p.Data["Rows"], p.Data["Filter"], p.Data["Regions"], p.Data["Kinds"], p.Data["Levels"] = rows, f, rl, gm.MeasureKinds, gm.MeasureLevels
		if s.ref != nil {
			p.Data["EAEU"] = s.ref.EAEU
		}
		return s.render(c, http.StatusOK, "measures.html", p)
	}
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

func (s *Server) uiEAEU() echo.HandlerFunc {
	return func(c echo.Context) error {
		l := lang(c)
		p := s.newPage(c, msg(l, "eaeu.title"))
		r, err := s.eaeuRules()
		if err != nil {
			return s.uiError(c, err)
		}
		p.Data["Rules"] = r
		p.Data["Form"] = c.QueryParams()
		p.Data["Slots"] = []string{"1", "2", "3", "4"}
		p.Data["Fields"] = []string{"production_cost", "project_cost", "cooperation", "duration", "loan", "loan_rate", "key_rate"}
		proj, asked, bad := eaeuForm(c)
		if asked {
			switch {
			case len(bad) > 0:
				p.Data["Problems"] = bad
			case len(proj.Participants) == 0:
				p.Data["Problems"] = []gm.Problem{{Column: msg(l, "eaeu.participants"), Message: "list the participants' countries", MessageRU: "укажите страны участников"}}
			default:
				res, err := analysis.CheckEAEU(r, proj)
				if err != nil {
					p.Data["Problems"] = gm.ErrorDetails(err)
				} else {
					p.Data["Result"] = res
				}
			}
		}
		return s.render(c, http.StatusOK, "eaeu.html", p)
	}
}

// figureRow is a figure of a Eurasian entry, written out.
type figureRow struct {
	Indicator, Value, Period, Text, Source string
}

func figureText(l string, f gm.ClusterFigure) string {
	var v string
	switch f.Unit {
	case "RUB":
		v = formatMoney(l, f.Value) + " " + msg(l, "rub")
	case "USD":
		v = "$" + formatMoney(l, f.Value)
	case "pct":
		v = measureNum(l, f.Value) + "%"
	default:
		v = measureNum(l, f.Value)
		if u := msg(l, "unit."+f.Unit); u != "unit."+f.Unit {
			v += " " + u
		}
	}
	if f.Qualifier != "" {
		v = msg(l, "qual."+f.Qualifier) + " " + v
	}
	return v
}

type eurasiaRow struct {
	E       clusterEntry
	Figures []figureRow
}

func (s *Server) uiEurasia() echo.HandlerFunc {
	return func(c echo.Context) error {
		l := lang(c)
		p := s.newPage(c, msg(l, "eurasia.title"))
		var foreign, planned, unregistered []eurasiaRow
		for _, e := range s.referenceEntries() {
			r := eurasiaRow{E: e}
			for _, f := range e.Figures {
				r.Figures = append(r.Figures, figureRow{Indicator: msg(l, "ind."+f.Indicator), Value: figureText(l, f), Period: periodText(l, f.Period), Text: f.Text, Source: f.Source})
			}
			switch e.Kind {
			case gm.ClusterForeign:
				foreign = append(foreign, r)
			case gm.ClusterUnregistered:
				unregistered = append(unregistered, r)
			default:
				planned = append(planned, r)
			}
		}
		p.Data["Foreign"], p.Data["Planned"], p.Data["Unregistered"] = foreign, planned, unregistered
		// The stored registry's count, to say the Eurasian entries are apart.
		_, total, err := s.store.ListClusters(c.Request().Context(), gm.ClusterFilter{Limit: 1})
		if err != nil {
			return s.uiError(c, err)
		}
		p.Data["RegistryTotal"] = total
		var lqs []gm.PublishedLQ
		if s.ref != nil {
			lqs = s.ref.PublishedLQ
		}
		// Regions in the document's order, industries by LQ.
		type row struct {
			gm.PublishedLQ
			Text string
		}
		type region struct {
			Name string
			Rows []row
		}
		var regions []region
		for _, x := range lqs {
			if len(regions) == 0 || regions[len(regions)-1].Name != x.Region {
				regions = append(regions, region{Name: x.Region})
			}
			regions[len(regions)-1].Rows = append(regions[len(regions)-1].Rows, row{x, formatNum(l, x.LQ, 2)})
		}
		for _, r := range regions {
			sort.SliceStable(r.Rows, func(i, j int) bool { return r.Rows[i].LQ > r.Rows[j].LQ })
		}
		p.Data["LQ"] = regions
		return s.render(c, http.StatusOK, "eurasia.html", p)
	}
}

func periodText(l, p string) string {
	if l == "en" || p == "" {
		return p
	}
	r := strings.NewReplacer("since ", "с ", "by ", "к ")
	return r.Replace(p)
}

// proposalPage loads a proposal for a page; the caller must be signed in
// (members see every figure, others the aggregated view).
func (s *Server) proposalPage(c echo.Context) (*webPage, proposalView, error) {
	l := lang(c)
	me := who(c)
	if !me.signedIn() {
		return nil, proposalView{}, gm.Errorf(gm.EUNAUTHORIZED, "sign in to see investment proposals")
	}
	cl, v, err := s.proposalFor(c)
	if err != nil {
		return nil, v, err
	}
	p := s.newPage(c, msg(l, "prop.title")+": "+v.ProductName)
	p.Cluster, p.Tab = cl, "niches"
	p.Member, p.CanWrite = me.member(cl.ID), me.canWrite(cl.ID)
	return p, v, nil
}

func (s *Server) uiProposal() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, v, err := s.proposalPage(c)
		if err != nil {
			return s.uiError(c, err)
		}
		l := p.Lang
		var fed, reg []measureRow
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
				reg = append(reg, r)
			} else {
				fed = append(fed, r)
			}
		}
		var excl []measureRow
		for _, m := range v.NotApplicable {
			r := measureRowOf(l, m.Measure)
			r.Why, r.Region = pickLang(l, m.WhyRU, m.Why), m.Region
			excl = append(excl, r)
		}
		p.Data["V"], p.Data["Federal"], p.Data["Regional"], p.Data["Excluded"] = v, fed, reg, excl
		p.Data["XLSX"] = "/clusters/" + url.PathEscape(v.ClusterID) + "/niches/" + url.PathEscape(v.ProductCode) + "/proposal.xlsx?lang=" + l
		return s.render(c, http.StatusOK, "proposal.html", p)
	}
}

// pickLang returns the English text on an English page, else the Russian.
func pickLang(l, ru, en string) string {
	if l == "en" {
		return en
	}
	return ru
}

func (s *Server) uiProposalXLSX() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, v, err := s.proposalPage(c)
		if err != nil {
			return s.uiError(c, err)
		}
		return writeProposalXLSX(c, v)
	}
}
