package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

// CampaignRequest opens a campaign: POST …/campaigns.
type CampaignRequest struct {
	Year     int    `json:"year"`
	Deadline string `json:"deadline"` // YYYY-MM-DD
	Title    string `json:"title"`
}

// check validates the request with Russian messages per field.
func (r CampaignRequest) check() error {
	var bad []gm.Problem
	if r.Year < 1900 || r.Year > 2100 {
		bad = append(bad, gm.Problem{Column: "year", Value: fmt.Sprint(r.Year), Message: "the year the figures are for, 1900..2100", MessageRU: "укажите год, за который собираются данные (1900–2100)"})
	}
	if _, err := time.Parse("2006-01-02", r.Deadline); err != nil {
		bad = append(bad, gm.Problem{Column: "deadline", Value: r.Deadline, Message: "the deadline as YYYY-MM-DD", MessageRU: "срок сдачи — дата в виде ГГГГ-ММ-ДД"})
	}
	if utf8.RuneCountInString(r.Title) > 200 {
		bad = append(bad, gm.Problem{Column: "title", Message: "at most 200 characters", MessageRU: "не более 200 символов"})
	}
	if len(bad) > 0 {
		return gm.Invalid("invalid campaign", bad)
	}
	return nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// CreateCampaign opens the cluster's campaign for a year (editor); one open
// campaign per cluster and year.
func (a *App) CreateCampaign(ctx context.Context, me Principal, clusterID string, r CampaignRequest) (*gm.Campaign, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	r.Title = strings.TrimSpace(r.Title)
	if err := r.check(); err != nil {
		return nil, err
	}
	c := gm.Campaign{ID: fmt.Sprintf("%d-%s", r.Year, RandomString(4)), ClusterID: clusterID, Year: r.Year, Deadline: r.Deadline, Title: r.Title,
		Status: gm.CampaignOpen, CreatedAt: now(), CreatedBy: me.Who()}
	if err := a.store.CreateCampaign(as(ctx, me), c); err != nil {
		return nil, err
	}
	return &c, nil
}

// CloseCampaign ends a campaign's collection (editor): participants can no
// longer change or submit their forms, nobody can be invited; the editor
// still accepts what was submitted. ReopenCampaign undoes it unless another
// campaign of the cluster is open for the year (ECONFLICT).
func (a *App) CloseCampaign(ctx context.Context, me Principal, clusterID, id string) (*gm.Campaign, error) {
	return a.setCampaignStatus(ctx, me, clusterID, id, gm.CampaignClosed)
}

// ReopenCampaign opens a closed campaign again (editor); see CloseCampaign.
func (a *App) ReopenCampaign(ctx context.Context, me Principal, clusterID, id string) (*gm.Campaign, error) {
	return a.setCampaignStatus(ctx, me, clusterID, id, gm.CampaignOpen)
}

func (a *App) setCampaignStatus(ctx context.Context, me Principal, clusterID, id, status string) (*gm.Campaign, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	return a.store.SetCampaignStatus(as(ctx, me), clusterID, id, status)
}

// CampaignParticipant is one participant's line of a campaign's dashboard.
type CampaignParticipant struct {
	ParticipantID string    `json:"participant_id"`
	Name          string    `json:"name"`
	Status        string    `json:"status"`
	UpdatedAt     string    `json:"updated_at"` // last activity; "" when not started
	Flags         []gm.Flag `json:"flags"`
	Errors        int       `json:"errors"`     // hard problems a submit would refuse
	Completion    float64   `json:"completion"` // share of the items of a complete answer filled in
	Invited       bool      `json:"invited"`
	InviteUsed    bool      `json:"invite_used"`
	Comment       string    `json:"comment,omitempty"`
}

// CampaignView is a campaign with every participant of the cluster and its
// status: the dashboard.
type CampaignView struct {
	gm.Campaign
	Counts       map[string]int        `json:"counts"`
	Participants []CampaignParticipant `json:"participants"`
}

// Waiting lists the participants who have not answered (not started, draft
// or returned): whom to remind.
func (v *CampaignView) Waiting() []CampaignParticipant {
	var out []CampaignParticipant
	for _, p := range v.Participants {
		if p.Status == gm.StatusNotStarted || p.Status == gm.StatusDraft || p.Status == gm.StatusReturned {
			out = append(out, p)
		}
	}
	return out
}

// Campaigns lists the cluster's campaigns with their dashboards (members).
func (a *App) Campaigns(ctx context.Context, me Principal, clusterID string) ([]CampaignView, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	cs, err := a.store.Campaigns(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	out := []CampaignView{}
	for i := range cs {
		v, err := a.campaignView(ctx, &cs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Campaign is one campaign's dashboard (members).
func (a *App) Campaign(ctx context.Context, me Principal, clusterID, id string) (*CampaignView, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	c, err := a.store.Campaign(ctx, clusterID, id)
	if err != nil {
		return nil, err
	}
	return a.campaignView(ctx, c)
}

// collection is what checking a campaign's submissions needs: the cluster's
// data, its participants, the product catalogue and the stored submissions.
type collection struct {
	c        *gm.Campaign
	ds       *gm.Dataset
	members  map[string]string
	products map[string]string // code → name
	subs     map[string]gm.StoredSubmission
	prev     prevYear
}

func (a *App) collection(ctx context.Context, c *gm.Campaign) (*collection, error) {
	cl, err := a.store.GetCluster(ctx, c.ClusterID)
	if err != nil {
		return nil, err
	}
	_, ds, err := a.analyzer.report(ctx, cl, 0)
	if err != nil {
		return nil, err
	}
	k := &collection{c: c, ds: ds, members: map[string]string{}, subs: map[string]gm.StoredSubmission{}}
	for _, p := range ds.Participants {
		k.members[p.ID] = p.Name
	}
	if k.products, err = a.productSet(ctx); err != nil {
		return nil, err
	}
	subs, err := a.store.Submissions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		k.subs[s.ParticipantID] = s
	}
	k.prev, err = a.loadPrevYear(ctx, c.ClusterID, c.Year-1, ds)
	return k, err
}

// productSet is the product catalogue: code → name.
func (a *App) productSet(ctx context.Context) (map[string]string, error) {
	ps, _, err := a.store.Products(ctx, "", 1<<20, 0)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Code] = p.Name
	}
	return m, nil
}

// context is what one participant's submission is checked against.
func (k *collection) context(pid string) gm.SubmissionContext {
	return gm.SubmissionContext{Participant: pid, Members: k.members, KnownProduct: func(code string) bool { _, ok := k.products[code]; return ok }, Previous: k.prev.of(pid)}
}

// reported are the submissions the participants have sent (submitted,
// returned or accepted): what reconciliation compares.
func (k *collection) reported() map[string]gm.Submission {
	out := map[string]gm.Submission{}
	for pid, s := range k.subs {
		if s.Status == gm.StatusSubmitted || s.Status == gm.StatusReturned || s.Status == gm.StatusAccepted {
			out[pid] = s.Body
		}
	}
	return out
}

func (a *App) campaignView(ctx context.Context, c *gm.Campaign) (*CampaignView, error) {
	k, err := a.collection(ctx, c)
	if err != nil {
		return nil, err
	}
	invs, err := a.store.Invitations(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	invited := map[string]gm.Invitation{}
	for _, inv := range invs {
		if _, seen := invited[inv.ParticipantID]; !seen {
			invited[inv.ParticipantID] = inv
		}
	}
	disagree := map[string][]gm.Disagreement{}
	for _, d := range gm.Reconcile(k.reported(), gm.ReconcileTolerance) {
		disagree[d.SupplierID] = append(disagree[d.SupplierID], d)
		disagree[d.BuyerID] = append(disagree[d.BuyerID], d)
	}
	v := &CampaignView{Campaign: *c, Counts: map[string]int{}}
	for _, st := range gm.SubmissionStatuses {
		v.Counts[st] = 0
	}
	for _, p := range k.ds.Participants {
		line := CampaignParticipant{ParticipantID: p.ID, Name: p.Name, Status: gm.StatusNotStarted, Flags: []gm.Flag{}}
		inv, ok := invited[p.ID]
		line.Invited, line.InviteUsed = ok, inv.UsedAt != ""
		if s, ok := k.subs[p.ID]; ok {
			body := s.Body
			errs, flags := body.Validate(k.context(p.ID))
			line.Status, line.UpdatedAt, line.Errors, line.Completion, line.Comment = s.Status, s.UpdatedAt, len(errs), body.Completion(), s.Comment
			line.Flags = append(flags, k.disagreeFlags(p.ID, disagree[p.ID])...)
		}
		v.Counts[line.Status]++
		v.Participants = append(v.Participants, line)
	}
	sort.SliceStable(v.Participants, func(i, j int) bool { return v.Participants[i].Name < v.Participants[j].Name })
	return v, nil
}

// disagreeFlags turns reconciliation items into flags of one participant,
// naming the other side and the product («name (code)» when the catalogue
// names the code).
func (k *collection) disagreeFlags(pid string, ds []gm.Disagreement) []gm.Flag {
	var out []gm.Flag
	for _, d := range ds {
		other := d.BuyerID
		if other == pid {
			other = d.SupplierID
		}
		product := d.ProductCode
		if n := k.products[d.ProductCode]; n != "" && n != d.ProductCode {
			product = n + " (" + d.ProductCode + ")"
		}
		out = append(out, gm.Flag{Code: gm.FlagDisagree, Message: fmt.Sprintf("%s reports another value for %s (%s vs %s RUB)", other, product, num(d.SupplierRUB), num(d.BuyerRUB)),
			MessageRU: fmt.Sprintf("%s указывает другую сумму по позиции «%s»: поставщик %s, покупатель %s руб.", k.members[other], product, gm.FormatMoney("ru", d.SupplierRUB), gm.FormatMoney("ru", d.BuyerRUB))})
	}
	return out
}

// Reconciliation lists every supplier/buyer pair whose two sides, as the
// participants reported them, differ by more than 5 % (editor).
func (a *App) Reconciliation(ctx context.Context, me Principal, clusterID, id string) ([]gm.Disagreement, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	c, err := a.store.Campaign(ctx, clusterID, id)
	if err != nil {
		return nil, err
	}
	k, err := a.collection(ctx, c)
	if err != nil {
		return nil, err
	}
	items := gm.Reconcile(k.reported(), gm.ReconcileTolerance)
	for i := range items {
		if n := k.products[items[i].ProductCode]; n != items[i].ProductCode {
			items[i].ProductName = n
		}
	}
	return items, nil
}

// Invitation is a participant's new token, shown once, and its one-time
// sign-in link.
type Invitation struct {
	ParticipantID string `json:"participant_id"`
	Token         string `json:"token"`
	URL           string `json:"url"`
}

// InvitePath is the sign-in link of an invitation code: the page asks to
// confirm, and the code is exchanged once for a session.
func InvitePath(code string) string { return "/login?invite=" + code }

// Invite makes a participant token for the campaign's cluster (editor): the
// participant's earlier invitation tokens for the cluster are revoked with
// their sessions. The token and the link are shown once.
func (a *App) Invite(ctx context.Context, me Principal, clusterID, id, pid string) (*Invitation, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	c, err := a.store.Campaign(ctx, clusterID, id)
	if err != nil {
		return nil, err
	}
	if c.Status != gm.CampaignOpen {
		return nil, gm.Errorf(gm.ECONFLICT, "the campaign is closed")
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	t, full, err := makeToken(ctx, a.store, TokenSpec{Role: gm.RoleParticipant, ClusterID: clusterID, ParticipantID: pid,
		Name: fmt.Sprintf("invitation %s: %s (%s)", c.ID, pid, cl.Name)})
	if err != nil {
		return nil, err
	}
	code := RandomString(24)
	inv := gm.Invitation{CodeHash: gm.HashSecret(code), TokenID: t.ID, ClusterID: clusterID, ParticipantID: pid, CampaignID: c.ID, CreatedAt: now()}
	if err := a.store.ReplaceInvitation(as(ctx, me), inv, *t); err != nil {
		return nil, err
	}
	return &Invitation{ParticipantID: pid, Token: full, URL: InvitePath(code)}, nil
}

// UseInvitation exchanges an invitation code for its token, once (public:
// the code is the credential). A used, replaced or unknown code is
// EUNAUTHORIZED.
func (a *App) UseInvitation(ctx context.Context, code string) (*gm.Token, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "no invitation code")
	}
	inv, err := a.store.UseInvitation(ctx, gm.HashSecret(code))
	switch gm.ErrorCode(err) {
	case "":
	case gm.ENOTFOUND, gm.ECONFLICT:
		return nil, &gm.Error{Code: gm.EUNAUTHORIZED, Message: gm.ErrorMessage(err)}
	default:
		return nil, err
	}
	t, err := a.store.Token(ctx, inv.TokenID)
	if err != nil {
		return nil, err
	}
	if t.RevokedAt != "" {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "the token was revoked")
	}
	return t, nil
}

// ParticipantForm is where a participant's form is: the latest open
// campaign of its cluster, else the latest closed one (read only);
// ENOTFOUND when the cluster has none.
func (a *App) ParticipantForm(ctx context.Context, me Principal) (clusterID, campaignID, pid string, err error) {
	if !me.Participant() {
		return "", "", "", gm.Errorf(gm.EFORBIDDEN, "only a participant has a form")
	}
	cs, err := a.store.Campaigns(ctx, me.ClusterID)
	if err != nil {
		return "", "", "", err
	}
	for _, c := range cs {
		if c.Status == gm.CampaignOpen {
			return me.ClusterID, c.ID, me.ParticipantID, nil
		}
	}
	if len(cs) > 0 { // all closed: the latest, to read what was sent
		return me.ClusterID, cs[0].ID, me.ParticipantID, nil
	}
	return "", "", "", gm.Errorf(gm.ENOTFOUND, "the cluster has no data collection")
}

// RemindersCSV lists the participants who have not answered (not started,
// draft, returned) for reminders, as a CSV file Russian Excel opens
// (UTF-8 with a byte-order mark, semicolons) (editor).
func (a *App) RemindersCSV(ctx context.Context, me Principal, clusterID, id, lang string, tr Translator) (*Download, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	v, err := a.Campaign(ctx, me, clusterID, id)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.Write([]string{tr(lang, "camp.col.participant"), "id", tr(lang, "camp.col.status"), tr(lang, "camp.col.activity"), tr(lang, "camp.col.completion"), tr(lang, "camp.col.invited")})
	for _, p := range v.Waiting() {
		invited := tr(lang, "no")
		if p.Invited {
			invited = tr(lang, "yes")
		}
		w.Write([]string{tabular.Neutralize(p.Name), p.ParticipantID, tr(lang, "sub.status."+p.Status), p.UpdatedAt, fmt.Sprintf("%.0f%%", 100*p.Completion), invited})
	}
	w.Flush()
	return &Download{Data: append([]byte("\uFEFF"), b.String()...), ContentType: "text/csv; charset=utf-8", FileName: fmt.Sprintf("%s-%d-reminders.csv", clusterID, v.Year)}, nil
}

// Provenance lists who submitted and who accepted each accepted figure of
// the cluster's year (members; 0: every year).
func (a *App) Provenance(ctx context.Context, me Principal, clusterID string, year int) ([]gm.Provenance, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	return a.liveProvenance(ctx, clusterID, year)
}

// liveProvenance is the stored provenance of the figures still in the
// cluster's data: a link, import or capacity replaced since (by an import
// of the SOPC, say) is no longer listed.
func (a *App) liveProvenance(ctx context.Context, clusterID string, year int) ([]gm.Provenance, error) {
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	_, ds, err := a.analyzer.report(ctx, cl, 0)
	if err != nil {
		return nil, err
	}
	live := map[string]bool{}
	for _, l := range ds.Links {
		live["link "+gm.LinkKey(l)] = true
	}
	for _, m := range ds.Imports {
		live["import "+gm.ImportKey(m)] = true
	}
	for _, c := range ds.Capacities {
		live["capacity "+gm.CapacityKey(c)] = true
	}
	all, err := a.store.Provenance(ctx, clusterID, year)
	if err != nil {
		return nil, err
	}
	out := []gm.Provenance{}
	for _, p := range all {
		if (p.Kind != "link" && p.Kind != "import" && p.Kind != "capacity") || live[p.Kind+" "+p.Key] {
			out = append(out, p)
		}
	}
	return out, nil
}
