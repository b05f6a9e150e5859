package graphmodel

import "context"

// Campaign statuses.
const (
	CampaignOpen   = "open"
	CampaignClosed = "closed"
)

// Campaign is the SOPC's yearly data collection (оперативный ежегодный сбор
// информации) in one cluster: every participant is asked for its figures of
// Year by Deadline.
type Campaign struct {
	ID        string `json:"id"`
	ClusterID string `json:"cluster_id"`
	Year      int    `json:"year"`
	Deadline  string `json:"deadline"` // YYYY-MM-DD
	Title     string `json:"title,omitempty"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	CreatedBy string `json:"created_by,omitempty"`
}

// Submission statuses: a participant without a stored submission has not
// started.
const (
	StatusNotStarted = "not_started"
	StatusDraft      = "draft"
	StatusSubmitted  = "submitted"
	StatusReturned   = "returned"
	StatusAccepted   = "accepted"
)

// SubmissionStatuses lists the statuses in the order of the cycle.
var SubmissionStatuses = []string{StatusNotStarted, StatusDraft, StatusSubmitted, StatusReturned, StatusAccepted}

// Indicators are a participant's statutory figures for a year (001
// «СТАТИСТИКА»), RUB per year, and its employees. A nil figure was not
// reported: it is missing, never zero.
type Indicators struct {
	ShippedRUB               *float64 `json:"shipped_rub"`
	ShippedToParticipantsRUB *float64 `json:"shipped_to_participants_rub"`
	SMEShippedRUB            *float64 `json:"sme_shipped_rub"`
	ValueAddedRUB            *float64 `json:"value_added_rub"`
	MaterialsRUB             *float64 `json:"materials_rub"`
	InvestmentRUB            *float64 `json:"investment_rub"`
	TaxesRUB                 *float64 `json:"taxes_rub"`
	ExportRUB                *float64 `json:"export_rub"`
	Employees                *float64 `json:"employees"`
}

// IndicatorDef describes one statutory figure: its JSON key, its name as the
// Atlas prints it and its unit.
type IndicatorDef struct {
	Key            string
	NameRU, NameEN string // as the Atlas prints it (the report's wording)
	UnitRU, UnitEN string
	Money          bool
	// ShortRU and ShortEN are what a participant is asked in its form.
	ShortRU, ShortEN string
}

// IndicatorDefs are the eight statutory indicators in the Atlas's order,
// then employees.
var IndicatorDefs = []IndicatorDef{
	{"shipped_rub", "Объём отгруженных участниками кластера товаров собственного производства, выполненных работ и услуг собственными силами", "Own production shipped by the participants", "руб.", "RUB", true, "Отгружено товаров собственного производства, выполнено работ и услуг собственными силами", "Own goods shipped, works and services done"},
	{"shipped_to_participants_rub", "Объём отгруженных товаров собственного производства, работ и услуг, используемых другими участниками промышленного кластера", "Of it, used by other participants of the cluster", "руб.", "RUB", true, "из них — другим участникам кластера", "of it, to other participants of the cluster"},
	{"sme_shipped_rub", "Общий объём отгруженных МСП-участниками кластера товаров собственного производства, работ и услуг", "Shipped by SME participants", "руб.", "RUB", true, "Отгружено, если ваша организация — МСП (иначе оставьте пустым)", "Shipped, if your company is an SME (else leave it empty)"},
	{"value_added_rub", "Добавленная стоимость, создаваемая участниками промышленного кластера", "Value added by the participants", "руб.", "RUB", true, "Добавленная стоимость", "Value added"},
	{"materials_rub", "Расходы на приобретение сырья, материалов, покупных полуфабрикатов и комплектующих изделий", "Raw materials, materials, bought semi-finished goods and components", "руб.", "RUB", true, "Расходы на сырьё, материалы, покупные полуфабрикаты и комплектующие", "Raw materials, materials, bought semi-finished goods and components"},
	{"investment_rub", "Общий объём инвестиций в основной капитал участников промышленного кластера", "Investment in fixed capital", "руб.", "RUB", true, "Инвестиции в основной капитал", "Investment in fixed capital"},
	{"taxes_rub", "Объём налоговых и таможенных платежей участников промышленного кластера в бюджеты всех уровней", "Tax and customs payments to budgets of every level", "руб.", "RUB", true, "Налоговые и таможенные платежи в бюджеты всех уровней", "Tax and customs payments to budgets of every level"},
	{"export_rub", "Объём экспорта участниками промышленного кластера товаров собственного производства", "Export of own production", "руб.", "RUB", true, "Экспорт товаров собственного производства", "Export of own goods"},
	{"employees", "Численность работников", "Employees", "чел.", "persons", false, "Численность работников", "Employees"},
}

// Ref returns the field of the indicator with the JSON key, nil for an
// unknown key.
func (in *Indicators) Ref(key string) **float64 {
	switch key {
	case "shipped_rub":
		return &in.ShippedRUB
	case "shipped_to_participants_rub":
		return &in.ShippedToParticipantsRUB
	case "sme_shipped_rub":
		return &in.SMEShippedRUB
	case "value_added_rub":
		return &in.ValueAddedRUB
	case "materials_rub":
		return &in.MaterialsRUB
	case "investment_rub":
		return &in.InvestmentRUB
	case "taxes_rub":
		return &in.TaxesRUB
	case "export_rub":
		return &in.ExportRUB
	case "employees":
		return &in.Employees
	}
	return nil
}

// Get returns the indicator with the JSON key (nil: not reported).
func (in Indicators) Get(key string) *float64 {
	if r := in.Ref(key); r != nil {
		return *r
	}
	return nil
}

// Purchase is something the participant bought in the year: from a
// participant of the cluster (SupplierID) or from a Russian supplier outside
// it (SupplierName).
type Purchase struct {
	SupplierID   string   `json:"supplier_id,omitempty"`
	SupplierName string   `json:"supplier_name,omitempty"`
	ProductCode  string   `json:"product_code"`
	ValueRUB     *float64 `json:"value_rub"`
	Quantity     *float64 `json:"quantity,omitempty"`
	Unit         string   `json:"unit,omitempty"`
	Documented   bool     `json:"documented"`
}

// Sale is something the participant shipped to another participant of the
// cluster in the year.
type Sale struct {
	BuyerID     string   `json:"buyer_id"`
	ProductCode string   `json:"product_code"`
	ValueRUB    *float64 `json:"value_rub"`
	Quantity    *float64 `json:"quantity,omitempty"`
	Unit        string   `json:"unit,omitempty"`
	Documented  bool     `json:"documented"`
}

// SubmittedImport is an imported input: product, country of origin, value.
type SubmittedImport struct {
	ProductCode string   `json:"product_code"`
	Country     string   `json:"country"`
	ValueRUB    *float64 `json:"value_rub"`
	Quantity    *float64 `json:"quantity,omitempty"`
	Unit        string   `json:"unit,omitempty"`
}

// SubmittedCapacity is what the participant can produce of a product a
// year and how much of it it used (utilisation, percent 0..100).
type SubmittedCapacity struct {
	ProductCode string   `json:"product_code"`
	ValueRUB    *float64 `json:"value_rub"`
	Utilisation *float64 `json:"utilisation"`
}

// Problem categories of participants (001:769: ресурсные ограничения,
// административные барьеры, технологическое отставание, зависимость от
// импорта; and personnel, finance, other).
const (
	CategoryResources        = "resources"
	CategoryAdministrative   = "administrative"
	CategoryTechnology       = "technology"
	CategoryImportDependence = "import_dependence"
	CategoryPersonnel        = "personnel"
	CategoryFinance          = "finance"
	CategoryOther            = "other"
)

// ProblemCategories lists the categories.
var ProblemCategories = []string{CategoryResources, CategoryAdministrative, CategoryTechnology, CategoryImportDependence, CategoryPersonnel, CategoryFinance, CategoryOther}

// ReportedProblem is a problem a participant reports and the support it
// needs.
type ReportedProblem struct {
	Category      string `json:"category"`
	Text          string `json:"text"`
	SupportNeeded string `json:"support_needed"`
}

// Submission is a participant's answer to a campaign: the JSON body of
// GET/PUT …/submissions/{pid}.
type Submission struct {
	Indicators Indicators          `json:"indicators"`
	Purchases  []Purchase          `json:"purchases"`
	Sales      []Sale              `json:"sales"`
	Imports    []SubmittedImport   `json:"imports"`
	Capacities []SubmittedCapacity `json:"capacities"`
	Problems   []ReportedProblem   `json:"problems"`
}

// Lists replaces nil lists with empty ones, so that JSON shows [] (nothing
// reported) rather than null.
func (s *Submission) Lists() {
	if s.Purchases == nil {
		s.Purchases = []Purchase{}
	}
	if s.Sales == nil {
		s.Sales = []Sale{}
	}
	if s.Imports == nil {
		s.Imports = []SubmittedImport{}
	}
	if s.Capacities == nil {
		s.Capacities = []SubmittedCapacity{}
	}
	if s.Problems == nil {
		s.Problems = []ReportedProblem{}
	}
}

// StoredSubmission is a submission with its status and history. "Who" is
// the caller's role and token id (e.g. "participant:1a2b3c4d5e6f").
type StoredSubmission struct {
	CampaignID    string
	ClusterID     string
	ParticipantID string
	Status        string
	Body          Submission
	Comment       string // the editor's comment when it was returned
	Version       int64
	CreatedAt     string
	UpdatedAt     string
	UpdatedBy     string
	SubmittedAt   string
	SubmittedBy   string
	ReturnedAt    string
	ReturnedBy    string
	AcceptedAt    string
	AcceptedBy    string
}

// Invitation is a one-time sign-in link of a participant token: the link's
// code is exchanged once for a web session (only its hash is stored).
type Invitation struct {
	CodeHash      string
	TokenID       string
	ClusterID     string
	ParticipantID string
	CampaignID    string
	CreatedAt     string
	UsedAt        string
}

// IndicatorRecord is a participant's accepted statutory figures of a year.
type IndicatorRecord struct {
	ClusterID     string
	ParticipantID string
	Year          int
	Indicators    Indicators
}

// ProblemRecord is an accepted problem of a participant.
type ProblemRecord struct {
	ClusterID     string
	ParticipantID string
	Year          int
	ReportedProblem
}

// OutsidePurchase is an accepted domestic purchase from a supplier outside
// the cluster (not a graph link; it counts for the intra-cluster share).
type OutsidePurchase struct {
	ClusterID     string
	ParticipantID string
	Year          int
	Purchase
}

// Provenance says where an accepted figure came from: the record (Kind and
// Key, e.g. "link" and "supplier|buyer|product|year"), whose submission, who
// submitted and who accepted it, and when. Figure says whose figure a link
// carries ("buyer" or "supplier").
type Provenance struct {
	Kind          string   `json:"kind"` // link, import, capacity, indicators, problem, outside_purchase
	Key           string   `json:"key"`
	ClusterID     string   `json:"cluster_id"`
	Year          int      `json:"year"`
	ParticipantID string   `json:"participant_id"` // whose submission
	CampaignID    string   `json:"campaign_id"`
	Figure        string   `json:"figure,omitempty"`
	ValueRUB      *float64 `json:"value_rub,omitempty"` // the value accepted
	SubmittedBy   string   `json:"submitted_by"`
	SubmittedAt   string   `json:"submitted_at"`
	AcceptedBy    string   `json:"accepted_by"`
	AcceptedAt    string   `json:"accepted_at"`
}

// Acceptance asks the store to accept a submitted submission.
type Acceptance struct {
	ClusterID     string
	CampaignID    string
	ParticipantID string
	AcceptedBy    string
	AcceptedAt    string
	// The writer (gm.WithWriter on the context) must be allowed to edit
	// ClusterID; the records written follow the ownership model.
}

// CampaignStore keeps campaigns, submissions, invitations and the accepted
// figures that are not graph records (indicators, problems, outside
// purchases, provenance).
type CampaignStore interface {
	// CreateCampaign stores a new campaign; ECONFLICT when the cluster has an
	// open campaign for the year.
	CreateCampaign(ctx context.Context, c Campaign) error
	Campaigns(ctx context.Context, clusterID string) ([]Campaign, error)
	// SetCampaignStatus closes a campaign (CampaignClosed) or opens it again
	// (CampaignOpen) and returns it; ENOTFOUND when the cluster has no such
	// campaign, ECONFLICT when it already has that status or, to open it,
	// when another campaign of the cluster is open for its year.
	SetCampaignStatus(ctx context.Context, clusterID, id, status string) (*Campaign, error)
	// Campaign returns one campaign of the cluster or ENOTFOUND.
	Campaign(ctx context.Context, clusterID, id string) (*Campaign, error)
	Submissions(ctx context.Context, campaignID string) ([]StoredSubmission, error)
	// Submission returns a stored submission or ENOTFOUND.
	Submission(ctx context.Context, campaignID, participantID string) (*StoredSubmission, error)
	// SaveSubmission creates or updates a submission when its stored status
	// (StatusNotStarted when there is none) is one of from, else ECONFLICT
	// (also when the campaign is closed).
	SaveSubmission(ctx context.Context, s *StoredSubmission, from []string) error
	// AcceptSubmission writes a submitted submission into the cluster's data
	// for the campaign's year and marks it accepted, all or nothing.
	AcceptSubmission(ctx context.Context, a Acceptance) error
	// ReplaceInvitation revokes the participant's earlier participant
	// tokens for the cluster (ending their sessions) and stores t and inv.
	ReplaceInvitation(ctx context.Context, inv Invitation, t Token) error
	// UseInvitation marks an unused invitation used and returns it;
	// ENOTFOUND for an unknown code, ECONFLICT when it was used or revoked.
	UseInvitation(ctx context.Context, codeHash string) (*Invitation, error)
	Invitations(ctx context.Context, campaignID string) ([]Invitation, error)
	// ReportedIndicators returns the accepted indicators of a year.
	ReportedIndicators(ctx context.Context, clusterID string, year int) ([]IndicatorRecord, error)
	ReportedProblems(ctx context.Context, clusterID string, year int) ([]ProblemRecord, error)
	OutsidePurchases(ctx context.Context, clusterID string, year int) ([]OutsidePurchase, error)
	Provenance(ctx context.Context, clusterID string, year int) ([]Provenance, error)
}
