package web

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/i18n"
)

// This file lays out what a scenario page explains: the imports its new
// capacity replaces, the participants whose import content changed, why
// each niche's score moved, and which scale the scores share.

// replacementRow is an importer whose imports planned capacity replaces.
type replacementRow struct {
	Producer, Product, Importer string
	ImportedRUB, ReplacedRUB    float64
}

// importContentRow is a participant whose import content changed.
type importContentRow struct {
	ID, Name     string
	Base, Scen   *float64
	Change       *float64 // after − before, a share
	Added, Gone  bool     // new in the scenario; leaves in it
	ChangePoints string   // the change in percentage points, signed
}

// scenarioExplained is the part of the scenario page that explains it.
type scenarioExplained struct {
	Replacements  []replacementRow
	ImportContent []importContentRow
	// ScaleNote says which fixed scale the scores before and after share.
	ScaleNote string
	// Why is, per product code, the factors that moved its score.
	Why map[string]string
}

// explainScenario lays out a scenario's comparison for its page.
func explainScenario(lang string, ev *app.Evaluated, cmp *analysis.Comparison) scenarioExplained {
	nm := names(ev.ScenDS)
	for id, n := range names(ev.BaseDS) {
		if nm[id] == "" {
			nm[id] = n
		}
	}
	prods := productNames(ev.BaseDS)
	for c, n := range productNames(ev.ScenDS) {
		prods[c] = n
	}
	name := func(id string) string {
		if n := nm[id]; n != "" {
			return n
		}
		return id
	}
	x := scenarioExplained{Why: map[string]string{},
		ScaleNote: fmt.Sprintf(i18n.T(lang, "scen.scale"), roundMoney(lang, cmp.GapFloorRUB), roundMoney(lang, cmp.GapReferenceRUB))}
	for _, r := range cmp.Replacements {
		x.Replacements = append(x.Replacements, replacementRow{Producer: name(r.ProducerID), Product: productsText([]string{r.ProductCode}, prods), Importer: name(r.ImporterID),
			ImportedRUB: r.ImportedRUB, ReplacedRUB: r.ReplacedRUB})
	}
	for _, p := range cmp.Participants {
		if !p.ImportContentChanged {
			continue
		}
		row := importContentRow{ID: p.ID, Name: name(p.ID), Base: p.BaseImportContentTotal, Scen: p.ImportContentTotal, Change: p.ImportContentChange,
			Added: p.Status == "added", Gone: p.Status == "removed"}
		if p.ImportContentChange != nil {
			row.ChangePoints = signedPoints(lang, *p.ImportContentChange)
		}
		x.ImportContent = append(x.ImportContent, row)
	}
	for _, n := range cmp.Niches {
		var parts []string
		for _, f := range n.FactorsChanged {
			parts = append(parts, lowerFirst(i18n.T(lang, "factor."+f.Name))+" "+signed(lang, f.Contribution-f.BaseContribution))
		}
		if len(parts) > 0 {
			x.Why[n.ProductCode] = strings.Join(parts, "; ")
		}
	}
	return x
}

// signed writes a change with its sign: «+1,2», «−3,4».
func signed(lang string, v float64) string {
	s := gm.FormatNumber(lang, abs(v), 1)
	switch {
	case s == gm.FormatNumber(lang, 0, 1):
		return "±" + s
	case v < 0:
		return "−" + s
	}
	return "+" + s
}

// signedPoints writes a change of a share in percentage points.
func signedPoints(lang string, v float64) string {
	return signed(lang, 100*v) + " " + i18n.T(lang, "scen.points")
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// trailingZeros are the zero decimals of a round amount ("1,00 млрд").
var trailingZeros = regexp.MustCompile(`[.,]0+( |$)`)

// roundMoney writes a round amount without zero decimals: «1 млрд руб.».
func roundMoney(lang string, v float64) string {
	return trailingZeros.ReplaceAllString(gm.FormatMoney(lang, v), "$1") + " " + i18n.T(lang, "rub")
}

// lowerFirst lowers a name's first letter for use inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
