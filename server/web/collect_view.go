package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// collectFuncs are the template functions of the collection's pages:
// figures that may be missing («нет данных», never 0), signed changes,
// dates, percentages.
func collectFuncs() template.FuncMap {
	return template.FuncMap{
		"change": func(lang string, v *float64) string {
			if v == nil {
				return i18n.T(lang, "nodata")
			}
			s := gm.FormatPercent(lang, *v)
			if *v > 0 {
				s = "+" + s
			}
			return s
		},
		"count": func(lang string, v *float64) string {
			if v == nil {
				return i18n.T(lang, "nodata")
			}
			return gm.GroupDigits(strconv.FormatFloat(*v, 'f', 0, 64))
		},
		"when": func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.UTC().Format("02.01.2006 15:04")
		},
		"percent": func(v float64) int { return int(math.Round(100 * v)) },
		"date": func(lang, s string) string {
			t, err := time.Parse("2006-01-02", s)
			if err != nil || lang == "en" {
				return s
			}
			return t.Format("02.01.2006")
		},
		"dec": func(i int) int { return i - 1 },
	}
}

// renderForm shows a participant's form with the values as typed (form),
// the problems beside their fields (errs) and the warnings of the checks.
func (u *UI) renderForm(c echo.Context, v *app.SubmissionView, form app.SubmissionForm, errs []gm.Problem, notice string, status int) error {
	p, err := u.collectPage(c, "collect", v.ParticipantName)
	if err != nil {
		return err
	}
	l := p.Lang
	p.Member = p.Member && !p.Me.Participant()
	sp := &submissionPage{Page: p, V: v, Action: submissionPath(v.ClusterID, v.CampaignID, v.ParticipantID), Notice: notice, Editor: p.CanWrite,
		CanEdit: v.Editable(), CanDecide: p.CanWrite && v.Status == gm.StatusSubmitted, Completion: int(math.Round(100 * v.Completion)), Units: gm.Units}
	sp.Workbook = sp.Action + "/workbook.xlsx"
	chk := newChecks(l, errs, v.Flags)
	for _, d := range gm.IndicatorDefs {
		path := "indicators." + d.Key
		f := chk.field(path, form.Indicators[d.Key])
		if v.Previous != nil {
			if x := v.Previous.Indicators.Get(d.Key); x != nil {
				f.Hint = fmt.Sprintf(i18n.T(l, "form.lastyear"), v.Year-1, app.FormNumber(x))
			}
		}
		label, unit := d.ShortRU, d.UnitRU
		if l == "en" {
			label, unit = d.ShortEN, d.UnitEN
		}
		sp.Indicators = append(sp.Indicators, indicatorField{Label: label, Unit: unit, F: f})
	}
	spare := 0
	if sp.CanEdit {
		spare = 2
	}
	sp.fill(form, chk, spare)
	sp.productHints(v.Products, l)
	sp.options(l, v)
	for _, e := range errs {
		label := fieldLabel(l, e.Column)
		if e.File != "" {
			label = fmt.Sprintf(i18n.T(l, "form.sheetrow"), e.File, e.Row) + " — " + fieldLabel(l, e.Column)
		}
		sp.Errors = append(sp.Errors, fieldError{ID: fieldID(e.Column), Label: label, Message: map[bool]string{true: e.Message, false: e.MessageRU}[l == "en"]})
	}
	for _, f := range v.Flags {
		sp.Warnings = append(sp.Warnings, fieldError{ID: fieldID(f.Field), Label: fieldLabel(l, f.Field), Message: map[bool]string{true: f.Message, false: f.MessageRU}[l == "en"]})
	}
	for _, pr := range v.Provenance {
		sp.Provenance = append(sp.Provenance, provenanceRow{Provenance: pr, What: i18n.T(l, "prov.kind."+pr.Kind)})
	}
	return u.render(c, status, "submission.html", sp)
}

