package web

import (
	"html/template"
	"net/url"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
)

// Page is what every page has: the language, the caller, the title and,
// on a cluster's pages, the cluster, the caller's rights on it and its
// report.
type Page struct {
	Lang, Other string
	Me          httpx.Caller
	MyCluster   string // the name of the cluster the caller's token is bound to
	Title       string
	Path        string // the request path, for the language switch
	Cluster     *gm.Cluster
	Member      bool
	CanWrite    bool
	Tab         string
	Report      *analysis.Report // members only
	// Illustrative says the cluster's figures are illustrative (for
	// everyone who may see the analysis).
	Illustrative bool
	Now          string
}

// Diagram is an inline SVG diagram, or the reason it is missing.
type Diagram struct {
	SVG   template.HTML
	Error string
}

type errorPage struct {
	*Page
	Status  int
	Message string
	Details []string // the problems found, in the page's language
}

type loginPage struct {
	*Page
	Next   string
	Failed bool
	// Invite is the code of an invitation link to confirm; InviteFailed
	// says a link was used, replaced or unknown.
	Invite       string
	InviteFailed bool
}

type registryPage struct {
	*Page
	Clusters []gm.Cluster
	Total    int
	Filter   gm.ClusterFilter
	Rating   []gm.RegionRating
	// Map is the tile-grid map of the regions; RatingChart the rating as
	// stacked bars; WithData the participants of clusters that have data.
	Map, RatingChart template.HTML
	WithData         map[string]int
}

// clusterPage is a tab of a cluster (overview, gaps, niches, matches,
// compliance, scenarios, report), its public page and its progress page.
type clusterPage struct {
	*Page
	Names         map[string]string // participant names by id
	SVG           *Diagram
	Matches       []analysis.Match
	Niches        []app.PublicNiche // the public page
	Scenarios     []app.ScenarioSummary
	Participants  []gm.Participant
	NicheProducts []gm.Product
	Chart         template.HTML     // the tab's chart (niches: gaps ranked)
	Products      map[string]string // product names by code
	// Valued and HasImports say whether any link of the year carries a
	// value and whether any import is known: without them the page says
	// «нет данных», never 0.
	Valued, HasImports bool
	Needs              []gm.PublishedNeed // the cluster's published needs (public)
	Typology           *analysis.Typology // the typology tab
	// The report's other charts: each scenario's gaps, the indicators over
	// the years, the cluster's regions in the rating.
	ScenarioCharts  []namedChart
	IndicatorCharts []template.HTML
	RatingChart     template.HTML
}

// flow is a supplier or buyer of a participant with the value and products.
type flow struct {
	Other  string
	Value  float64
	Prods  string
	Valued bool // some link behind it carries a value (else «no data», not 0)
}

type participantPage struct {
	*Page
	P                 gm.Participant
	M                 *analysis.ParticipantMetrics
	Suppliers, Buyers []flow
	Imports           []gm.Import
	Capacities        []gm.Capacity
	Names             map[string]string
	SVG               *Diagram
	Metrics           []metricRow       // the metrics named and explained
	Products          map[string]string // product names by code
	// ShareKnown says the import share rests on data: some import or some
	// purchase with a value (else «no data», not 0 %).
	ShareKnown bool
}

type scenarioPage struct {
	*Page
	Scenario         app.ScenarioOut
	Cmp              *analysis.Comparison
	Names            map[string]string
	BaseSVG, ScenSVG *Diagram
	Chart            template.HTML // the gaps before and after
	X                scenarioExplained
}

// measureRow is a support measure laid out for a page.
type measureRow struct {
	M                               gm.SupportMeasure
	Name, Terms, Figures, Note, Why string
	Region, Reason                  string
}

type measuresPage struct {
	*Page
	Rows          []measureRow
	Filter        app.MeasureFilter
	Regions       []string
	Kinds, Levels []string
	EAEU          gm.EAEURules
}

type eaeuPage struct {
	*Page
	Rules    gm.EAEURules
	Form     url.Values
	Slots    []string
	Fields   []string
	Problems []gm.Problem
	Result   *analysis.EAEUCheck
}

// figureRow is a figure of a Eurasian entry, written out.
type figureRow struct {
	Indicator, Value, Period, Text, Source string
}

type eurasiaRow struct {
	E       app.ClusterEntry
	Figures []figureRow
}

type lqRow struct {
	gm.PublishedLQ
	Text string
}

type lqRegion struct {
	Name string
	Rows []lqRow
}

type eurasiaPage struct {
	*Page
	Foreign, Planned, Unregistered []eurasiaRow
	RegistryTotal                  int
	LQ                             []lqRegion
}

type proposalPage struct {
	*Page
	V                           app.ProposalView
	Federal, Regional, Excluded []measureRow // measures that apply; those one of whose conditions fails
	XLSX                        string
}
