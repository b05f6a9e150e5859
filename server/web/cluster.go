package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// clusterView is a cluster page's handler: fn runs once the cluster and,
// for members, its analysis are there; while the analysis runs the visitor
// sees its progress, and errors become error pages.
func (u *UI) clusterView(tab string, fn func(c echo.Context, p *Page, x *app.Analysed) error) echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		p, x, running, err := u.clusterPage(c, tab)
		if err != nil {
			return err
		}
		if running {
			return u.render(c, http.StatusAccepted, "job.html", &clusterPage{Page: p})
		}
		return fn(c, p, x)
	})
}

// clusterPage loads the cluster and, for anyone signed in, its analysis
// (waiting a little; large networks get a progress page instead). Only a
// member's page carries the report itself.
func (u *UI) clusterPage(c echo.Context, tab string) (*Page, *app.Analysed, bool, error) {
	ctx := c.Request().Context()
	cl, err := u.app.Cluster(ctx, c.Param("id"))
	if err != nil {
		return nil, nil, false, err
	}
	p := u.newPage(c, cl.Name)
	p.Cluster, p.Tab = cl, tab
	p.Member, p.CanWrite = p.Me.Member(cl.ID), p.Me.CanWrite(cl.ID)
	if !p.Me.SignedIn() {
		return p, nil, false, nil
	}
	x, running, err := u.app.AnalysisWithin(ctx, p.Me.Principal, app.SignedIn, cl, 0, u.opt.PageWait)
	if err != nil || running {
		return p, nil, running, err
	}
	p.Illustrative = x.Report.Summary.Illustrative
	if p.Member {
		p.Report = x.Report
	}
	return p, x, false, nil
}

// diagramOf draws a view of the analysed cluster for embedding in a page.
func (u *UI) diagramOf(c echo.Context, p *Page, x *app.Analysed, view string, o diagram.ViewOptions) *Diagram {
	o.Lang = p.Lang
	return inline(u.app.DiagramOf(c.Request().Context(), x, app.DiagramRequest{View: view, Options: o}, diagram.SVG))
}

func (u *UI) cluster(tab string) echo.HandlerFunc {
	return u.clusterView(tab, func(c echo.Context, p *Page, x *app.Analysed) error {
		cp := &clusterPage{Page: p}
		var err error
		if cp.Needs, err = u.app.PublishedNeeds(c.Request().Context(), p.Cluster.ID); err != nil { // published: everyone sees them
			return err
		}
		if !p.Member {
			if x != nil {
				cp.Niches = u.app.PublicNiches(x.Report)
			}
			return u.render(c, http.StatusOK, "cluster_public.html", cp)
		}
		rep := x.Report
		cp.Names = names(x.Data)
		cp.Valued, cp.HasImports = known(x)
		switch tab {
		case "overview":
			if len(rep.Participants) > 0 {
				cp.SVG = u.diagramOf(c, p, x, diagram.ViewCluster, diagram.ViewOptions{})
			}
		case "typology":
			ty, err := u.app.Typology(c.Request().Context(), x)
			if err != nil {
				return err
			}
			cp.Typology = &ty
		case "matches":
			cp.Matches = u.app.Matches(x)
			cp.Products = productNames(x.Data)
		case "niches":
			if len(rep.Niches) > 0 {
				cp.Chart = nicheChart(p.Lang, rep.Niches)
				cp.SVG = u.diagramOf(c, p, x, diagram.ViewNiches, diagram.ViewOptions{})
			}
		case "scenarios":
			sums, err := u.app.ScenarioSummaries(c.Request().Context(), p.Me.Principal, p.Cluster.ID)
			if err != nil {
				return err
			}
			cp.Scenarios, cp.Participants = sums, x.Data.Participants
			for _, n := range rep.Niches {
				cp.NicheProducts = append(cp.NicheProducts, gm.Product{Code: n.ProductCode, Name: n.ProductName})
			}
		}
		return u.render(c, http.StatusOK, "cluster_"+tab+".html", cp)
	})
}

// known says whether the analysed year has any link with a value and any
// import: a sum over nothing is «no data», not 0.
func known(x *app.Analysed) (valued, imports bool) {
	d := x.YearData()
	for _, l := range d.Links {
		if l.ValueRUB != nil {
			valued = true
			break
		}
	}
	return valued, len(d.Imports) > 0
}

