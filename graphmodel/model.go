package graphmodel

// ClusterKind says what sort of registry entry a cluster is.
type ClusterKind string

// Cluster kinds.
const (
	ClusterIndustrial    ClusterKind = "industrial"    // registered, one region
	ClusterInterregional ClusterKind = "interregional" // registered, several regions
	ClusterPlanned       ClusterKind = "planned"       // announced, not registered
	ClusterUnregistered  ClusterKind = "unregistered"  // operating in Russia, not in the Ministry's registry
	ClusterForeign       ClusterKind = "foreign"       // outside Russia (Eurasian scope)
	ClusterLocal         ClusterKind = "local"         // created by a user (an import), not from the registry
)

// ClusterKinds lists the valid cluster kinds.
var ClusterKinds = []ClusterKind{ClusterIndustrial, ClusterInterregional, ClusterPlanned, ClusterUnregistered, ClusterForeign, ClusterLocal}

// EurasianKinds are the kinds kept apart from the registry (the Eurasian
// scope): clusters abroad, and Russian ones announced or operating outside
// the Ministry's registry.
var EurasianKinds = []ClusterKind{ClusterForeign, ClusterPlanned, ClusterUnregistered}

// IsEurasian reports whether a kind belongs to the Eurasian scope.
func IsEurasian(k ClusterKind) bool {
	for _, e := range EurasianKinds {
		if k == e {
			return true
		}
	}
	return false
}

// Cluster is an industrial cluster (промышленный кластер): a registry entry
// and the container of its participants' data.
type Cluster struct {
	Pos                  Pos         `json:"-"` // where the record was read from, for error messages
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	RegistryNo           int         `json:"registry_no,omitempty"` // 1..104 in the Atlas 2025 registry; 0 when not registered
	Regions              []string    `json:"regions"`
	Specialization       string      `json:"specialization,omitempty"`
	Kind                 ClusterKind `json:"kind"`
	Country              string      `json:"country,omitempty"`            // ISO 3166 alpha-2, RU by default
	ParticipantsCount    int         `json:"participants_count,omitempty"` // as published in the registry
	DevelopmentProgramme *bool       `json:"development_programme,omitempty"`
	Source               string      `json:"source,omitempty"`
	Version              int64       `json:"version"` // data version, bumped on every change to the cluster's data
}

// ParticipantKind classifies a participant.
type ParticipantKind string

// Participant kinds.
const (
	KindEnterprise      ParticipantKind = "enterprise"
	KindSOPC            ParticipantKind = "sopc" // специализированная организация промышленного кластера
	KindUniversity      ParticipantKind = "university"
	KindResearch        ParticipantKind = "research"
	KindInfrastructure  ParticipantKind = "infrastructure"
	KindFinance         ParticipantKind = "finance"
	KindForeignSupplier ParticipantKind = "foreign_supplier"
)

// ParticipantKinds lists the valid participant kinds.
var ParticipantKinds = []ParticipantKind{KindEnterprise, KindSOPC, KindUniversity, KindResearch, KindInfrastructure, KindFinance, KindForeignSupplier}

