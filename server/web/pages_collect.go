package web

import (
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"html/template"
)

// Page models of the annual data collection: the campaigns, a campaign's
// dashboard, the participant's form, the indicators and the problems
// register.

// option is a choice of a select or a datalist.
type option struct {
	Value, Label string
}

// campaignsPage lists a cluster's campaigns and opens a new one.
type campaignsPage struct {
	*Page
	Campaigns []app.CampaignView
	NextYear  int
	Deadline  string
	Problems  []gm.Problem // of the form to open a campaign
}

// newInvite is an invitation just made: shown once.
type newInvite struct {
	Name, URL, Token string
}

// campaignPage is a campaign's dashboard.
type campaignPage struct {
	*Page
	V              *app.CampaignView
	Statuses       []string
	Waiting        []app.CampaignParticipant
	WaitingText    string // the names, one a line, to copy
	Reconciliation []disagreeRow
	Invite         *newInvite
	CSV            string // the reminders CSV's address
}

// disagreeRow is a reconciliation item with names.
type disagreeRow struct {
	gm.Disagreement
	Supplier, Buyer string
}

// field is one input of the form: its name (the field path), its id, its
// value as typed, and what the checks say of it.
type field struct {
	Name, ID, Value, Error, Warn, Hint string
}

// indicatorField is an indicator's input with its label and unit.
type indicatorField struct {
	Label, Unit string
	F           field
}

type purchaseFields struct {
	Supplier, SupplierName, Product, Value, Quantity, Unit, Documented field
	Checked                                                            bool
}

type saleFields struct {
	Buyer, Product, Value, Quantity, Unit, Documented field
	Checked                                           bool
}

type importFields struct {
	Product, Country, Value, Quantity, Unit field
}

type capacityFields struct {
	Product, Value, Utilisation field
}

type problemFields struct {
	Category, Text, Support field
}

// fieldError is an error listed at the top of the form, linking to its field.
type fieldError struct {
	ID, Label, Message string
}

// provenanceRow is an accepted figure's provenance, written out.
type provenanceRow struct {
	gm.Provenance
	What string
}

// submissionPage is a participant's form (and, for its editor, the review).
type submissionPage struct {
	*Page
	V            *app.SubmissionView
	Action       string // the form's address
	Workbook     string // the workbook download's address
	Indicators   []indicatorField
	Purchases    []purchaseFields
	Sales        []saleFields
	Imports      []importFields
	Capacities   []capacityFields
	Problems     []problemFields
	Participants []option // the other participants of the cluster
	Categories   []option
	Countries    []option
	Units        []string
	Products     []option // the codes already used, for the datalist
	Errors       []fieldError
	Warnings     []fieldError
	Notice       string // saved, submitted, uploaded, accepted, returned
	CanEdit      bool
	CanDecide    bool // an editor, and the submission is submitted
	Editor       bool
	Provenance   []provenanceRow
	Completion   int // percent
}

// indicatorRow is a line of the indicators page.
type indicatorRow struct {
	Label, Unit          string
	This, Last, Change   *float64
	Money                bool
	Reported, Prev, Year int
}

// indicatorsPage shows a cluster's statutory indicators of a year.
type indicatorsPage struct {
	*Page
	V      *app.IndicatorsView
	Rows   []indicatorRow
	XLSX   string
	Years  []int
	Charts []template.HTML // the indicators over the years
}

// problemsPage is the problems register.
type problemsPage struct {
	*Page
	V *app.ProblemsView
}
