package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// editable are the statuses in which a submission may be changed.
var editable = []string{gm.StatusNotStarted, gm.StatusDraft, gm.StatusReturned}

// SubmissionView is a participant's submission as GET …/submissions/{pid}
// answers it: the submission's sections at the top level (the body of PUT)
// and, beside them, read-only facts: status, history, the problems a submit
// would refuse, the warnings, completion.
type SubmissionView struct {
	CampaignID      string `json:"campaign_id"`
	ClusterID       string `json:"cluster_id"`
	ParticipantID   string `json:"participant_id"`
	ParticipantName string `json:"participant_name"`
	Year            int    `json:"year"`
	Deadline        string `json:"deadline"`
	Status          string `json:"status"`
	Comment         string `json:"comment,omitempty"`
	// Prefilled says a submission not saved yet starts from the
	// participant's accepted data of the previous year.
	Prefilled   bool    `json:"prefilled"`
	Version     int64   `json:"version"`
	UpdatedAt   string  `json:"updated_at,omitempty"`
	UpdatedBy   string  `json:"updated_by,omitempty"`
	SubmittedAt string  `json:"submitted_at,omitempty"`
	SubmittedBy string  `json:"submitted_by,omitempty"`
	ReturnedAt  string  `json:"returned_at,omitempty"`
	ReturnedBy  string  `json:"returned_by,omitempty"`
	AcceptedAt  string  `json:"accepted_at,omitempty"`
	AcceptedBy  string  `json:"accepted_by,omitempty"`
	Completion  float64 `json:"completion"`
	gm.Submission
	Flags  []gm.Flag    `json:"flags"`
	Errors []gm.Problem `json:"errors"`

	// For the pages: last year's data (hints), the cluster's participants
	// (id → name) to pick from, whether the campaign is open, and the
	// provenance of the accepted figures (editors).
	Previous   *gm.Submission    `json:"-"`
	Members    map[string]string `json:"-"`
	Products   map[string]string `json:"-"` // names of the codes used here and last year
	Open       bool              `json:"-"`
	Provenance []gm.Provenance   `json:"-"`
}

// Editable reports whether the submission may still be changed.
func (v *SubmissionView) Editable() bool {
	return v.Open && (v.Status == gm.StatusNotStarted || v.Status == gm.StatusDraft || v.Status == gm.StatusReturned)
}

