package analysis

import (
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// ClusterNiches are one cluster's niches, as its analysis report found
// them, for the national niche list.
type ClusterNiches struct {
	Cluster *gm.Cluster
	Niches  []Niche
}

// ClusterRef names a cluster.
type ClusterRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// NationalAnalogue is a producer of a national niche's product in another
// cluster than the one importing it: who and where, never an amount.
type NationalAnalogue struct {
	ClusterID   string `json:"cluster_id"`
	ClusterName string `json:"cluster_name"`
	Name        string `json:"name"`
	Region      string `json:"region,omitempty"`
	HasCapacity bool   `json:"has_capacity"`
}

// NationalMeasure is a support measure that fits a national niche.
type NationalMeasure struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Level  string `json:"level"`
	Region string `json:"region,omitempty"`
	Why    string `json:"why"`
	WhyRU  string `json:"why_ru"`
}

// NationalNiche is a product imported in several clusters (a niche in each
// of them): one national niche. DemandRUB is the clusters' imported value
// summed; it is null (Confidential) unless the disclosure rule allows it
// (NicheDemandPublished).
type NationalNiche struct {
	ProductCode        string             `json:"product_code"`
	ProductName        string             `json:"product_name"`
	Clusters           []ClusterRef       `json:"clusters"`
	Regions            []string           `json:"regions"`
	Importers          int                `json:"importers"`
	DemandRUB          *float64           `json:"demand_rub"`
	Confidential       bool               `json:"confidential"`
	ImportSubstitution bool               `json:"import_substitution"`
	Analogues          []NationalAnalogue `json:"analogues"`
	Measures           []NationalMeasure  `json:"measures"`
	Illustrative       bool               `json:"illustrative"`
}

// NicheDemandPublished is the disclosure rule for a sum of clusters'
// demand. buyers are the importing participants of each cluster in the
// sum. A cluster with fewer than threshold importers has its own figure
// confidential (the cluster's niche list withholds it) while the others'
// are published: the sum minus the published figures is the sum of the
// confidential ones. So the sum is published only when it aggregates at
// least threshold importers and, whichever one confidential cluster's
// figure is known (to its own members), the other confidential clusters
// still aggregate at least threshold importers — no cluster's figure is
// found by difference, and no figure of fewer than threshold companies.
func NicheDemandPublished(buyers []int, threshold int) bool {
	total, conf, small := 0, 0, 0
	for _, b := range buyers {
		total += b
		if b < threshold {
			conf += b
			small = max(small, b)
		}
	}
	if total < threshold {
		return false
	}
	return conf == 0 || conf-small >= threshold
}