// productHints writes the catalogue's name of each product code under its
// field, and the country's name under a country given as a code.
func (sp *submissionPage) productHints(names map[string]string, l string) {
	hint := func(f *field) {
		if f.Hint == "" {
			f.Hint = names[f.Value]
		}
	}
	for i := range sp.Purchases {
		hint(&sp.Purchases[i].Product)
	}
	for i := range sp.Sales {
		hint(&sp.Sales[i].Product)
	}
	for i := range sp.Imports {
		hint(&sp.Imports[i].Product)
		if c := sp.Imports[i].Country.Value; len(c) == 2 {
			sp.Imports[i].Country.Value = gm.CountryName(l, c)
		}
	}
	for i := range sp.Capacities {
		hint(&sp.Capacities[i].Product)
	}
}

// options fills the lists to pick from: participants, categories,
// countries and the product codes already used.
func (sp *submissionPage) options(l string, v *app.SubmissionView) {
	for id, name := range v.Members {
		if id != v.ParticipantID {
			sp.Participants = append(sp.Participants, option{id, name})
		}
	}
	sort.Slice(sp.Participants, func(i, j int) bool { return sp.Participants[i].Label < sp.Participants[j].Label })
	for _, cat := range gm.ProblemCategories {
		sp.Categories = append(sp.Categories, option{cat, i18n.T(l, "cat."+cat)})
	}
	for _, c := range gm.Countries {
		sp.Countries = append(sp.Countries, option{c.Code, map[bool]string{true: c.NameEN, false: c.NameRU}[l == "en"]})
	}
	for code, name := range v.Products {
		sp.Products = append(sp.Products, option{code, name})
	}
	sort.Slice(sp.Products, func(i, j int) bool { return sp.Products[i].Value < sp.Products[j].Value })
}

func (u *UI) indicators() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		p, err := u.collectPage(c, "indicators", "")
		if err != nil {
			return err
		}
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := u.app.Indicators(c.Request().Context(), p.Me.Principal, p.Cluster.ID, y)
		if err != nil {
			return err
		}
		p.Title = fmt.Sprintf(i18n.T(p.Lang, "ind.title"), v.Year) + " · " + p.Cluster.Name
		ip := &indicatorsPage{Page: p, V: v, XLSX: "/clusters/" + p.Cluster.ID + "/indicators.xlsx?year=" + strconv.Itoa(v.Year) + "&lang=" + p.Lang, Years: v.Years}
		for _, d := range gm.IndicatorDefs {
			r := indicatorRow{Label: d.NameRU, Unit: i18n.T(p.Lang, "ind.unit.mln"), This: v.Totals[d.Key], Last: v.Previous[d.Key], Change: v.Change[d.Key], Money: d.Money,
				Reported: v.Reported[d.Key], Prev: v.Year - 1, Year: v.Year}
			if p.Lang == "en" {
				r.Label = d.NameEN
			}
			if !d.Money {
				r.Unit = i18n.T(p.Lang, "ind.unit.persons")
			}
			ip.Rows = append(ip.Rows, r)
		}
		ip.Charts = indicatorCharts(p.Lang, v)
		return u.render(c, http.StatusOK, "indicators.html", ip)
	})
}

func (u *UI) indicatorsXLSX() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := u.app.Indicators(c.Request().Context(), httpx.Who(c).Principal, c.Param("id"), y)
		if err != nil {
			return err
		}
		d, err := app.IndicatorsWorkbook(v, httpx.Lang(c), i18n.T)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+d.FileName+`"`)
		return c.Blob(http.StatusOK, d.ContentType, d.Data)
	})
}

func (u *UI) problems() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		p, err := u.collectPage(c, "problems", "")
		if err != nil {
			return err
		}
		y, err := httpx.Year(c)
		if err != nil {
			return err
		}
		v, err := u.app.Problems(c.Request().Context(), p.Me.Principal, p.Cluster.ID, y)
		if err != nil {
			return err
		}
		p.Title = i18n.T(p.Lang, "prob.title") + " · " + p.Cluster.Name
		return u.render(c, http.StatusOK, "problems.html", &problemsPage{Page: p, V: v})
	})
}
