package sqlstore_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// campaignStore holds sample() in cluster alu, with a 2025 link smelter →
// extruder (from an import, to be replaced by the extruder's report), and a
// cluster beta with one participant.
func campaignStore(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	ds := sample()
	ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: "smelter", BuyerID: "extruder", ProductCode: "24.42.11", Year: 2025, ValueRUB: f(5)})
	if _, err := db.Import(ctx, "alu", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "beta", &gm.Dataset{Participants: []gm.Participant{{ID: "b1", Name: "Б1", Kind: gm.KindEnterprise}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

// openCampaign25 is campaignStore with campaign c25 open for 2025 in alu.
func openCampaign25(t *testing.T, db *sqlstore.DB) gm.Campaign {
	t.Helper()
	campaignStore(t, db)
	c := gm.Campaign{ID: "c25", ClusterID: "alu", Year: 2025, Deadline: "2026-03-31", Status: gm.CampaignOpen, CreatedAt: "2026-01-10T09:00:00Z"}
	if err := db.CreateCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func submitted(campaign, pid string, body gm.Submission) *gm.StoredSubmission {
	return &gm.StoredSubmission{CampaignID: campaign, ClusterID: "alu", ParticipantID: pid, Status: gm.StatusSubmitted, Body: body,
		UpdatedAt: "2026-02-01T10:00:00Z", UpdatedBy: "participant:" + pid, SubmittedAt: "2026-02-01T10:00:00Z", SubmittedBy: "participant:" + pid}
}

func linksOf(t *testing.T, db *sqlstore.DB, year int) []string {
	t.Helper()
	ds, err := db.ClusterData(context.Background(), "alu")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ds.Links {
		if l.Year == year {
			out = append(out, gm.LinkKey(l)+"="+strings.TrimSuffix(gm.FormatNumber("en", *l.ValueRUB, 0), ".0"))
		}
	}
	sort.Strings(out)
	return out
}

func TestCampaignLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		c := openCampaign25(t, db)
		c2 := c
		c2.ID = "c25b"
		if err := db.CreateCampaign(ctx, c2); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("a second open campaign for 2025: %v", err)
		}
		c2.ClusterID = "nope"
		if err := db.CreateCampaign(ctx, c2); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("a campaign of an unknown cluster: %v", err)
		}
		if _, err := db.Campaign(ctx, "beta", "c25"); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("the campaign seen through another cluster: %v", err)
		}

		// A draft, then submitted; once submitted a draft save is refused.
		draft := submitted("c25", "extruder", gm.Submission{})
		draft.Status = gm.StatusDraft
		editable := []string{gm.StatusNotStarted, gm.StatusDraft, gm.StatusReturned}
		if err := db.SaveSubmission(ctx, draft, editable); err != nil || draft.Version != 1 {
			t.Fatalf("draft: %v (version %d)", err, draft.Version)
		}
		body := gm.Submission{
			Indicators: gm.Indicators{ShippedRUB: f(9e8), Employees: f(120)},
			Purchases:  []gm.Purchase{{SupplierID: "smelter", ProductCode: "24.42.11", ValueRUB: f(6e8)}, {SupplierName: "ООО Внешний", ProductCode: "20.30.22", ValueRUB: f(1e6)}},
			Sales:      []gm.Sale{{BuyerID: "windows", ProductCode: "24.42.22", ValueRUB: f(7e8)}},
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(3e7)}},
			Capacities: []gm.SubmittedCapacity{{ProductCode: "24.42.22", ValueRUB: f(1e9), Utilisation: f(70)}},
			Problems:   []gm.ReportedProblem{{Category: gm.CategoryFinance, Text: "Нет оборотных средств", SupportNeeded: "льготный заём"}},
		}
		if err := db.SaveSubmission(ctx, submitted("c25", "extruder", body), editable); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSubmission(ctx, draft, editable); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("a draft over a submitted submission: %v", err)
		}
		before, _ := db.GetCluster(ctx, "alu")

		// Accept: the 2025 link is replaced by the buyer's figure, the sale
		// to windows (which has not answered) keeps the supplier's figure.
		acc := gm.Acceptance{ClusterID: "alu", CampaignID: "c25", ParticipantID: "extruder", AcceptedBy: "editor:e1", AcceptedAt: "2026-02-02T10:00:00Z"}
		if err := db.AcceptSubmission(ctx, acc); err != nil {
			t.Fatal(err)
		}
		want := []string{"extruder|windows|24.42.22|2025=700000000", "smelter|extruder|24.42.11|2025=600000000"}
		if d := cmp.Diff(want, linksOf(t, db, 2025)); d != "" {
			t.Errorf("2025 links (-want +got):\n%s", d)
		}
		if got := linksOf(t, db, 2024); len(got) != 2 {
			t.Errorf("2024 links changed: %v", got)
		}
		after, _ := db.GetCluster(ctx, "alu")
		if after.Version <= before.Version {
			t.Errorf("the data version did not move: %d → %d", before.Version, after.Version)
		}
		ds, _ := db.ClusterData(ctx, "alu")
		var imp []gm.Import
		for _, m := range ds.Imports {
			if m.Year == 2025 {
				imp = append(imp, m)
			}
		}
		if len(imp) != 1 || imp[0].ValueRUB != 3e7 || imp[0].Country != "CN" {
			t.Errorf("2025 imports: %+v", imp)
		}
		ind, _ := db.ReportedIndicators(ctx, "alu", 2025)
		if len(ind) != 1 || *ind[0].Indicators.ShippedRUB != 9e8 || ind[0].Indicators.ExportRUB != nil {
			t.Errorf("indicators: %+v", ind)
		}
		probs, _ := db.ReportedProblems(ctx, "alu", 2025)
		out, _ := db.OutsidePurchases(ctx, "alu", 2025)
		if len(probs) != 1 || probs[0].Category != gm.CategoryFinance || len(out) != 1 || out[0].SupplierName != "ООО Внешний" {
			t.Errorf("problems %+v outside %+v", probs, out)
		}
		prov, _ := db.Provenance(ctx, "alu", 2025)
		kinds := map[string]int{}
		for _, p := range prov {
			kinds[p.Kind]++
			if p.SubmittedBy != "participant:extruder" || p.AcceptedBy != "editor:e1" || p.AcceptedAt == "" {
				t.Errorf("provenance %+v", p)
			}
		}
		if d := cmp.Diff(map[string]int{"link": 2, "import": 1, "capacity": 1, "indicators": 1, "problem": 1, "outside_purchase": 1}, kinds); d != "" {
			t.Errorf("provenance kinds (-want +got):\n%s", d)
		}
		got, _ := db.Submission(ctx, "c25", "extruder")
		if got.Status != gm.StatusAccepted || got.AcceptedBy != "editor:e1" {
			t.Errorf("after accept: %+v", got)
		}
		if err := db.AcceptSubmission(ctx, acc); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("accepted twice: %v", err)
		}
	})
}

