package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/sqlstore"
)

// The cross-cluster niche list walks every cluster once per data version:
// repeated requests compute nothing again (before, a 64-report FIFO cache
// under 104 clusters recomputed every cluster on every request), and a
// change to the data makes it walk again.
func TestPublishedNichesComputedOncePerVersion(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seed, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadSeed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Deps{Store: db})
	inv := app.Principal{Role: gm.RoleInvestor}
	first, err := a.PublishedNiches(ctx, inv, "")
	if err != nil || len(first) == 0 {
		t.Fatalf("%d niches, %v", len(first), err)
	}
	n := a.Computed()
	if n < 100 {
		t.Fatalf("the first request computed %d reports; the registry has over 100 clusters", n)
	}
	for i := 0; i < 3; i++ {
		if _, err := a.PublishedNiches(ctx, inv, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := a.Computed(); got != n {
		t.Errorf("repeated requests computed %d more reports", got-n)
	}
	// Another cluster's change: only that cluster is analysed again.
	if _, err := db.Import(ctx, "ru-006", &gm.Dataset{Participants: []gm.Participant{{ID: "cache-test", Name: "Тест", Kind: gm.KindEnterprise}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PublishedNiches(ctx, inv, ""); err != nil {
		t.Fatal(err)
	}
	if got := a.Computed(); got != n+1 {
		t.Errorf("after one cluster changed, %d reports were computed (want 1)", got-n)
	}
	// Investors only: the public cannot list niches.
	if _, err := a.PublishedNiches(ctx, app.Principal{}, ""); gm.ErrorCode(err) != gm.EUNAUTHORIZED {
		t.Errorf("public: %v", err)
	}
}
