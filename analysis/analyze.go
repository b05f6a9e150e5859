package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// Options tune an analysis run. The zero value uses the defaults of DESIGN.md.
type Options struct {
	// Year selects the figures of one year; 0 takes the latest year in the
	// data. Rows without a year apply to every year.
	Year int
	// Weights of the investment-niche score; zero value: DefaultWeights.
	Weights *NicheWeights
	// InsideShareThreshold is the least share of final producers' inputs
	// bought inside the cluster for the PP-779 cooperation rule: coopchain's
	// setting, not a figure of the sources (default DefaultInsideShare).
	InsideShareThreshold float64
	// ClusterID names the cluster analysed (its row gives the development
	// programme and the regions); empty: the first cluster of the dataset.
	ClusterID string
	// Employment is an employment table for the regional-specialisation
	// factor of niches; nil: the dataset's own employment sheet.
	Employment []gm.Employment
	// ExactBetweennessLimit is the largest graph (nodes) for which
	// betweenness is exact; above it, the approximation with ApproxEpsilon
	// and ApproxDelta is used. Default 50,000.
	ExactBetweennessLimit int
	ApproxEpsilon         float64 // default 0.01
	ApproxDelta           float64 // default 0.1
	// ExactRemovalLimit is the largest graph for which removal impact is
	// propagated node by node (exact also on cycles); above it a single
	// linear solve is used. Default 5,000.
	ExactRemovalLimit int
	// SkipBetweenness leaves betweenness out (every value 0, the summary
	// says "not computed"): what-if scenarios compare gaps, niches,
	// compliance, import content and removal impact, never betweenness,
	// and it is most of an analysis's time on large clusters.
	SkipBetweenness bool
	// National lists producers of other clusters (NationalProducers), for
	// marking niches whose product another cluster already makes.
	National []NationalProducer
	// Progress, when set, is told the fraction done (0..1) and the step.
	Progress func(frac float64, step string)
}

func (o Options) withDefaults() Options {
	if o.Weights == nil {
		w := DefaultWeights
		o.Weights = &w
	}
	if o.InsideShareThreshold <= 0 {
		o.InsideShareThreshold = DefaultInsideShare
	}
	if o.ExactBetweennessLimit <= 0 {
		o.ExactBetweennessLimit = kernel.DefaultExactLimit
	}
	if o.ApproxEpsilon <= 0 {
		o.ApproxEpsilon = kernel.DefaultEps
	}
	if o.ApproxDelta <= 0 {
		o.ApproxDelta = kernel.DefaultDelta
	}
	if o.ExactRemovalLimit <= 0 {
		o.ExactRemovalLimit = 5_000
	}
	if o.Progress == nil {
		o.Progress = func(float64, string) {}
	}
	return o
}

// Report is the result of analysing a dataset.
type Report struct {
	ClusterID          string               `json:"cluster_id,omitempty"`
	ClusterName        string               `json:"cluster_name,omitempty"`
	Year               int                  `json:"year,omitempty"`
	Summary            Summary              `json:"summary"`
	Participants       []ParticipantMetrics `json:"participants"`
	Cycles             [][]string           `json:"cycles"`
	SingleSourceInputs []SingleSource       `json:"single_source_inputs"`
	ImportGaps         []ImportGap          `json:"import_gaps"`
	Niches             []Niche              `json:"niches"`
	Compliance         Compliance           `json:"compliance"`
	Cooperation        Cooperation          `json:"cooperation"`
	Stages             []StageGroup         `json:"stages"`
	Notes              []Note               `json:"notes,omitempty"`
}

// Summary holds the key figures of the cluster.
type Summary struct {
	Participants   int     `json:"participants"`
	Enterprises    int     `json:"enterprises"`
	FinalProducers int     `json:"final_producers"`
	Links          int     `json:"links"` // supplier→buyer pairs
	LinkRows       int     `json:"link_rows"`
	ValueRUB       float64 `json:"value_rub"` // summed value of links
	ImportsRUB     float64 `json:"imports_rub"`
	Stages         int     `json:"stages"` // number of processing stages (max stage + 1)
	Cycles         int     `json:"cycles"`
	Isolated       int     `json:"isolated"` // participants with no link
	Illustrative   bool    `json:"illustrative"`
	Betweenness    string  `json:"betweenness_method"` // exact or approximate (ε, δ)
}