func names(ds *gm.Dataset) map[string]string {
	m := map[string]string{}
	for _, p := range ds.Participants {
		m[p.ID] = p.Name
	}
	return m
}

// status answers the analysis's progress as JSON (the progress page's script).
func (u *UI) status() echo.HandlerFunc {
	return func(c echo.Context) error {
		cl, err := u.app.Cluster(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		state, frac, step, err := u.app.AnalysisStatus(httpx.Who(c).Principal, cl)
		if err != nil {
			return err
		}
		// step_text is the step in the page's language («загрузка данных»).
		text := step
		if k := "job.step." + step; step != "" && i18n.Has(k) {
			text = i18n.T(httpx.Lang(c), k)
		}
		return c.JSON(http.StatusOK, map[string]any{"state": state, "progress": frac, "step": step, "step_text": text})
	}
}

func (u *UI) participant() echo.HandlerFunc {
	return u.clusterView("participant", func(c echo.Context, p *Page, x *app.Analysed) error {
		pid := c.Param("pid")
		m, ok := x.Report.ParticipantByID(pid)
		if !ok {
			return gm.Errorf(gm.ENOTFOUND, "participant %q not found in this cluster", pid)
		}
		pp := &participantPage{Page: p, M: m, Names: names(x.Data), Products: productNames(x.Data)}
		for _, v := range x.Data.Participants {
			if v.ID == pid {
				pp.P = v
			}
		}
		d := x.YearData()
		for _, e := range d.Edges() {
			prods := productsText(dedupeSorted(e.Products), pp.Products)
			if e.To == pid {
				pp.Suppliers = append(pp.Suppliers, flow{e.From, e.ValueRUB, prods, e.Valued > 0})
			}
			if e.From == pid {
				pp.Buyers = append(pp.Buyers, flow{e.To, e.ValueRUB, prods, e.Valued > 0})
			}
		}
		sort.Slice(pp.Suppliers, func(i, j int) bool { return pp.Suppliers[i].Value > pp.Suppliers[j].Value })
		sort.Slice(pp.Buyers, func(i, j int) bool { return pp.Buyers[i].Value > pp.Buyers[j].Value })
		for _, v := range d.Imports {
			if v.ParticipantID == pid {
				pp.Imports = append(pp.Imports, v)
			}
		}
		for _, v := range d.Capacities {
			if v.ParticipantID == pid {
				pp.Capacities = append(pp.Capacities, v)
			}
		}
		pp.ShareKnown = len(pp.Imports) > 0
		for _, f := range pp.Suppliers {
			pp.ShareKnown = pp.ShareKnown || f.Valued
		}
		pp.Metrics = metricRows(p.Lang, m, x.Report.Summary.Stages, pp.ShareKnown)
		p.Title = pp.P.Name
		pp.SVG = u.diagramOf(c, p, x, diagram.ViewParticipant, diagram.ViewOptions{Participant: pid, Hops: 2})
		return u.render(c, http.StatusOK, "participant.html", pp)
	})
}

func dedupeSorted(a []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range a {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// formNumber reads a number typed the Russian way ("1 234,5").
func formNumber(v string) (float64, error) {
	return strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), ",", "."), 64)
}

// scenarioChanges builds a scenario from the form: a planned producer with
// capacity, a participant leaving, a new link.
func scenarioChanges(c echo.Context, l string) ([]analysis.Change, error) {
	var changes []analysis.Change
	newID := strings.TrimSpace(c.FormValue("producer_id"))
	if newID != "" {
		changes = append(changes, analysis.Change{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: newID, Name: strings.TrimSpace(c.FormValue("producer_name")), Kind: gm.KindEnterprise}})
	}
	if prod := strings.TrimSpace(c.FormValue("capacity_product")); prod != "" {
		owner := c.FormValue("capacity_owner")
		if owner == "_new" {
			owner = newID
		}
		v, err := formNumber(c.FormValue("capacity_value"))
		if err != nil {
			return nil, gm.Invalid("capacity", []gm.Problem{{Column: i18n.T(l, "scen.capacity.value"), Value: c.FormValue("capacity_value"), Message: "not a number", MessageRU: "не число"}})
		}
		changes = append(changes, analysis.Change{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: owner, ProductCode: prod, ValueRUB: v}})
	}
	if rm := c.FormValue("remove"); rm != "" {
		changes = append(changes, analysis.Change{Op: analysis.OpRemoveParticipant, ParticipantID: rm})
	}
	if sup, buy := c.FormValue("link_supplier"), c.FormValue("link_buyer"); sup != "" && buy != "" {
		if sup == "_new" {
			sup = newID
		}
		if buy == "_new" {
			buy = newID
		}
		var val *float64
		if v, err := formNumber(c.FormValue("link_value")); err == nil {
			val = &v
		}
		changes = append(changes, analysis.Change{Op: analysis.OpAddLink, Link: &gm.SupplyLink{SupplierID: sup, BuyerID: buy, ProductCode: strings.TrimSpace(c.FormValue("link_product")), ValueRUB: val}})
	}
	return changes, nil
}