// Participant is a cluster participant (участник кластера). A participant may
// belong to several clusters.
type Participant struct {
	Pos           Pos             `json:"-"` // where the record was read from, for error messages
	ID            string          `json:"id"`
	INN           string          `json:"inn,omitempty"`
	Name          string          `json:"name"`
	Kind          ParticipantKind `json:"kind"`
	FinalProducer bool            `json:"final_producer"`
	Region        string          `json:"region,omitempty"`
	Country       string          `json:"country,omitempty"`
	OKVED         string          `json:"okved,omitempty"`
	SME           *bool           `json:"sme,omitempty"`
	Employees     *int64          `json:"employees,omitempty"`
	RevenueRUB    *float64        `json:"revenue_rub,omitempty"`
	FinalSalesRUB *float64        `json:"final_sales_rub,omitempty"` // sales outside the data (to final customers), for output estimates
	// DomesticPurchasesRUB is what the participant buys from domestic
	// suppliers outside the cluster's data, RUB a year (nil: not known):
	// with purchases from participants and imports, its whole input.
	DomesticPurchasesRUB *float64 `json:"domestic_purchases_rub,omitempty"`
	// PlansProduction: the participant only plans production (планирует к
	// выпуску) and makes nothing yet, so it has no supply links to show.
	PlansProduction bool `json:"plans_production,omitempty"`
	// Defence: a defence-industry (ОПК) enterprise, which may submit
	// reference information instead of supply contracts (Atlas 2025, 001:301).
	Defence      bool     `json:"defence,omitempty"`
	Year         int      `json:"year,omitempty"` // the year employees/revenue/final sales refer to
	Clusters     []string `json:"clusters,omitempty"`
	Illustrative bool     `json:"illustrative,omitempty"`
	Source       string   `json:"source,omitempty"`
}

// IsIndustrial reports whether the participant counts as an industrial
// enterprise for PP-779 (enterprises and foreign suppliers do not mix: only
// domestic enterprises count).
func (p Participant) IsIndustrial() bool { return p.Kind == KindEnterprise }

// Product is a product or product group, identified by an OKPD2 code
// (e.g. 24.42.22) or an HS (ТН ВЭД) code.
type Product struct {
	Pos                Pos      `json:"-"` // where the record was read from, for error messages
	Code               string   `json:"code"`
	Name               string   `json:"name"`
	Unit               string   `json:"unit,omitempty"`
	ImportSubstitution bool     `json:"import_substitution"` // on an import-substitution list (импортозамещение)
	Inputs             []string `json:"inputs,omitempty"`    // codes of products used to make it
	Source             string   `json:"source,omitempty"`
}

// SupplyLink is a supply (cooperation) link: goods flow from supplier to buyer.
type SupplyLink struct {
	Pos          Pos      `json:"-"` // where the record was read from, for error messages
	SupplierID   string   `json:"supplier_id"`
	BuyerID      string   `json:"buyer_id"`
	ProductCode  string   `json:"product_code,omitempty"`
	Year         int      `json:"year,omitempty"` // 0: not given, applies to every year
	ValueRUB     *float64 `json:"value_rub,omitempty"`
	Quantity     *float64 `json:"quantity,omitempty"`
	Unit         string   `json:"unit,omitempty"`
	Documented   bool     `json:"documented"` // a contract or agreement exists (документально подтверждённая связь)
	Illustrative bool     `json:"illustrative,omitempty"`
	Source       string   `json:"source,omitempty"`
}

// Import is a participant's imported input.
type Import struct {
	Pos           Pos      `json:"-"` // where the record was read from, for error messages
	ParticipantID string   `json:"participant_id"`
	ProductCode   string   `json:"product_code"`
	Year          int      `json:"year,omitempty"`
	ValueRUB      float64  `json:"value_rub"`
	Quantity      *float64 `json:"quantity,omitempty"`
	Unit          string   `json:"unit,omitempty"`
	Country       string   `json:"country,omitempty"`
	Illustrative  bool     `json:"illustrative,omitempty"`
	Source        string   `json:"source,omitempty"`
}

// Capacity is what a participant produces or can produce of a product.
type Capacity struct {
	Pos           Pos      `json:"-"` // where the record was read from, for error messages
	ParticipantID string   `json:"participant_id"`
	ProductCode   string   `json:"product_code"`
	Year          int      `json:"year,omitempty"`
	ValueRUB      float64  `json:"value_rub"`
	Quantity      *float64 `json:"quantity,omitempty"`
	Unit          string   `json:"unit,omitempty"`
	Illustrative  bool     `json:"illustrative,omitempty"`
	Source        string   `json:"source,omitempty"`
}