// Note is a remark about the data or the method, in English and Russian.
type Note struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageRU string `json:"message_ru"`
}

// ParticipantMetrics are the per-participant results. Names of the JSON
// fields are the contract of `coopchain analyze --format json`.
type ParticipantMetrics struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Kind               string   `json:"kind"`
	FinalProducer      bool     `json:"final_producer"`
	Region             string   `json:"region,omitempty"`
	InDegree           int      `json:"in_degree"`
	OutDegree          int      `json:"out_degree"`
	InValue            float64  `json:"in_value"`
	OutValue           float64  `json:"out_value"`
	PageRank           float64  `json:"pagerank"`
	SupplierRank       float64  `json:"supplier_rank"`
	Betweenness        float64  `json:"betweenness"`
	Stage              int      `json:"stage"`
	UpstreamCount      int      `json:"upstream_count"`
	DownstreamCount    int      `json:"downstream_count"`
	SingleSourceInputs int      `json:"single_source_inputs"`
	RemovalImpact      float64  `json:"removal_impact"`
	ImportsRUB         float64  `json:"imports_rub"`
	ImportShareDirect  *float64 `json:"import_share_direct"`
	ImportContentTotal *float64 `json:"import_content_total"`
	// ImportContentStatus is "ok", or why import_content_total is null:
	// "insufficient_data" (output unknown) or "not_converged" (inputs exceed output).
	ImportContentStatus string   `json:"import_content_status"`
	OutputRUB           *float64 `json:"output_rub"`
	InCycle             bool     `json:"in_cycle"`
}

// StageGroup lists the participants of one processing stage.
type StageGroup struct {
	Stage        int      `json:"stage"`
	Participants []string `json:"participants"`
}