func (u *UI) scenarioCreate() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		l := httpx.Lang(c)
		changes, err := scenarioChanges(c, l)
		if err != nil {
			return err
		}
		name := strings.TrimSpace(c.FormValue("name"))
		if name == "" {
			name = i18n.T(l, "scen.new") + " " + time.Now().Format("15:04")
		}
		// A scenario that cannot be applied is refused with the reason.
		st, _, err := u.app.SaveScenario(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), "", name, changes, 0)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/clusters/"+url.PathEscape(c.Param("id"))+"/scenarios/"+url.PathEscape(st.ID))
	})
}

func (u *UI) scenario() echo.HandlerFunc {
	return u.clusterView("scenarios", func(c echo.Context, p *Page, x *app.Analysed) error {
		ctx := c.Request().Context()
		st, ev, err := u.app.Scenario(ctx, p.Me.Principal, p.Cluster.ID, c.Param("sid"))
		if err != nil {
			return err
		}
		sp := &scenarioPage{Page: p, Scenario: st, Cmp: ev.Comparison(), Names: names(ev.ScenDS)}
		sp.X = explainScenario(p.Lang, ev, sp.Cmp)
		base := &app.Analysed{Cluster: ev.Cluster, Report: ev.Base, Data: ev.BaseDS}
		sp.BaseSVG = u.diagramOf(c, p, base, diagram.ViewCluster, diagram.ViewOptions{})
		sp.ScenSVG = inline(u.app.ScenarioDiagram(ctx, st, ev, p.Lang, diagram.SVG, false))
		if len(sp.Cmp.Niches) > 0 {
			sp.Chart = scenarioChart(p.Lang, "", "", sp.Cmp)
		}
		p.Title = st.Name
		return u.render(c, http.StatusOK, "scenario.html", sp)
	})
}

func (u *UI) scenarioDelete() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		if err := u.app.DeleteScenario(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), c.Param("sid")); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/clusters/"+url.PathEscape(c.Param("id"))+"/scenarios")
	})
}

func (u *UI) report() echo.HandlerFunc {
	return u.clusterView("report", func(c echo.Context, p *Page, x *app.Analysed) error {
		sums, err := u.app.ScenarioSummaries(c.Request().Context(), p.Me.Principal, p.Cluster.ID)
		if err != nil {
			return err
		}
		cp := &clusterPage{Page: p, Scenarios: sums, Names: names(x.Data)}
		cp.Valued, cp.HasImports = known(x)
		if len(x.Report.Participants) > 0 {
			cp.SVG = u.diagramOf(c, p, x, diagram.ViewCluster, diagram.ViewOptions{})
		}
		if len(x.Report.Niches) > 0 {
			cp.Chart = nicheChart(p.Lang, x.Report.Niches)
		}
		if err := u.reportMore(c, cp); err != nil {
			return err
		}
		return u.render(c, http.StatusOK, "report.html", cp)
	})
}

func (u *UI) reportXLSX() echo.HandlerFunc {
	return u.clusterView("report", func(c echo.Context, p *Page, x *app.Analysed) error {
		sums, err := u.app.ScenarioSummaries(c.Request().Context(), p.Me.Principal, p.Cluster.ID)
		if err != nil {
			return err
		}
		d, err := u.app.ReportWorkbookLang(x, sums, p.Lang)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+d.FileName+`"`)
		return c.Blob(http.StatusOK, d.ContentType, d.Data)
	})
}