// ownCollection checks that the caller may see participant pid's
// submission (its editor or the participant itself) and loads the campaign.
func (a *App) ownCollection(ctx context.Context, me Principal, clusterID, id, pid string) (*collection, error) {
	if err := Own.CheckOn(me, Target{Cluster: clusterID, Participant: pid}); err != nil {
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
	if k.members[pid] == "" {
		return nil, gm.Errorf(gm.ENOTFOUND, "participant %q is not in cluster %s", pid, clusterID)
	}
	return k, nil
}

// view lays out pid's submission for the caller: the stored one, or a new
// one prefilled from last year's accepted data. Only editors see what
// reconciliation says (it names another company's figure).
func (a *App) view(ctx context.Context, me Principal, k *collection, pid string) (*SubmissionView, error) {
	c := k.c
	v := &SubmissionView{CampaignID: c.ID, ClusterID: c.ClusterID, ParticipantID: pid, ParticipantName: k.members[pid], Year: c.Year, Deadline: c.Deadline,
		Status: gm.StatusNotStarted, Previous: k.prev.of(pid), Members: k.members, Open: c.Status == gm.CampaignOpen}
	if s, ok := k.subs[pid]; ok {
		v.Status, v.Comment, v.Version, v.Submission = s.Status, s.Comment, s.Version, s.Body
		v.UpdatedAt, v.UpdatedBy, v.SubmittedAt, v.SubmittedBy = s.UpdatedAt, s.UpdatedBy, s.SubmittedAt, s.SubmittedBy
		v.ReturnedAt, v.ReturnedBy, v.AcceptedAt, v.AcceptedBy = s.ReturnedAt, s.ReturnedBy, s.AcceptedAt, s.AcceptedBy
	} else if v.Previous != nil {
		v.Submission, v.Prefilled = copySubmission(*v.Previous), true
	}
	v.Submission.Lists()
	body := v.Submission
	v.Errors, v.Flags = body.Validate(k.context(pid))
	if v.Errors == nil {
		v.Errors = []gm.Problem{}
	}
	if v.Flags == nil {
		v.Flags = []gm.Flag{}
	}
	v.Completion = body.Completion()
	v.Products = productNames(k.products, &v.Submission, v.Previous)
	if me.CanWrite(c.ClusterID) {
		var mine []gm.Disagreement
		for _, d := range gm.Reconcile(k.reported(), gm.ReconcileTolerance) {
			if d.SupplierID == pid || d.BuyerID == pid {
				mine = append(mine, d)
			}
		}
		v.Flags = append(v.Flags, k.disagreeFlags(pid, mine)...)
		if v.Status == gm.StatusAccepted {
			prov, err := a.liveProvenance(ctx, c.ClusterID, c.Year)
			if err != nil {
				return nil, err
			}
			for _, p := range prov {
				if p.CampaignID == c.ID && (p.ParticipantID == pid || p.Kind == "link" && strings.Contains("|"+p.Key, "|"+pid+"|")) {
					v.Provenance = append(v.Provenance, p)
				}
			}
		}
	}
	return v, nil
}

// productNames are the catalogue names of the codes a submission (and last
// year's) uses.
func productNames(all map[string]string, subs ...*gm.Submission) map[string]string {
	out := map[string]string{}
	add := func(c string) {
		if n, ok := all[c]; ok {
			out[c] = n
		}
	}
	for _, s := range subs {
		if s == nil {
			continue
		}
		for _, x := range s.Purchases {
			add(x.ProductCode)
		}
		for _, x := range s.Sales {
			add(x.ProductCode)
		}
		for _, x := range s.Imports {
			add(x.ProductCode)
		}
		for _, x := range s.Capacities {
			add(x.ProductCode)
		}
	}
	return out
}

// copySubmission copies a submission's lists, so that a prefilled one can
// be changed without touching last year's.
func copySubmission(s gm.Submission) gm.Submission {
	s.Purchases = append([]gm.Purchase(nil), s.Purchases...)
	s.Sales = append([]gm.Sale(nil), s.Sales...)
	s.Imports = append([]gm.SubmittedImport(nil), s.Imports...)
	s.Capacities = append([]gm.SubmittedCapacity(nil), s.Capacities...)
	s.Problems = append([]gm.ReportedProblem(nil), s.Problems...)
	return s
}

// Submission returns participant pid's submission (its editor or the
// participant): the stored one, or a new one prefilled from its accepted
// data of the previous year.
func (a *App) Submission(ctx context.Context, me Principal, clusterID, id, pid string) (*SubmissionView, error) {
	k, err := a.ownCollection(ctx, me, clusterID, id, pid)
	if err != nil {
		return nil, err
	}
	return a.view(ctx, me, k, pid)
}

// stored is the record a change makes of pid's submission, keeping its
// history.
func (k *collection) stored(me Principal, pid string, body gm.Submission) gm.StoredSubmission {
	body.Normalize()
	body.Lists()
	st := gm.StoredSubmission{CampaignID: k.c.ID, ClusterID: k.c.ClusterID, ParticipantID: pid, Status: gm.StatusDraft, Body: body, UpdatedAt: now(), UpdatedBy: me.Who()}
	if cur, ok := k.subs[pid]; ok {
		st.Comment, st.SubmittedAt, st.SubmittedBy, st.ReturnedAt, st.ReturnedBy = cur.Comment, cur.SubmittedAt, cur.SubmittedBy, cur.ReturnedAt, cur.ReturnedBy
		if cur.Status == gm.StatusReturned {
			st.Status = gm.StatusReturned // it stays with the participant until submitted again
		}
	}
	return st
}

func (k *collection) checkOpen() error {
	if k.c.Status != gm.CampaignOpen {
		return gm.Errorf(gm.ECONFLICT, "the campaign is closed")
	}
	return nil
}

// SaveSubmission saves a draft of participant pid's submission (the
// participant or its editor); ECONFLICT once submitted or accepted. A draft
// may be incomplete or wrong: the problems are in the answer, and submit
// refuses them.
func (a *App) SaveSubmission(ctx context.Context, me Principal, clusterID, id, pid string, body gm.Submission) (*SubmissionView, error) {
	k, err := a.ownCollection(ctx, me, clusterID, id, pid)
	if err != nil {
		return nil, err
	}
	if err := k.checkOpen(); err != nil {
		return nil, err
	}
	st := k.stored(me, pid, body)
	if err := a.store.SaveSubmission(as(ctx, me), &st, editable); err != nil {
		return nil, err
	}
	k.subs[pid] = st
	return a.view(ctx, me, k, pid)
}

// SubmitSubmission submits participant pid's submission (the participant
// or its editor): body, or the saved draft (the prefilled one when nothing
// was saved) when body is nil. An invalid one is refused with every problem
// and nothing is stored.
func (a *App) SubmitSubmission(ctx context.Context, me Principal, clusterID, id, pid string, body *gm.Submission) (*SubmissionView, error) {
	k, err := a.ownCollection(ctx, me, clusterID, id, pid)
	if err != nil {
		return nil, err
	}
	if err := k.checkOpen(); err != nil {
		return nil, err
	}
	var sub gm.Submission
	switch cur, ok := k.subs[pid]; {
	case body != nil:
		sub = *body
	case ok:
		sub = cur.Body
	case k.prev.of(pid) != nil:
		sub = copySubmission(*k.prev.of(pid))
	}
	st := k.stored(me, pid, sub)
	if cur, ok := k.subs[pid]; ok && !isOneOf(cur.Status, editable) {
		return nil, gm.Errorf(gm.ECONFLICT, "the submission is %s already", cur.Status)
	}
	if errs, _ := st.Body.Validate(k.context(pid)); len(errs) > 0 {
		return nil, gm.Invalid(fmt.Sprintf("%d problem(s) to fix; nothing was submitted", len(errs)), errs)
	}
	st.Status, st.SubmittedAt, st.SubmittedBy = gm.StatusSubmitted, st.UpdatedAt, st.UpdatedBy
	if err := a.store.SaveSubmission(as(ctx, me), &st, editable); err != nil {
		return nil, err
	}
	k.subs[pid] = st
	return a.view(ctx, me, k, pid)
}

// AcceptSubmission writes a submitted submission into the cluster's data
// for the campaign year, all or nothing, with its provenance (editor).
func (a *App) AcceptSubmission(ctx context.Context, me Principal, clusterID, id, pid string) (*SubmissionView, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	if _, err := a.store.Campaign(ctx, clusterID, id); err != nil {
		return nil, err
	}
	if err := a.store.AcceptSubmission(as(ctx, me), gm.Acceptance{ClusterID: clusterID, CampaignID: id, ParticipantID: pid, AcceptedBy: me.Who(), AcceptedAt: now()}); err != nil {
		return nil, err
	}
	return a.Submission(ctx, me, clusterID, id, pid)
}

// ReturnSubmission sends a submitted submission back to the participant
// with a comment (editor).
func (a *App) ReturnSubmission(ctx context.Context, me Principal, clusterID, id, pid, comment string) (*SubmissionView, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	if comment == "" || utf8.RuneCountInString(comment) > gm.MaxProblemText {
		return nil, gm.Invalid("a comment is required", []gm.Problem{{Column: "comment", Message: "say what to correct (at most 2000 characters)", MessageRU: "напишите, что нужно исправить (не более 2000 символов)"}})
	}
	if _, err := a.store.Campaign(ctx, clusterID, id); err != nil {
		return nil, err
	}
	cur, err := a.store.Submission(ctx, id, pid)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		return nil, gm.Errorf(gm.ECONFLICT, "nothing was submitted yet")
	}
	if err != nil {
		return nil, err
	}
	st := *cur
	st.Status, st.Comment, st.ReturnedAt, st.ReturnedBy, st.UpdatedAt, st.UpdatedBy = gm.StatusReturned, comment, now(), me.Who(), now(), me.Who()
	if err := a.store.SaveSubmission(as(ctx, me), &st, []string{gm.StatusSubmitted}); err != nil {
		return nil, err
	}
	return a.Submission(ctx, me, clusterID, id, pid)
}

