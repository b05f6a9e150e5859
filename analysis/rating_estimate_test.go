package analysis

import (
	"math"
	"math/rand"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// A small method: a count in S1 (weight 10), a presence in S2 (weight 5)
// and an indicator without data in S3 (weight 4).
func smallMethod() RatingMethod {
	return RatingMethod{Indicators: []RatingIndicator{
		{Key: "a", Block: BlockS1, Weight: 10, Computed: true},
		{Key: "b", Block: BlockS2, Weight: 5, Presence: true, Computed: true},
		{Key: "c", Block: BlockS3, Weight: 4},
	}}
}

func smallFacts() []RegionFacts {
	return []RegionFacts{
		{Region: "Р3", Values: map[string]*float64{"a": gm.Ptr(1.0)}},
		{Region: "Р1", Values: map[string]*float64{"a": gm.Ptr(4.0), "b": gm.Ptr(3.0)}},
		{Region: "Р2", Values: map[string]*float64{"a": gm.Ptr(2.0), "b": gm.Ptr(0.0)}, Partial: map[string]bool{"a": true}},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Hand-computed: max a = 4, max b (presence) = 1.
// Р1: 10·4/4 + 5·1/1 = 15; Р2: 10·2/4 + 0 = 5; Р3: 10·1/4 = 2.5, b no data.
func TestEstimateRatingHandComputed(t *testing.T) {
	es := EstimateRating(smallMethod(), smallFacts())
	want := []struct {
		region     string
		rank       int
		s1, s2, t  float64
		bNil, cNil bool
	}{{"Р1", 1, 10, 5, 15, false, true}, {"Р2", 2, 5, 0, 5, false, true}, {"Р3", 3, 2.5, 0, 2.5, true, true}}
	if len(es) != 3 {
		t.Fatalf("%d regions", len(es))
	}
	for i, w := range want {
		e := es[i]
		if e.Region != w.region || e.Rank != w.rank || !near(e.Block(BlockS1), w.s1) || !near(e.Block(BlockS2), w.s2) || !near(e.Total, w.t) {
			t.Errorf("row %d: %s rank %d S1 %v S2 %v total %v; want %+v", i, e.Region, e.Rank, e.Block(BlockS1), e.Block(BlockS2), e.Total, w)
		}
		if (e.Indicators[1].Points == nil) != w.bNil || (e.Indicators[2].Value == nil) != w.cNil {
			t.Errorf("%s: no-data marks wrong: %+v", e.Region, e.Indicators)
		}
		if *e.Indicators[0].Max != 4 {
			t.Errorf("max of a = %v, want 4", *e.Indicators[0].Max)
		}
	}
	if !es[1].Indicators[0].Partial || es[0].Indicators[0].Partial {
		t.Error("the partial mark is lost")
	}
}

func TestEstimateRatingTiesShareRank(t *testing.T) {
	fs := []RegionFacts{{Region: "Б", Values: map[string]*float64{"a": gm.Ptr(2.0)}}, {Region: "А", Values: map[string]*float64{"a": gm.Ptr(2.0)}},
		{Region: "В", Values: map[string]*float64{"a": gm.Ptr(1.0)}}}
	es := EstimateRating(smallMethod(), fs)
	if es[0].Region != "А" || es[0].Rank != 1 || es[1].Rank != 1 || es[2].Rank != 3 {
		t.Errorf("%+v", es)
	}
}

// Р2 with 8 more of a: a = 10 becomes the maximum. Р2: 10·10/10 = 10;
// Р1: 10·4/10 + 5 = 9; Р3: 10·1/10 = 1. Р2 moves from rank 2 to 1.
func TestWhatIfExactNewScore(t *testing.T) {
	r, err := ApplyWhatIf(smallMethod(), smallFacts(), "Р2", WhatIf{"a": 8})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Before.Total, 5) || r.Before.Rank != 2 || !near(r.After.Total, 10) || r.After.Rank != 1 {
		t.Errorf("before %v #%d, after %v #%d", r.Before.Total, r.Before.Rank, r.After.Total, r.After.Rank)
	}
	for _, e := range r.Rating {
		want := map[string]float64{"Р1": 9, "Р2": 10, "Р3": 1}[e.Region]
		if !near(e.Total, want) {
			t.Errorf("%s after: %v, want %v", e.Region, e.Total, want)
		}
	}
	// A presence indicator: b from 0 to 1 gives the whole weight.
	r, err = ApplyWhatIf(smallMethod(), smallFacts(), "Р2", WhatIf{"b": 1})
	if err != nil || !near(r.After.Total, 10) {
		t.Errorf("presence: %v %v", r, err)
	}
	// No data stays no data.
	r, _ = ApplyWhatIf(smallMethod(), smallFacts(), "Р3", WhatIf{"b": 1})
	if r.After.Indicators[1].Value != nil || !near(r.After.Total, 2.5) {
		t.Errorf("no data changed: %+v", r.After)
	}
	// The facts given are not changed.
	if fs := smallFacts(); *fs[2].Values["a"] != 2 {
		t.Error("facts changed")
	}
}

func TestWhatIfErrors(t *testing.T) {
	if _, err := ApplyWhatIf(smallMethod(), smallFacts(), "Нет такого", WhatIf{"a": 1}); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := ApplyWhatIf(smallMethod(), smallFacts(), "Р1", WhatIf{"c": 1}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("indicator without data: %v", err)
	}
}

// Adding to a region's values never lowers its total nor worsens its rank
// (other regions' points can only fall when a maximum grows).
func TestWhatIfMonotone(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	m := DefaultRatingMethod()
	var computed []string
	for _, in := range m.Indicators {
		if in.Computed {
			computed = append(computed, in.Key)
		}
	}
	for trial := 0; trial < 200; trial++ {
		var fs []RegionFacts
		for r := 0; r < 6; r++ {
			f := RegionFacts{Region: string(rune('А' + r)), Values: map[string]*float64{}}
			for _, k := range computed {
				if rng.Intn(5) > 0 {
					f.Values[k] = gm.Ptr(float64(rng.Intn(6)))
				}
			}
			fs = append(fs, f)
		}
		region := fs[rng.Intn(len(fs))].Region
		w := WhatIf{computed[rng.Intn(len(computed))]: float64(rng.Intn(4)), computed[rng.Intn(len(computed))]: float64(rng.Intn(4))}
		r, err := ApplyWhatIf(m, fs, region, w)
		if err != nil {
			t.Fatal(err)
		}
		if r.After.Total < r.Before.Total-1e-9 || r.After.Rank > r.Before.Rank {
			t.Fatalf("trial %d: %s %v: %v #%d → %v #%d", trial, region, w, r.Before.Total, r.Before.Rank, r.After.Total, r.After.Rank)
		}
	}
}

func TestDefaultRatingMethodWeights(t *testing.T) {
	m := DefaultRatingMethod()
	total := 0.0
	for _, b := range RatingBlocks {
		total += m.BlockMax(b)
	}
	if !near(total, 100) || !near(m.BlockMax(BlockS4), 5) || !near(m.BlockMax(BlockS5), 5) || !near(m.BlockMax(BlockS3), 5) {
		t.Errorf("weights: total %v", total)
	}
	if m.ComputedMax(BlockS5) != 0 || m.ComputedMax(BlockS1) != 25 {
		t.Errorf("computed S5 %v S1 %v", m.ComputedMax(BlockS5), m.ComputedMax(BlockS1))
	}
}