// A submission naming a participant of another cluster is refused on
// accept and nothing is written.
func TestAcceptAllOrNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		openCampaign25(t, db)
		body := gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(1)},
			Purchases: []gm.Purchase{{SupplierID: "smelter", ProductCode: "24.42.11", ValueRUB: f(6e8)}, {SupplierID: "b1", ProductCode: "24.42.11", ValueRUB: f(1)}},
			Imports:   []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(3e7)}}}
		if err := db.SaveSubmission(ctx, submitted("c25", "extruder", body), []string{gm.StatusNotStarted}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.GetCluster(ctx, "alu")
		err := db.AcceptSubmission(ctx, gm.Acceptance{ClusterID: "alu", CampaignID: "c25", ParticipantID: "extruder", AcceptedBy: "editor:e1", AcceptedAt: "t"})
		if gm.ErrorCode(err) != gm.EINVALID || !strings.Contains(gm.ErrorDetails(err)[0].MessageRU, "не участник") {
			t.Fatalf("accept with a supplier of another cluster: %v", err)
		}
		if got := linksOf(t, db, 2025); len(got) != 1 || got[0] != "smelter|extruder|24.42.11|2025=5" {
			t.Errorf("links changed: %v", got)
		}
		ind, _ := db.ReportedIndicators(ctx, "alu", 0)
		after, _ := db.GetCluster(ctx, "alu")
		sub, _ := db.Submission(ctx, "c25", "extruder")
		if len(ind) != 0 || after.Version != before.Version || sub.Status != gm.StatusSubmitted {
			t.Errorf("something was stored: indicators %v, version %d → %d, status %s", ind, before.Version, after.Version, sub.Status)
		}
		// A campaign is accepted only through its own cluster.
		if err := db.AcceptSubmission(ctx, gm.Acceptance{ClusterID: "beta", CampaignID: "c25", ParticipantID: "extruder"}); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("accept through another cluster: %v", err)
		}
	})
}

