package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// The national scale: 104 clusters × 50 participants × 3 years of accepted
// indicators (15,600 records), stored once per test binary.
var (
	bigNationalOnce sync.Once
	bigNationalDB   *sqlstore.DB
	bigNationalErr  error
)

var nationalRegions = []string{"Омская область", "Новосибирская область", "Республика Татарстан", "Свердловская область", "Московская область",
	"Санкт-Петербург", "Ростовская область", "Приморский край", "Республика Башкортостан", "Челябинская область", "Нижегородская область",
	"Самарская область", "Красноярский край", "Калужская область", "Ульяновская область", "Тульская область", "Пермский край"}

// bigNational stores the dataset through the store's campaign path
// (create campaign, save a submitted submission, accept it).
func bigNational(b *testing.B) *sqlstore.DB {
	b.Helper()
	bigNationalOnce.Do(func() {
		start := time.Now()
		dir, err := os.MkdirTemp("", "coopchain-national-bench")
		if err != nil {
			bigNationalErr = err
			return
		}
		bigNationalDB, bigNationalErr = fillNational(filepath.Join(dir, "nat.db"))
		fmt.Fprintf(os.Stderr, "national bench data: 104 clusters × 50 participants × 3 years stored in %s\n", time.Since(start).Round(time.Second))
	})
	if bigNationalErr != nil {
		b.Fatal(bigNationalErr)
	}
	return bigNationalDB
}

func fillNational(path string) (*sqlstore.DB, error) {
	ctx := gm.WithWriter(context.Background(), gm.AdminWriter)
	db, err := sqlstore.Open(ctx, path, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	for c := 0; c < 104; c++ {
		id := fmt.Sprintf("ru-%03d", c+1)
		ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: id, Name: fmt.Sprintf("Кластер %d", c+1), Kind: gm.ClusterIndustrial, RegistryNo: c + 1,
			Regions: []string{nationalRegions[c%len(nationalRegions)]}}}}
		for p := 0; p < 50; p++ {
			ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("%s-p%02d", id, p), Name: fmt.Sprintf("Предприятие %d", p), Kind: gm.KindEnterprise})
		}
		if _, err := db.Import(ctx, id, ds, gm.ImportOptions{}); err != nil {
			return nil, err
		}
		for y := 2023; y <= 2025; y++ {
			camp := gm.Campaign{ID: fmt.Sprintf("%d-%s", y, id), ClusterID: id, Year: y, Deadline: fmt.Sprintf("%d-03-31", y+1), Status: gm.CampaignOpen, CreatedAt: "2026-01-10T09:00:00Z"}
			if err := db.CreateCampaign(ctx, camp); err != nil {
				return nil, err
			}
			for p, part := range ds.Participants {
				v := float64((c*31+p*7+y)%97+1) * 1e7
				in := gm.Indicators{ShippedRUB: gm.Ptr(v), ValueAddedRUB: gm.Ptr(v / 3), MaterialsRUB: gm.Ptr(v / 2), InvestmentRUB: gm.Ptr(v / 10), TaxesRUB: gm.Ptr(v / 12),
					Employees: gm.Ptr(float64(50 + p))}
				if p%3 == 0 {
					in.ExportRUB = gm.Ptr(v / 5)
				}
				st := &gm.StoredSubmission{CampaignID: camp.ID, ClusterID: id, ParticipantID: part.ID, Status: gm.StatusSubmitted, Body: gm.Submission{Indicators: in},
					UpdatedAt: "2026-02-01T10:00:00Z", UpdatedBy: "admin:bench", SubmittedAt: "2026-02-01T10:00:00Z", SubmittedBy: "admin:bench"}
				if err := db.SaveSubmission(ctx, st, []string{gm.StatusNotStarted}); err != nil {
					return nil, err
				}
				if err := db.AcceptSubmission(ctx, gm.Acceptance{ClusterID: id, CampaignID: camp.ID, ParticipantID: part.ID, AcceptedBy: "admin:bench", AcceptedAt: "2026-02-02T10:00:00Z"}); err != nil {
					return nil, err
				}
			}
		}
	}
	return db, nil
}

// percentiles reports p50 and p99 of the measured calls, in ms.
func percentiles(b *testing.B, d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) / 1e6 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkNationalIndicatorsWarm: GET /api/v1/indicators' use case on the
// national scale, each level in turn, the year's tables cached for the
// data version (warm: the data version is still read on every call).
func BenchmarkNationalIndicatorsWarm(b *testing.B) {
	db := bigNational(b)
	a := app.New(app.Deps{Store: db})
	ctx := context.Background()
	me := app.Principal{Role: gm.RoleAnalyst}
	levels := []string{"cluster", "region", "district"}
	if _, err := a.NationalIndicators(ctx, me, 2025, "cluster"); err != nil {
		b.Fatal(err)
	}
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		v, err := a.NationalIndicators(ctx, me, 2025, levels[i%3])
		d = append(d, time.Since(t))
		if err != nil || v.Total.ParticipantsReported != 104*50 {
			b.Fatalf("%v %+v", err, v.Total)
		}
	}
	percentiles(b, d)
}

// BenchmarkNationalIndicatorsCold: the first call after a change (a new
// App: nothing cached) reads the 15,600 records of the 104 clusters and
// computes the year's and last year's tables.
func BenchmarkNationalIndicatorsCold(b *testing.B) {
	db := bigNational(b)
	ctx := context.Background()
	me := app.Principal{Role: gm.RoleAnalyst}
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := app.New(app.Deps{Store: db})
		t := time.Now()
		v, err := a.NationalIndicators(ctx, me, 2025, "region")
		d = append(d, time.Since(t))
		if err != nil || v.Total.ParticipantsReported != 104*50 {
			b.Fatalf("%v %+v", err, v.Total)
		}
	}
	percentiles(b, d)
}