// NationalNiches merges the clusters' niches by product: products that are
// a niche in at least two clusters, with the clusters, their regions, the
// importing participants, the summed demand under NicheDemandPublished,
// the producers of the product in other clusters (national analogues) and
// the support measures that fit. Ordered by number of clusters, then
// published demand, then code.
func NationalNiches(in []ClusterNiches, measures []gm.SupportMeasure, threshold int) []NationalNiche {
	type acc struct {
		n       NationalNiche
		buyers  []int
		sum     float64
		isKnown bool
		reg     *gm.Cluster
		seenA   map[string]bool
	}
	by := map[string]*acc{}
	for _, cn := range in {
		for _, ni := range cn.Niches {
			a := by[ni.ProductCode]
			if a == nil {
				a = &acc{n: NationalNiche{ProductCode: ni.ProductCode, ProductName: ni.ProductName, Clusters: []ClusterRef{}, Regions: []string{},
					Analogues: []NationalAnalogue{}, Measures: []NationalMeasure{}}, seenA: map[string]bool{}}
				by[ni.ProductCode] = a
			}
			a.n.Clusters = append(a.n.Clusters, ClusterRef{ID: cn.Cluster.ID, Name: cn.Cluster.Name})
			for _, r := range cn.Cluster.Regions {
				if r = strings.TrimSpace(r); r != "" && !contains(a.n.Regions, r) {
					a.n.Regions = append(a.n.Regions, r)
				}
			}
			a.n.Importers += ni.Buyers
			a.buyers = append(a.buyers, ni.Buyers)
			a.sum += ni.ImportedRUB
			a.n.ImportSubstitution = a.n.ImportSubstitution || ni.ImportSubstitution
			a.isKnown = a.isKnown || ni.ImportSubstitutionKnown
			a.n.Illustrative = a.n.Illustrative || ni.Illustrative
			if a.reg == nil && cn.Cluster.RegistryNo > 0 {
				a.reg = cn.Cluster
			}
			for _, p := range ni.Analogues {
				k := p.ClusterID + "\x00" + p.ParticipantID
				if !a.seenA[k] {
					a.seenA[k] = true
					a.n.Analogues = append(a.n.Analogues, NationalAnalogue{ClusterID: p.ClusterID, ClusterName: p.ClusterName, Name: p.Name, Region: p.Region, HasCapacity: p.HasCapacity})
				}
			}
		}
	}
	out := []NationalNiche{}
	for _, a := range by {
		if len(a.n.Clusters) < 2 {
			continue
		}
		// A producer in one importing cluster is an analogue for the others.
		sort.SliceStable(a.n.Analogues, func(i, j int) bool {
			x, y := a.n.Analogues[i], a.n.Analogues[j]
			if x.HasCapacity != y.HasCapacity {
				return x.HasCapacity
			}
			if x.ClusterName != y.ClusterName {
				return x.ClusterName < y.ClusterName
			}
			return x.Name < y.Name
		})
		if NicheDemandPublished(a.buyers, threshold) {
			a.n.DemandRUB = gm.Ptr(a.sum)
		} else {
			a.n.Confidential = true
		}
		n := Niche{ProductCode: a.n.ProductCode, ProductName: a.n.ProductName, Buyers: a.n.Importers, ImportSubstitution: a.n.ImportSubstitution,
			ImportSubstitutionKnown: a.isKnown}
		a.n.Measures = nationalMeasures(&n, a.reg, a.n.Regions, measures)
		out = append(out, a.n)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if len(x.Clusters) != len(y.Clusters) {
			return len(x.Clusters) > len(y.Clusters)
		}
		if (x.DemandRUB == nil) != (y.DemandRUB == nil) {
			return x.DemandRUB != nil
		}
		if x.DemandRUB != nil && *x.DemandRUB != *y.DemandRUB {
			return *x.DemandRUB > *y.DemandRUB
		}
		return x.ProductCode < y.ProductCode
	})
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// nationalMeasures checks every federal and EAEU measure, and the regional
// measures of the niche's regions, against the national niche (its
// importers as the buyers, a registered importing cluster as the one the
// production joins) and keeps those whose conditions do not fail.
func nationalMeasures(n *Niche, cl *gm.Cluster, regions []string, measures []gm.SupportMeasure) []NationalMeasure {
	out := []NationalMeasure{}
	keep := func(mm MeasureMatch, ok bool) {
		if ok {
			out = append(out, NationalMeasure{ID: mm.Measure.ID, Name: mm.Measure.Name, NameEN: mm.Measure.NameEN, Level: mm.Measure.Level, Region: mm.Region,
				Why: mm.Why, WhyRU: mm.WhyRU})
		}
	}
	var cands []Candidate
	for _, r := range regions {
		cands = append(cands, Candidate{Region: r, District: FederalDistrict(r), Reasons: []string{ReasonClusterRegion}})
	}
	cc := conditionCtx{niche: n, cluster: cl, candidates: cands}
	for _, m := range measures {
		if m.Level == gm.LevelFederal || m.Level == gm.LevelEAEU {
			cc.m = m
			keep(matchMeasure(cc, m.Level))
		}
	}
	for i := range cands {
		for _, m := range measures {
			if m.Level == gm.LevelRegional && SameRegion(m.Region, cands[i].Region) {
				cc.m, cc.candidate = m, &cands[i]
				keep(matchMeasure(cc, ReasonClusterRegion))
			}
		}
	}
	return out
}