func TestInvitations(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		campaignStore(t, db)
		if err := db.CreateCampaign(ctx, gm.Campaign{ID: "c25", ClusterID: "alu", Year: 2025, Deadline: "2026-03-31", Status: gm.CampaignOpen, CreatedAt: "t"}); err != nil {
			t.Fatal(err)
		}
		invite := func(tok, code string) {
			t.Helper()
			tk := gm.Token{ID: tok, SecretHash: "h" + tok, Role: gm.RoleParticipant, ClusterID: "alu", ParticipantID: "extruder", CreatedAt: "t"}
			if err := db.ReplaceInvitation(ctx, gm.Invitation{CodeHash: code, TokenID: tok, ClusterID: "alu", ParticipantID: "extruder", CampaignID: "c25", CreatedAt: "t"}, tk); err != nil {
				t.Fatal(err)
			}
		}
		invite("aaaaaaaaaaaa", "code1")
		if err := db.CreateSession(ctx, gm.Session{IDHash: "s1", TokenID: "aaaaaaaaaaaa", CSRF: "x", ExpiresAt: "2099-01-01T00:00:00Z"}); err != nil {
			t.Fatal(err)
		}
		invite("bbbbbbbbbbbb", "code2")
		old, _ := db.Token(ctx, "aaaaaaaaaaaa")
		if old.RevokedAt == "" {
			t.Error("the earlier invitation's token was not revoked")
		}
		if _, err := db.Session(ctx, "s1"); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("the revoked token's session lives on: %v", err)
		}
		if nt, _ := db.Token(ctx, "bbbbbbbbbbbb"); nt.ParticipantID != "extruder" || nt.Role != gm.RoleParticipant {
			t.Errorf("new token: %+v", nt)
		}
		if _, err := db.UseInvitation(ctx, "code1"); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("the replaced link: %v", err)
		}
		if inv, err := db.UseInvitation(ctx, "code2"); err != nil || inv.TokenID != "bbbbbbbbbbbb" {
			t.Fatalf("use: %v %+v", err, inv)
		}
		if _, err := db.UseInvitation(ctx, "code2"); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("used twice: %v", err)
		}
		if _, err := db.UseInvitation(ctx, "nope"); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("unknown code: %v", err)
		}
		if invs, _ := db.Invitations(ctx, "c25"); len(invs) != 1 || invs[0].UsedAt == "" {
			t.Errorf("invitations: %+v", invs)
		}
	})
}

// TestAcceptKeepsOtherClustersData: an editor of one cluster accepting a
// submission never replaces the records of a participant, or removes the
// links of a supplier, that also belongs to a cluster it may not change.
func TestAcceptKeepsOtherClustersData(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		campaignStore(t, db)
		share := func(pid string) {
			t.Helper()
			ds, err := db.ClusterData(ctx, "alu")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ds.Participants {
				if p.ID == pid {
					p.Clusters = nil
					if _, err := db.Import(ctx, "beta", &gm.Dataset{Participants: []gm.Participant{p}}, gm.ImportOptions{}); err != nil {
						t.Fatal(err)
					}
					return
				}
			}
			t.Fatalf("no participant %s", pid)
		}
		if err := db.CreateCampaign(ctx, gm.Campaign{ID: "c25", ClusterID: "alu", Year: 2025, Deadline: "2026-03-31", Status: gm.CampaignOpen, CreatedAt: "2026-01-10T09:00:00Z"}); err != nil {
			t.Fatal(err)
		}
		// Figures only: nothing the ownership check of the rows would see.
		body := gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(1)}}
		if err := db.SaveSubmission(ctx, submitted("c25", "extruder", body), []string{gm.StatusNotStarted}); err != nil {
			t.Fatal(err)
		}
		editor := gm.WithWriter(ctx, gm.Writer{Cluster: "alu"})
		acc := gm.Acceptance{ClusterID: "alu", CampaignID: "c25", ParticipantID: "extruder", AcceptedBy: "editor:e1", AcceptedAt: "t"}

		// The buyer itself is shared with beta: refused, nothing stored.
		share("extruder")
		exportBefore := linksOf(t, db, 2025)
		err := db.AcceptSubmission(editor, acc)
		if gm.ErrorCode(err) != gm.EFORBIDDEN || strings.Contains(err.Error(), "beta") {
			t.Fatalf("accepting a participant shared with another cluster: %v", err)
		}
		if d := cmp.Diff(exportBefore, linksOf(t, db, 2025)); d != "" {
			t.Errorf("links changed by a refused accept:\n%s", d)
		}
		if sub, _ := db.Submission(ctx, "c25", "extruder"); sub.Status != gm.StatusSubmitted {
			t.Errorf("status after a refused accept: %s", sub.Status)
		}
		// An admin may accept it.
		if err := db.AcceptSubmission(ctx, acc); err != nil {
			t.Fatalf("admin accept: %v", err)
		}
	})
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		campaignStore(t, db)
		ds, _ := db.ClusterData(ctx, "alu")
		for _, p := range ds.Participants {
			if p.ID == "smelter" {
				p.Clusters = nil
				if _, err := db.Import(ctx, "beta", &gm.Dataset{Participants: []gm.Participant{p}}, gm.ImportOptions{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.CreateCampaign(ctx, gm.Campaign{ID: "c25", ClusterID: "alu", Year: 2025, Deadline: "2026-03-31", Status: gm.CampaignOpen, CreatedAt: "2026-01-10T09:00:00Z"}); err != nil {
			t.Fatal(err)
		}
		body := gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(1)},
			Purchases: []gm.Purchase{{SupplierID: "windows", ProductCode: "24.42.11", ValueRUB: f(7)}}}
		if err := db.SaveSubmission(ctx, submitted("c25", "extruder", body), []string{gm.StatusNotStarted}); err != nil {
			t.Fatal(err)
		}
		// The supplier smelter is shared with beta: its link into the
		// extruder stays; the reported purchase is added.
		editor := gm.WithWriter(ctx, gm.Writer{Cluster: "alu"})
		if err := db.AcceptSubmission(editor, gm.Acceptance{ClusterID: "alu", CampaignID: "c25", ParticipantID: "extruder", AcceptedBy: "editor:e1", AcceptedAt: "t"}); err != nil {
			t.Fatal(err)
		}
		want := []string{"smelter|extruder|24.42.11|2025=5", "windows|extruder|24.42.11|2025=7"}
		if d := cmp.Diff(want, linksOf(t, db, 2025)); d != "" {
			t.Errorf("2025 links (-want +got):\n%s", d)
		}
	})
}

