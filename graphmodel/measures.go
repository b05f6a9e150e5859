package graphmodel

// Levels of support measures.
const (
	LevelFederal  = "federal"  // federal measures (Russia)
	LevelRegional = "regional" // measures of one subject of the RF
	LevelEAEU     = "eaeu"     // the Eurasian Economic Union's mechanism
)

// Kinds of support measures.
const (
	MeasureSubsidy     = "subsidy"     // subsidies and grants: a part of costs reimbursed (субсидии, гранты)
	MeasureLoan        = "loan"        // preferential loans and credits (льготные займы, кредиты)
	MeasureTax         = "tax"         // tax deductions, reduced insurance contributions, tax monitoring
	MeasureExport      = "export"      // export promotion
	MeasureCooperation = "cooperation" // support of cooperation projects between states (EAEU)
)

// MeasureLevels and MeasureKinds list the valid values.
var (
	MeasureLevels = []string{LevelFederal, LevelRegional, LevelEAEU}
	MeasureKinds  = []string{MeasureSubsidy, MeasureLoan, MeasureTax, MeasureExport, MeasureCooperation}
)

// SupportMeasure is a state support measure (мера господдержки) for
// industrial clusters and their participants, as the Atlas of industrial
// clusters 2025 lists it. Figures the Atlas does not print are nil; Terms
// keeps the Atlas's own wording and LegalRef its legal reference.
type SupportMeasure struct {
	ID             string   `json:"id"`
	Level          string   `json:"level"` // federal, regional or eaeu
	Kind           string   `json:"kind"`  // subsidy, loan, tax, export, cooperation
	Region         string   `json:"region,omitempty"`
	Name           string   `json:"name"` // Russian, as in the Atlas
	NameEN         string   `json:"name_en"`
	Terms          string   `json:"terms"` // the Atlas's wording (Russian)
	TermsEN        string   `json:"terms_en"`
	AmountMaxRUB   *float64 `json:"amount_max_rub,omitempty"`    // at most this amount
	ShareMaxPct    *float64 `json:"share_max_pct,omitempty"`     // at most this share of the costs, %
	ShareMaxSMEPct *float64 `json:"share_max_sme_pct,omitempty"` // the same for small and medium enterprises, %
	RateMinPct     *float64 `json:"rate_min_pct,omitempty"`      // loan rate, % a year …
	RateMaxPct     *float64 `json:"rate_max_pct,omitempty"`      // … a range when min < max
	RateKeyShare   *float64 `json:"rate_key_share,omitempty"`    // loan rate as a share of the Bank of Russia key rate (0.3 = 30%)
	TermYears      *float64 `json:"term_years,omitempty"`        // loan term, at most, in years
	ValidUntil     int      `json:"valid_until,omitempty"`       // the last year the measure is available
	Purpose        string   `json:"purpose,omitempty"`           // what it finances, when the Atlas says
	LegalRef       string   `json:"legal_ref"`                   // the legal reference as given in the Atlas
	Note           string   `json:"note,omitempty"`              // what the Atlas leaves out (English)
	Source         string   `json:"source"`                      // document and lines
	// Conditions are the measure's conditions as the Atlas states them
	// (MeasureConditions): a measure is offered for a niche only when none
	// of them fails.
	Conditions []string `json:"conditions"`
}

// Conditions of support measures (SupportMeasure.Conditions).
const (
	CondClusterParticipant = "cluster_participant" // for participants of industrial clusters (001:342-347; 001:371-375; 001:399)
	CondImportSubstitution = "import_substitution" // the product is import-substituting (on a list)
	CondJointProject       = "joint_project"       // a joint project of cluster participants (001:342-347)
	CondPlatformSector     = "platform_sector"     // the sectors of the 1–100 bn footnote or the Far East (001:368)
	CondPlatformAmount     = "platform_amount"     // a loan of 1 to 100 bn RUB (001:368)
	CondTermsNotInText     = "terms_not_in_text"   // the Atlas gives the conditions as an image
	CondExport             = "export"              // the product is sold abroad (001:618-648)
	CondEAEUStates         = "eaeu_states"         // partners from 3+ member states (001:664)
	CondEAEULender         = "eaeu_lender"         // the loan comes from an authorised bank or development institution (001:660)
	CondRegion             = "region"              // the production is in the measure's region
	CondNewProduction      = "new_production"      // the costs of starting a production
	CondEquipment          = "equipment"           // the costs of equipment (and software, certification)
	CondModernisation      = "modernisation"       // the modernisation of existing capacity
	CondRegionalSuppliers  = "regional_suppliers"  // equipment bought from producers of the region
	CondRnD                = "rnd"                 // research and development (НИОКР)
	CondLoanTerms          = "loan_terms"          // the loan's amount, rate and term suit the project
	CondValidUntil         = "valid_until"         // the measure is still available in the year
)

// MeasureConditions lists the valid conditions.
var MeasureConditions = []string{CondClusterParticipant, CondImportSubstitution, CondJointProject, CondPlatformSector, CondPlatformAmount,
	CondTermsNotInText, CondExport, CondEAEUStates, CondEAEULender, CondRegion, CondNewProduction, CondEquipment, CondModernisation,
	CondRegionalSuppliers, CondRnD, CondLoanTerms, CondValidUntil}

