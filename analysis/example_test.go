package analysis_test

import (
	"context"
	"fmt"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// chainDataset is a small cooperation chain: a smelter supplies a rolling
// mill, which supplies two final producers; one of them imports sealant.
func chainDataset() *gm.Dataset {
	v := func(f float64) *float64 { return &f }
	return &gm.Dataset{
		Participants: []gm.Participant{
			{ID: "smelter", Name: "Завод первичного алюминия", Kind: gm.KindEnterprise},
			{ID: "mill", Name: "Прокатный завод", Kind: gm.KindEnterprise},
			{ID: "windows", Name: "Оконный завод", Kind: gm.KindEnterprise, FinalProducer: true},
			{ID: "facades", Name: "Фасадные системы", Kind: gm.KindEnterprise, FinalProducer: true},
		},
		Links: []gm.SupplyLink{
			{SupplierID: "smelter", BuyerID: "mill", ProductCode: "24.42.11", Year: 2024, ValueRUB: v(900e6)},
			{SupplierID: "mill", BuyerID: "windows", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(300e6)},
			{SupplierID: "mill", BuyerID: "facades", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(200e6)},
		},
		Imports: []gm.Import{{ParticipantID: "windows", ProductCode: "20.52.10", Year: 2024, ValueRUB: 40e6, Country: "CN"}},
	}
}

// Analyze turns a dataset into the report: per-participant metrics (here
// the processing stage, передел, counted from 0 at the sources), cycles,
// import gaps, niches and the PP-779 checklist.
func ExampleAnalyze() {
	rep, err := analysis.Analyze(context.Background(), chainDataset(), analysis.Options{})
	if err != nil {
		panic(err)
	}
	for _, p := range rep.Participants {
		fmt.Printf("%s: stage %d, %d supplier(s), %d buyer(s)\n", p.ID, p.Stage, p.InDegree, p.OutDegree)
	}
	fmt.Println("cycles:", len(rep.Cycles))
	// Output:
	// smelter: stage 0, 0 supplier(s), 1 buyer(s)
	// mill: stage 1, 1 supplier(s), 2 buyer(s)
	// windows: stage 2, 1 supplier(s), 0 buyer(s)
	// facades: stage 2, 1 supplier(s), 0 buyer(s)
	// cycles: 0
}

// ChainOfParticipant lists what is upstream (suppliers, their suppliers…)
// and downstream of a participant.
func ExampleChainOfParticipant() {
	c, err := analysis.ChainOfParticipant(chainDataset(), "mill")
	if err != nil {
		panic(err)
	}
	fmt.Println("upstream:", c.Upstream)
	fmt.Println("downstream:", c.Downstream)
	// Output:
	// upstream: [smelter]
	// downstream: [facades windows]
}

// LocationQuotients compares a region's share of an industry's employment
// with the industry's share of all employment: above 1 the region
// specialises in it.
func ExampleLocationQuotients() {
	lqs := analysis.LocationQuotients([]gm.Employment{
		{Region: "Омская область", Industry: "химия", Employees: 300},
		{Region: "Омская область", Industry: "торговля", Employees: 700},
		{Region: "Томская область", Industry: "химия", Employees: 100},
		{Region: "Томская область", Industry: "торговля", Employees: 900},
	})
	for _, l := range lqs {
		fmt.Printf("%s, %s: %.2f\n", l.Region, l.Industry, *l.LQ)
	}
	// Output:
	// Омская область, торговля: 0.88
	// Омская область, химия: 1.50
	// Томская область, торговля: 1.12
	// Томская область, химия: 0.50
}

// Compare sets a what-if scenario's report against the base: here a planned
// producer of sealant closes the niche.
func ExampleCompare() {
	ds := chainDataset()
	base, _ := analysis.Analyze(context.Background(), ds, analysis.Options{})
	sc := &analysis.Scenario{Changes: []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "sealant", Name: "Новый завод герметиков"}},
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "sealant", ProductCode: "20.52.10", Year: 2024, ValueRUB: 50e6}},
	}}
	sds, err := sc.Apply(ds)
	if err != nil {
		panic(err)
	}
	scen, _ := analysis.Analyze(context.Background(), sds, analysis.Options{})
	c := analysis.Compare(base, scen)
	fmt.Printf("total gap %.0f → %.0f RUB\n", c.BaseTotalGapRUB, c.TotalGapRUB)
	for _, n := range c.Niches {
		fmt.Printf("%s closed: %v\n", n.ProductCode, n.Closed)
	}
	// Output:
	// total gap 40000000 → 0 RUB
	// 20.52.10 closed: true
}