// Analyze runs the whole analysis on a dataset. It never returns NaN or
// infinite numbers: undefined values are null with a status.
func Analyze(ctx context.Context, ds *gm.Dataset, opt Options) (*Report, error) {
	opt = opt.withDefaults()
	year := opt.Year
	if year == 0 {
		if ys := ds.Years(); len(ys) > 0 {
			year = ys[len(ys)-1]
		}
	}
	d := ds.ForYear(year)
	rep := &Report{Year: year, Cycles: [][]string{}, SingleSourceInputs: []SingleSource{}, ImportGaps: []ImportGap{}, Niches: []Niche{}, Stages: []StageGroup{}}
	cl := pickCluster(d, opt.ClusterID)
	if cl != nil {
		rep.ClusterID, rep.ClusterName = cl.ID, cl.Name
	}
	opt.Progress(0, "index")
	ix := newIndex(d)
	n := ix.n()
	rep.Participants = make([]ParticipantMetrics, n)
	for i, p := range ix.parts {
		m := &rep.Participants[i]
		m.ID, m.Name, m.Kind, m.FinalProducer, m.Region = p.ID, p.Name, string(p.Kind), p.FinalProducer, p.Region
		m.InValue, m.OutValue, m.ImportsRUB = ix.inValue[i], ix.outValue[i], ix.imports[i]
		adj, _ := ix.g.Out(int32(i))
		m.OutDegree = len(adj)
		adj, _ = ix.g.In(int32(i))
		m.InDegree = len(adj)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opt.Progress(0.05, "centrality")
	if err := centrality(ctx, ix, rep, opt); err != nil {
		return nil, err
	}
	opt.Progress(0.5, "structure")
	if err := structure(ctx, ix, rep, opt); err != nil {
		return nil, err
	}
	opt.Progress(0.75, "imports")
	importContent(ix, rep)
	opt.Progress(0.85, "niches")
	emp := opt.Employment
	if emp == nil {
		emp = d.Employment
	}
	rep.ImportGaps = ImportGaps(d)
	rep.Niches = rankNiches(d, ix, rep.ImportGaps, cl, emp, *opt.Weights, opt.National)
	rep.Cooperation = cooperation(ix)
	rep.Compliance = compliance(d, ix, cl, opt.InsideShareThreshold)
	rep.Summary = summary(d, ix, rep)
	rep.Notes = notes(d, ix, rep)
	opt.Progress(1, "done")
	if err := checkFinite(rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func pickCluster(d *gm.Dataset, id string) *gm.Cluster {
	for i := range d.Clusters {
		if id == "" || d.Clusters[i].ID == id {
			return &d.Clusters[i]
		}
	}
	return nil
}

func summary(d *gm.Dataset, ix *index, rep *Report) Summary {
	s := Summary{Participants: ix.n(), Links: ix.g.M(), LinkRows: len(d.Links), Cycles: len(rep.Cycles), Betweenness: rep.Summary.Betweenness}
	for _, p := range ix.parts {
		if p.Kind == gm.KindEnterprise {
			s.Enterprises++
			if p.FinalProducer {
				s.FinalProducers++
			}
		}
	}
	for _, v := range ix.val {
		s.ValueRUB += v
	}
	for _, v := range ix.imports {
		s.ImportsRUB += v
	}
	for _, m := range rep.Participants {
		if m.InDegree+m.OutDegree == 0 {
			s.Isolated++
		}
		if m.Stage+1 > s.Stages {
			s.Stages = m.Stage + 1
		}
	}
	for _, l := range d.Links {
		s.Illustrative = s.Illustrative || l.Illustrative
	}
	for _, m := range d.Imports {
		s.Illustrative = s.Illustrative || m.Illustrative
	}
	return s
}

func notes(d *gm.Dataset, ix *index, rep *Report) []Note {
	var out []Note
	if ix.n() == 0 {
		out = append(out, Note{"empty", "the dataset has no participants", "в наборе данных нет участников"})
	}
	if len(d.Links) > 0 && !ix.weighted {
		out = append(out, Note{"no_values", "no link carries a value: PageRank and removal impact treat every link alike (weight 1)", "ни у одной связи нет объёма: PageRank и ущерб от выбытия считают все связи равными (вес 1)"})
	}
	if rep.Summary.Isolated > 0 {
		out = append(out, Note{"isolated", fmt.Sprintf("%d participant(s) have no link", rep.Summary.Isolated), fmt.Sprintf("у %d %s нет связей", rep.Summary.Isolated, gm.PluralRU(rep.Summary.Isolated, "участника", "участников", "участников"))})
	}
	if rep.Summary.Illustrative {
		out = append(out, Note{"illustrative", "some figures are illustrative, not reported", "часть показателей иллюстративные, а не отчётные"})
	}
	return out
}

// checkFinite guards the contract that no NaN or infinity reaches JSON.
func checkFinite(rep *Report) error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	badp := func(v *float64) bool { return v != nil && bad(*v) }
	for _, m := range rep.Participants {
		if bad(m.PageRank) || bad(m.SupplierRank) || bad(m.Betweenness) || bad(m.RemovalImpact) || bad(m.InValue) || bad(m.OutValue) ||
			badp(m.ImportShareDirect) || badp(m.ImportContentTotal) || badp(m.OutputRUB) {
			return gm.Internal(fmt.Errorf("non-finite metric for %s: %+v", m.ID, m), "analysis produced a non-finite number")
		}
	}
	for _, nch := range rep.Niches {
		if bad(nch.Score) {
			return gm.Internal(fmt.Errorf("non-finite score for %s", nch.ProductCode), "analysis produced a non-finite number")
		}
	}
	return nil
}

// ParticipantByID returns the metrics of one participant.
func (r *Report) ParticipantByID(id string) (*ParticipantMetrics, bool) {
	for k := range r.Participants {
		if r.Participants[k].ID == id {
			return &r.Participants[k], true
		}
	}
	return nil, false
}