// MeasureUse records that a participant of a cluster received a measure,
// as the Atlas reports it.
type MeasureUse struct {
	ClusterID   string   `json:"cluster_id"`
	MeasureID   string   `json:"measure_id"`
	Participant string   `json:"participant,omitempty"`
	AmountRUB   *float64 `json:"amount_rub,omitempty"`
	Year        int      `json:"year,omitempty"`
	Source      string   `json:"source"`
}

// EAEUCooperationType is a form of cooperation (вид кооперации) of the
// EAEU's mechanism of financial support of joint cooperation projects, with
// the share of the base (the production cost or the project cost) the Atlas
// names beside it.
type EAEUCooperationType struct {
	ID       string  `json:"id"` // production, technological, services, investment
	Name     string  `json:"name"`
	NameEN   string  `json:"name_en"`
	SharePct float64 `json:"share_pct"`
	Base     string  `json:"base"` // production_cost or project_cost
	Text     string  `json:"text"` // the Atlas's wording
	Source   string  `json:"source"`
}

// EAEU cooperation bases.
const (
	BaseProductionCost = "production_cost" // себестоимость продукции
	BaseProjectCost    = "project_cost"    // стоимость проекта
)

// EAEURules are the conditions of the EAEU's financial support of joint
// cooperation projects in industry (Decision of the Eurasian
// intergovernmental council of 26 October 2023 No 3), as the Atlas gives
// them.
type EAEURules struct {
	Decision                 string                `json:"decision"`
	MemberStates             []string              `json:"member_states"` // ISO 3166 alpha-2
	MinStates                int                   `json:"min_states"`
	MaxSubsidyRUBPerYear     float64               `json:"max_subsidy_rub_per_year"`
	SubsidyYears             int                   `json:"subsidy_years"`
	MaxProjectYears          int                   `json:"max_project_years"`
	KeyRateCompensationShare float64               `json:"key_rate_compensation_share"` // 1 = 100% of the key rate
	MaxRateMarginPP          float64               `json:"max_rate_margin_pp"`          // loan rate at most key rate + this
	Lenders                  string                `json:"lenders"`                     // who may lend: authorised banks and development institutions of member states
	Types                    []EAEUCooperationType `json:"types"`
	Sources                  map[string]string     `json:"sources"` // rule → document and lines
}

// Type returns the cooperation type with the given id.
func (r EAEURules) Type(id string) (EAEUCooperationType, bool) {
	for _, t := range r.Types {
		if t.ID == id {
			return t, true
		}
	}
	return EAEUCooperationType{}, false
}

// IsMember reports whether an ISO country code is an EAEU member state.
func (r EAEURules) IsMember(country string) bool {
	for _, c := range r.MemberStates {
		if c == country {
			return true
		}
	}
	return false
}

// ClusterFigure is one figure a source document gives for a cluster that is
// not in the Russian registry (a foreign or a planned cluster): jobs,
// investment, growth …
type ClusterFigure struct {
	ClusterID string  `json:"cluster_id"`
	Indicator string  `json:"indicator"` // e.g. jobs, investment_rub, export_share_pct
	Value     float64 `json:"value"`
	Unit      string  `json:"unit"`                // RUB, USD, pct, jobs, …
	Qualifier string  `json:"qualifier,omitempty"` // more_than, about, up_to, or empty (exact)
	Period    string  `json:"period,omitempty"`    // e.g. 2022–2024, since 2023, by 2030
	Text      string  `json:"text"`                // the document's wording
	Source    string  `json:"source"`
}

// PublishedLQ is a location quotient as a document publishes it (not
// computed here), e.g. the Kyrgyz regions' quotients of 2018.
type PublishedLQ struct {
	Country  string  `json:"country"`
	Region   string  `json:"region"`
	Industry string  `json:"industry"`
	Year     int     `json:"year"`
	LQ       float64 `json:"lq"`
	Source   string  `json:"source"`
}

// PublishedNeed is one figure of a cluster's identified need (выявленная
// потребность) as a source document publishes it: an amount in roubles a
// year or a quantity a year in a unit. The Omsk SOPC publishes three
// clusters' needs in the Atlas (001:560-610); the niches behind them are
// images there.
type PublishedNeed struct {
	ClusterID   string   `json:"cluster_id"`
	ClusterName string   `json:"cluster_name"` // as the document heads the section
	ValueRUB    *float64 `json:"value_rub"`    // a year
	Quantity    *float64 `json:"quantity"`     // a year, in Unit
	Unit        string   `json:"unit"`         // t, m2, m3; "" with a value in roubles
	Text        string   `json:"text"`         // the figure as printed
	Source      string   `json:"source"`       // document and lines
}

// Reference is the read-only reference data served from memory: support
// measures, the EAEU rules, the Eurasian-scope registry entries (foreign and
// planned clusters, never counted with the registered Russian ones) and
// published location quotients.
type Reference struct {
	Measures     []SupportMeasure
	MeasureUses  []MeasureUse
	EAEU         EAEURules
	Clusters     []Cluster         // foreign and planned clusters
	ClusterNotes map[string]string // cluster id → what the documents say of its status
	Figures      []ClusterFigure
	PublishedLQ  []PublishedLQ
	// PublishedNeeds are clusters' identified needs as published (public).
	PublishedNeeds []PublishedNeed
}