// Project is an investment project of a participant, e.g. an
// import-substitution project counted by PP-779.
type Project struct {
	Pos                Pos      `json:"-"` // where the record was read from, for error messages
	ID                 string   `json:"id"`
	ParticipantID      string   `json:"participant_id"`
	ProductCode        string   `json:"product_code,omitempty"`
	Name               string   `json:"name"`
	ImportSubstitution bool     `json:"import_substitution"`
	Year               int      `json:"year,omitempty"`
	InvestmentRUB      *float64 `json:"investment_rub,omitempty"`
	Status             string   `json:"status,omitempty"`
	Illustrative       bool     `json:"illustrative,omitempty"`
	Source             string   `json:"source,omitempty"`
}

// Employment is one cell of an employment table, used for location quotients
// (коэффициент локализации).
type Employment struct {
	Pos       Pos     `json:"-"` // where the record was read from, for error messages
	Region    string  `json:"region"`
	Industry  string  `json:"industry"`
	Group     string  `json:"group,omitempty"`
	Employees float64 `json:"employees"`
	Year      int     `json:"year,omitempty"`
}

// RegionRating is one row of the I National rating of Russian regions by
// level of cluster development (Atlas 2025): blocks S1–S5 and the total, in
// percentage points.
type RegionRating struct {
	Rank   int     `json:"rank"`
	Region string  `json:"region"`
	S1     float64 `json:"s1"`
	S2     float64 `json:"s2"`
	S3     float64 `json:"s3"`
	S4     float64 `json:"s4"`
	S5     float64 `json:"s5"`
	Total  float64 `json:"total"`
	Source string  `json:"source,omitempty"`
}

// Dataset is a whole set of cluster data as read from a CSV folder, a
// workbook or the store.
type Dataset struct {
	Clusters     []Cluster     `json:"clusters,omitempty"`
	Participants []Participant `json:"participants"`
	Products     []Product     `json:"products,omitempty"`
	Links        []SupplyLink  `json:"links"`
	Imports      []Import      `json:"imports,omitempty"`
	Capacities   []Capacity    `json:"capacities,omitempty"`
	Projects     []Project     `json:"projects,omitempty"`
	Employment   []Employment  `json:"employment,omitempty"`
}

// Rows returns the total number of records in the dataset.
func (d *Dataset) Rows() int {
	return len(d.Clusters) + len(d.Participants) + len(d.Products) + len(d.Links) +
		len(d.Imports) + len(d.Capacities) + len(d.Projects) + len(d.Employment)
}

// Years returns the distinct non-zero years in links, imports and capacities, ascending.
func (d *Dataset) Years() []int {
	seen := map[int]bool{}
	for _, l := range d.Links {
		seen[l.Year] = true
	}
	for _, m := range d.Imports {
		seen[m.Year] = true
	}
	for _, c := range d.Capacities {
		seen[c.Year] = true
	}
	var ys []int
	for y := range seen {
		if y != 0 {
			ys = append(ys, y)
		}
	}
	sortInts(ys)
	return ys
}

// ForYear returns a copy of the dataset restricted to one year's links,
// imports and capacities; rows without a year apply to every year. Year 0
// keeps everything.
func (d *Dataset) ForYear(year int) *Dataset {
	if year == 0 {
		c := *d
		return &c
	}
	out := *d
	out.Links = nil
	for _, l := range d.Links {
		if l.Year == 0 || l.Year == year {
			out.Links = append(out.Links, l)
		}
	}
	out.Imports = nil
	for _, m := range d.Imports {
		if m.Year == 0 || m.Year == year {
			out.Imports = append(out.Imports, m)
		}
	}
	out.Capacities = nil
	for _, c := range d.Capacities {
		if c.Year == 0 || c.Year == year {
			out.Capacities = append(out.Capacities, c)
		}
	}
	return &out
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Pos is the place a record was read from: a file or sheet and a 1-based row
// (the header is row 1).
type Pos struct {
	File string
	Row  int
}

// Ptr returns a pointer to v (for optional fields).
func Ptr[T any](v T) *T { return &v }