// prevYear is a cluster's accepted data of one year, laid out as each
// participant's submission (what a new submission of the next year starts
// from).
type prevYear struct {
	year int
	subs map[string]*gm.Submission
}

// of is participant pid's accepted data of the year (nil: none).
func (p prevYear) of(pid string) *gm.Submission { return p.subs[pid] }

// loadPrevYear gathers a year's accepted data: links (purchases from and
// sales to participants), imports and capacities from the cluster's data;
// indicators, problems and purchases from outside the cluster from what
// campaigns accepted; utilisation from that year's accepted submissions.
func (a *App) loadPrevYear(ctx context.Context, clusterID string, year int, ds *gm.Dataset) (prevYear, error) {
	p := prevYear{year: year, subs: map[string]*gm.Submission{}}
	members := map[string]bool{}
	for _, m := range ds.Participants {
		members[m.ID] = true
	}
	get := func(pid string) *gm.Submission {
		if p.subs[pid] == nil {
			p.subs[pid] = &gm.Submission{}
		}
		return p.subs[pid]
	}
	for _, l := range ds.Links {
		if l.Year != year || !members[l.SupplierID] || !members[l.BuyerID] {
			continue
		}
		get(l.BuyerID).Purchases = append(get(l.BuyerID).Purchases, gm.Purchase{SupplierID: l.SupplierID, ProductCode: l.ProductCode, ValueRUB: l.ValueRUB, Quantity: l.Quantity, Unit: l.Unit, Documented: l.Documented})
		get(l.SupplierID).Sales = append(get(l.SupplierID).Sales, gm.Sale{BuyerID: l.BuyerID, ProductCode: l.ProductCode, ValueRUB: l.ValueRUB, Quantity: l.Quantity, Unit: l.Unit, Documented: l.Documented})
	}
	for _, m := range ds.Imports {
		if m.Year == year && members[m.ParticipantID] {
			get(m.ParticipantID).Imports = append(get(m.ParticipantID).Imports, gm.SubmittedImport{ProductCode: m.ProductCode, Country: m.Country, ValueRUB: gm.Ptr(m.ValueRUB), Quantity: m.Quantity, Unit: m.Unit})
		}
	}
	for _, m := range ds.Capacities {
		if m.Year == year && members[m.ParticipantID] {
			get(m.ParticipantID).Capacities = append(get(m.ParticipantID).Capacities, gm.SubmittedCapacity{ProductCode: m.ProductCode, ValueRUB: gm.Ptr(m.ValueRUB)})
		}
	}
	if err := a.addReported(ctx, clusterID, year, members, get); err != nil {
		return p, err
	}
	for _, s := range p.subs {
		sortByValue(s)
	}
	return p, nil
}

