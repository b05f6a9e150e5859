package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// DiagramRequest names one diagram of a cluster.
type DiagramRequest struct {
	View    string // diagram.View…
	Options diagram.ViewOptions
	Year    int // 0: the latest year in the data
}

// DiagramKey is the renderer's cache key of a diagram: everything that
// changes its picture (the data version, the view and its options, the
// language). Every diagram is keyed here and nowhere else.
func DiagramKey(cl *gm.Cluster, parts ...string) string {
	return strings.Join(append([]string{cl.ID, "v" + strconv.FormatInt(cl.Version, 10)}, parts...), "|")
}

// Key is the request's cache key.
func (r DiagramRequest) Key(cl *gm.Cluster) string {
	o := r.Options
	return DiagramKey(cl, r.View, o.Lang, o.Participant, o.Product, strconv.Itoa(o.Hops), strconv.Itoa(r.Year))
}

func (a *App) render(ctx context.Context, key string, m *diagram.Model, format string) ([]byte, error) {
	if a.renderer == nil {
		return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "diagrams are not available: the Graphviz renderer did not start"}
	}
	return a.renderer.Render(ctx, key, m, format)
}

// Diagram draws a view of the cluster's analysed data in a format of
// diagram.SVG, PNG or DOT (members).
func (a *App) Diagram(ctx context.Context, me Principal, cl *gm.Cluster, r DiagramRequest, format string) ([]byte, error) {
	if a.renderer == nil {
		return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "diagrams are not available: the Graphviz renderer did not start"}
	}
	x, err := a.Analysis(ctx, me, Read, cl, r.Year)
	if err != nil {
		return nil, err
	}
	return a.DiagramOf(ctx, x, r, format)
}

// DiagramOf draws a view of an analysis already at hand.
func (a *App) DiagramOf(ctx context.Context, x *Analysed, r DiagramRequest, format string) ([]byte, error) {
	r.Options.ClusterID = x.Cluster.ID
	m, err := diagram.Build(r.View, x.Report, x.YearData(), r.Options)
	if err != nil {
		return nil, err
	}
	return a.render(ctx, r.Key(x.Cluster), m, format)
}

// ScenarioDiagram draws a saved scenario compared with the base.
func (a *App) ScenarioDiagram(ctx context.Context, st ScenarioOut, ev *Evaluated, lang, format string, titled bool) ([]byte, error) {
	m, err := diagram.ScenarioView(ev.Base, ev.Scen, ev.BaseDS, ev.ScenDS, diagram.ViewOptions{ClusterID: ev.Cluster.ID, Lang: lang})
	if err != nil {
		return nil, err
	}
	parts := []string{"scenario", st.ID, "v" + strconv.FormatInt(st.Version, 10), lang}
	if titled {
		m.Title += ": " + st.Name
		parts = append(parts, "titled")
	}
	return a.render(ctx, DiagramKey(ev.Cluster, parts...), m, format)
}