// TestCloseCampaign: only the cluster's editor closes or reopens a campaign;
// a closed campaign refuses every submission write in the same
// transaction, accepting still works; reopening needs the year free.
func TestCloseCampaign(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		c := openCampaign25(t, db)
		editable := []string{gm.StatusNotStarted, gm.StatusDraft, gm.StatusReturned}
		if err := db.SaveSubmission(ctx, submitted("c25", "extruder", gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(9)}}), editable); err != nil {
			t.Fatal(err)
		}
		for _, w := range []gm.Writer{{Cluster: "beta"}, {Cluster: "alu", Participant: "extruder"}} {
			if _, err := db.SetCampaignStatus(gm.WithWriter(ctx, w), "alu", "c25", gm.CampaignClosed); gm.ErrorCode(err) != gm.EFORBIDDEN {
				t.Errorf("closed by %+v: %v", w, err)
			}
		}
		if _, err := db.SetCampaignStatus(ctx, "beta", "c25", gm.CampaignClosed); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("closed through another cluster: %v", err)
		}
		editor := gm.WithWriter(ctx, gm.Writer{Cluster: "alu"})
		got, err := db.SetCampaignStatus(editor, "alu", "c25", gm.CampaignClosed)
		if err != nil || got.Status != gm.CampaignClosed || got.Year != 2025 {
			t.Fatalf("close: %+v %v", got, err)
		}
		if _, err := db.SetCampaignStatus(editor, "alu", "c25", gm.CampaignClosed); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("closed twice: %v", err)
		}
		draft := submitted("c25", "windows", gm.Submission{})
		draft.Status = gm.StatusDraft
		if err := db.SaveSubmission(ctx, draft, editable); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("a draft in a closed campaign: %v", err)
		}
		if _, err := db.Submission(ctx, "c25", "windows"); gm.ErrorCode(err) != gm.ENOTFOUND {
			t.Errorf("the refused draft was stored: %v", err)
		}
		acc := gm.Acceptance{ClusterID: "alu", CampaignID: "c25", ParticipantID: "extruder", AcceptedBy: "editor:e1", AcceptedAt: "2026-04-02T10:00:00Z"}
		if err := db.AcceptSubmission(ctx, acc); err != nil {
			t.Errorf("accepting in a closed campaign: %v", err)
		}
		c2 := c
		c2.ID = "c25b"
		if err := db.CreateCampaign(ctx, c2); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetCampaignStatus(editor, "alu", "c25", gm.CampaignOpen); gm.ErrorCode(err) != gm.ECONFLICT {
			t.Errorf("reopened beside another open campaign of 2025: %v", err)
		}
		if _, err := db.SetCampaignStatus(editor, "alu", "c25b", gm.CampaignClosed); err != nil {
			t.Fatal(err)
		}
		if got, err := db.SetCampaignStatus(editor, "alu", "c25", gm.CampaignOpen); err != nil || got.Status != gm.CampaignOpen {
			t.Fatalf("reopen: %+v %v", got, err)
		}
		if err := db.SaveSubmission(ctx, draft, editable); err != nil {
			t.Errorf("a draft after reopening: %v", err)
		}
	})
}
