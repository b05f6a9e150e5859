package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// RandomString returns n random bytes, base64url-encoded.
func RandomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ScenarioOut is a saved scenario as the API shows it.
type ScenarioOut struct {
	ID        string            `json:"id"`
	ClusterID string            `json:"cluster_id"`
	Name      string            `json:"name"`
	Version   int64             `json:"version"`
	CreatedAt string            `json:"created_at"`
	UpdatedAt string            `json:"updated_at"`
	Changes   []analysis.Change `json:"changes"`
}

func scenarioOut(s *gm.StoredScenario) (ScenarioOut, error) {
	out := ScenarioOut{ID: s.ID, ClusterID: s.ClusterID, Name: s.Name, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if err := json.Unmarshal(s.Changes, &out.Changes); err != nil {
		return out, gm.Internal(err, "read scenario")
	}
	return out, nil
}

// Evaluated is a scenario applied to the cluster's data and analysed.
type Evaluated struct {
	Base, Scen     *analysis.Report
	BaseDS, ScenDS *gm.Dataset // of the analysed year
	Cluster        *gm.Cluster
	// Replacements are the imports the scenario's added capacity replaces
	// (analysis.ReplaceImports): in ScenDS they are supply links.
	Replacements []analysis.Replacement
}

// Comparison sets the scenario beside the base, with the replaced imports.
func (e *Evaluated) Comparison() *analysis.Comparison {
	c := analysis.Compare(e.Base, e.Scen)
	c.Replacements = append(c.Replacements, e.Replacements...)
	return c
}

// Body is the evaluation as the API answers it, with extra fields.
func (e *Evaluated) Body(extra map[string]any) map[string]any {
	out := map[string]any{"comparison": e.Comparison(), "niches": e.Scen.Niches, "import_gaps": e.Scen.ImportGaps,
		"compliance": e.Scen.Compliance, "summary": e.Scen.Summary}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// Evaluate applies changes to the cluster's current data (nothing is
// stored) and analyses the result (members).
func (a *App) Evaluate(ctx context.Context, me Principal, clusterID string, changes []analysis.Change) (*Evaluated, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	base, err := a.Analysis(ctx, me, Read, cl, 0)
	if err != nil {
		return nil, err
	}
	sds, err := (&analysis.Scenario{Changes: changes}).Apply(base.Data)
	if err != nil {
		return nil, err
	}
	emp, err := a.store.Employment(ctx)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, a.cfg.AnalysisTimeout)
	defer cancel()
	national, err := a.analyzer.nationalProducers(ctx, cl.ID)
	if err != nil {
		return nil, err
	}
	// The capacity the scenario adds replaces the imports of its product:
	// the year's data with those imports bought inside the cluster.
	year := base.Report.Year
	yds, repl := analysis.ReplaceImports(base.YearData(), sds.ForYear(year), year)
	rep, err := analysis.Analyze(actx, yds, analysis.Options{Year: year, ClusterID: cl.ID, Employment: emp, National: national, SkipBetweenness: true})
	if err != nil {
		return nil, err
	}
	return &Evaluated{Base: base.Report, Scen: rep, BaseDS: base.YearData(), ScenDS: yds, Cluster: cl, Replacements: repl}, nil
}

// Scenarios lists the cluster's saved scenarios (members).
func (a *App) Scenarios(ctx context.Context, me Principal, clusterID string) ([]ScenarioOut, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	if _, err := a.store.GetCluster(ctx, clusterID); err != nil {
		return nil, err
	}
	list, err := a.store.Scenarios(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	out := []ScenarioOut{}
	for i := range list {
		o, err := scenarioOut(&list[i])
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// SaveScenario creates (id "") or replaces a scenario after checking that
// it applies to the current data; ifVersion > 0 makes a replacement fail
// with ECONFLICT when the stored version differs.
func (a *App) SaveScenario(ctx context.Context, me Principal, clusterID, id, name string, changes []analysis.Change, ifVersion int64) (ScenarioOut, *Evaluated, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return ScenarioOut{}, nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return ScenarioOut{}, nil, gm.Invalid("the scenario needs a name", []gm.Problem{{Column: "name", Message: "required", MessageRU: "укажите название"}})
	}
	// A scenario that cannot be applied is refused when saved.
	ev, err := a.Evaluate(ctx, me, clusterID, changes)
	if err != nil {
		return ScenarioOut{}, nil, err
	}
	body, _ := json.Marshal(changes)
	st := &gm.StoredScenario{ClusterID: clusterID, Name: name, Changes: body}
	if id != "" {
		cur, err := a.store.Scenario(ctx, clusterID, id)
		if err != nil {
			return ScenarioOut{}, nil, err
		}
		if ifVersion == 0 {
			ifVersion = cur.Version
		}
		st.ID, st.Version = cur.ID, ifVersion
	} else {
		st.ID = "s-" + strings.ToLower(RandomString(6))
	}
	if err := a.store.SaveScenario(as(ctx, me), st); err != nil {
		return ScenarioOut{}, nil, err
	}
	out, err := scenarioOut(st)
	return out, ev, err
}

// Scenario loads a saved scenario and evaluates it against the current data
// (members). When it no longer applies, the scenario comes back with the
// error.
func (a *App) Scenario(ctx context.Context, me Principal, clusterID, id string) (ScenarioOut, *Evaluated, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return ScenarioOut{}, nil, err
	}
	st, err := a.store.Scenario(ctx, clusterID, id)
	if err != nil {
		return ScenarioOut{}, nil, err
	}
	out, err := scenarioOut(st)
	if err != nil {
		return out, nil, err
	}
	ev, err := a.Evaluate(ctx, me, clusterID, out.Changes)
	return out, ev, err
}

// DeleteScenario deletes a saved scenario.
func (a *App) DeleteScenario(ctx context.Context, me Principal, clusterID, id string) error {
	if err := Write.Check(me, clusterID); err != nil {
		return err
	}
	return a.store.DeleteScenario(as(ctx, me), clusterID, id)
}

// ScenarioSummary is one saved scenario evaluated for the report.
type ScenarioSummary struct {
	ID, Name, UpdatedAt string
	Cmp                 *analysis.Comparison
	Closed              int // niches the scenario closes
	Err                 string
}

// ScenarioSummaries evaluates every saved scenario of the cluster; one that
// no longer applies carries its error.
func (a *App) ScenarioSummaries(ctx context.Context, me Principal, clusterID string) ([]ScenarioSummary, error) {
	list, err := a.Scenarios(ctx, me, clusterID)
	if err != nil {
		return nil, err
	}
	var out []ScenarioSummary
	for _, st := range list {
		sum := ScenarioSummary{ID: st.ID, Name: st.Name, UpdatedAt: st.UpdatedAt}
		ev, err := a.Evaluate(ctx, me, clusterID, st.Changes)
		if err != nil {
			sum.Err = gm.ErrorMessage(err)
			out = append(out, sum)
			continue
		}
		sum.Cmp = ev.Comparison()
		for _, n := range sum.Cmp.Niches {
			if n.Closed {
				sum.Closed++
			}
		}
		out = append(out, sum)
	}
	return out, nil
}