// addReported adds what campaigns accepted for the year: indicators,
// purchases from outside the cluster, problems and utilisation.
func (a *App) addReported(ctx context.Context, clusterID string, year int, members map[string]bool, get func(string) *gm.Submission) error {
	ind, err := a.store.ReportedIndicators(ctx, clusterID, year)
	if err != nil {
		return err
	}
	for _, r := range ind {
		if members[r.ParticipantID] {
			get(r.ParticipantID).Indicators = r.Indicators
		}
	}
	out, err := a.store.OutsidePurchases(ctx, clusterID, year)
	if err != nil {
		return err
	}
	for _, r := range out {
		if members[r.ParticipantID] {
			get(r.ParticipantID).Purchases = append(get(r.ParticipantID).Purchases, r.Purchase)
		}
	}
	probs, err := a.store.ReportedProblems(ctx, clusterID, year)
	if err != nil {
		return err
	}
	for _, r := range probs {
		if members[r.ParticipantID] {
			get(r.ParticipantID).Problems = append(get(r.ParticipantID).Problems, r.ReportedProblem)
		}
	}
	cs, err := a.store.Campaigns(ctx, clusterID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Year != year {
			continue
		}
		subs, err := a.store.Submissions(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, s := range subs {
			if s.Status != gm.StatusAccepted || !members[s.ParticipantID] {
				continue
			}
			caps := get(s.ParticipantID).Capacities
			for _, sc := range s.Body.Capacities {
				for i := range caps {
					if caps[i].ProductCode == sc.ProductCode && caps[i].Utilisation == nil {
						caps[i].Utilisation = sc.Utilisation
					}
				}
			}
		}
	}
	return nil
}

// sortByValue orders a prefilled submission's rows with the largest value
// first (the main suppliers, buyers and imports on top).
func sortByValue(s *gm.Submission) {
	sort.SliceStable(s.Purchases, func(i, j int) bool { return deref(s.Purchases[i].ValueRUB) > deref(s.Purchases[j].ValueRUB) })
	sort.SliceStable(s.Sales, func(i, j int) bool { return deref(s.Sales[i].ValueRUB) > deref(s.Sales[j].ValueRUB) })
	sort.SliceStable(s.Imports, func(i, j int) bool { return deref(s.Imports[i].ValueRUB) > deref(s.Imports[j].ValueRUB) })
	sort.SliceStable(s.Capacities, func(i, j int) bool { return deref(s.Capacities[i].ValueRUB) > deref(s.Capacities[j].ValueRUB) })
}

func deref(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
