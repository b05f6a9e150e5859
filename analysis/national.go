package analysis

import (
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// National statutory indicators: the eight figures of 001 «СТАТИСТИКА» and
// employees summed per cluster, region, federal district and in total, with
// disclosure control.
//
// Attribution: a cluster counts in its first listed region (the Atlas lists
// an interregional cluster's main region first) and that region's federal
// district, so clusters nest in regions, regions in districts and districts
// in the total: every table is a partition of the same records. A cluster
// without a region counts under the region key "" (not attributed), whose
// district is "" as well.
//
// Disclosure control, per measure (the number of reporting participants,
// then each indicator on its own):
//   - primary: an aggregate of 1 to threshold−1 reporting participants is
//     suppressed (the threshold rule of the niches, 3 by default); for an
//     indicator, a cell whose item is suppressed is suppressed too;
//   - complementary: for every published aggregate P (a region, a district,
//     the total) and every lower level (clusters, regions, districts) the
//     suppressed parts of P at that level must be none, or at least two
//     whose reporting participants together reach the threshold; otherwise
//     the published part with the fewest participants (then the smallest
//     value, then the key) is suppressed as well, until every such group
//     holds. P minus its published parts is then never one suppressed part,
//     nor a sum of fewer than threshold participants' figures, within a
//     table or across the nested tables.

// Levels of the national tables (the API's by=).
const (
	LevelCluster  = "cluster"
	LevelRegion   = "region"
	LevelDistrict = "district"
	levelTotal    = "total"
)

// NationalLevels are the by= values in nesting order.
var NationalLevels = []string{LevelCluster, LevelRegion, LevelDistrict}

// DistrictNames are the federal districts' names, by their abbreviation.
var DistrictNames = map[string]string{
	"ЦФО": "Центральный федеральный округ", "СЗФО": "Северо-Западный федеральный округ", "ЮФО": "Южный федеральный округ",
	"СКФО": "Северо-Кавказский федеральный округ", "ПФО": "Приволжский федеральный округ", "УФО": "Уральский федеральный округ",
	"СФО": "Сибирский федеральный округ", "ДФО": "Дальневосточный федеральный округ",
}

// NationalAggregate is one published aggregate. Totals holds every
// indicator key (null: nobody reported it, or it is withheld — then its
// key is in Withheld); a suppressed aggregate has no totals.
type NationalAggregate struct {
	Key                  string              `json:"key"`
	Name                 string              `json:"name"`
	Clusters             int                 `json:"clusters"`
	ParticipantsReported int                 `json:"participants_reported"`
	Suppressed           bool                `json:"suppressed"`
	Totals               map[string]*float64 `json:"totals,omitempty"`
	Withheld             []string            `json:"withheld,omitempty"`
	// Change is (this year − last year) / last year for the figures
	// published in both years (set by the caller that has both tables).
	Change map[string]*float64 `json:"change,omitempty"`
}

// NationalTables are the aggregates of one year at every level.
type NationalTables struct {
	Year  int                            `json:"year"`
	By    map[string][]NationalAggregate `json:"by"`
	Total NationalAggregate              `json:"total"`
}

// ClusterRegion is the region a cluster's figures count in: its first
// listed region ("" when it lists none).
func ClusterRegion(c *gm.Cluster) string {
	for _, r := range c.Regions {
		if r = strings.TrimSpace(r); r != "" {
			return r
		}
	}
	return ""
}

// natNode is one aggregate of the hierarchy.
type natNode struct {
	level, key, name string
	clusters         int
	n                map[string]int // reporting participants per measure ("" = any figure)
	sum              map[string]float64
}

// natGroup is a published parent and its parts at one lower level
// (rank: 0 clusters, 1 regions, 2 districts).
type natGroup struct {
	parent, rank int
	parts        []int
}

// natChain is a cluster's node and the nodes of its region and district.
type natChain struct{ c, r, d int }

// natTree is the hierarchy of the year's records.
type natTree struct {
	nodes  []*natNode
	groups []natGroup
}

func newNode(level, key, name string) *natNode {
	return &natNode{level: level, key: key, name: name, n: map[string]int{}, sum: map[string]float64{}}
}

// buildTree sums the records into clusters, regions, districts and the
// total, and lists the parent/part groups the complementary rule checks.
func buildTree(clusters []gm.Cluster, records []gm.IndicatorRecord) *natTree {
	byID := map[string]*gm.Cluster{}
	for i := range clusters {
		byID[clusters[i].ID] = &clusters[i]
	}
	t := &natTree{}
	idx := map[string]int{}
	node := func(level, key, name string) int {
		k := level + "\x00" + key
		if i, ok := idx[k]; ok {
			return i
		}
		idx[k] = len(t.nodes)
		t.nodes = append(t.nodes, newNode(level, key, name))
		return idx[k]
	}
	total := node(levelTotal, "", "")
	chains := map[string]natChain{}
	for _, rec := range records {
		ch, ok := chains[rec.ClusterID]
		if !ok {
			name, region := rec.ClusterID, ""
			if c := byID[rec.ClusterID]; c != nil {
				name, region = c.Name, ClusterRegion(c)
			}
			d := FederalDistrict(region)
			ch = natChain{node(LevelCluster, rec.ClusterID, name), node(LevelRegion, region, region), node(LevelDistrict, d, DistrictNames[d])}
			chains[rec.ClusterID] = ch
		}
		any := false
		for _, def := range gm.IndicatorDefs {
			v := rec.Indicators.Get(def.Key)
			if v == nil {
				continue
			}
			any = true
			for _, i := range []int{ch.c, ch.r, ch.d, total} {
				t.nodes[i].n[def.Key]++
				t.nodes[i].sum[def.Key] += *v
			}
		}
		if any {
			for _, i := range []int{ch.c, ch.r, ch.d, total} {
				t.nodes[i].n[""]++
			}
		}
	}
	t.groups = groupsOf(t, chains, total)
	return t
}

// groupsOf lists, for every region, district and the total, its parts at
// each lower level.
func groupsOf(t *natTree, chains map[string]natChain, total int) []natGroup {
	parts := map[[2]int]map[int]bool{} // (parent, level rank) → parts
	add := func(parent, rank, part int) {
		k := [2]int{parent, rank}
		if parts[k] == nil {
			parts[k] = map[int]bool{}
		}
		parts[k][part] = true
	}
	for _, ch := range chains {
		c, r, d := ch.c, ch.r, ch.d
		add(r, 0, c)
		add(d, 0, c)
		add(d, 1, r)
		add(total, 0, c)
		add(total, 1, r)
		add(total, 2, d)
	}
	var out []natGroup
	for k, set := range parts {
		g := natGroup{parent: k[0], rank: k[1]}
		for p := range set {
			g.parts = append(g.parts, p)
		}
		sort.Ints(g.parts)
		out = append(out, g)
	}
	// The nearest parents first (regions, then districts, then the total),
	// coarser parts first: a complement is then picked as close to the
	// suppressed part as possible.
	level := func(g natGroup) int {
		return map[string]int{LevelRegion: 0, LevelDistrict: 1, levelTotal: 2}[t.nodes[g.parent].level]
	}
	sort.Slice(out, func(i, j int) bool {
		if li, lj := level(out[i]), level(out[j]); li != lj {
			return li < lj
		}
		if out[i].parent != out[j].parent {
			return out[i].parent < out[j].parent
		}
		return out[i].rank > out[j].rank
	})
	return out
}

// SuppressCells applies the primary and complementary rules to one
// measure: n[i] participants sum to value[i]; forced cells are hidden
// whatever their count; groups are (published parent, its parts). It
// returns which cells are hidden.
func SuppressCells(n []int, value []float64, forced []bool, groups [][]int, parents []int, threshold int) []bool {
	hidden := make([]bool, len(n))
	for i := range n {
		hidden[i] = (forced != nil && forced[i]) || (n[i] > 0 && n[i] < threshold)
	}
	for changed := true; changed; {
		changed = false
		for g, parts := range groups {
			if hidden[parents[g]] {
				continue
			}
			count, sumN, pick := 0, 0, -1
			for _, p := range parts {
				switch {
				case n[p] == 0:
				case hidden[p]:
					count++
					sumN += n[p]
				case pick < 0 || n[p] < n[pick] || n[p] == n[pick] && value[p] < value[pick]:
					pick = p
				}
			}
			if count == 0 || count >= 2 && sumN >= threshold {
				continue
			}
			if pick < 0 { // every part is hidden: so is what they sum to
				pick = parents[g]
			}
			hidden[pick], changed = true, true
		}
	}
	return hidden
}

// suppress runs SuppressCells over the tree for a measure.
func (t *natTree) suppress(measure string, forced []bool, threshold int) []bool {
	n, v := make([]int, len(t.nodes)), make([]float64, len(t.nodes))
	for i, x := range t.nodes {
		n[i], v[i] = x.n[measure], x.sum[measure]
	}
	groups, parents := make([][]int, len(t.groups)), make([]int, len(t.groups))
	for i, g := range t.groups {
		groups[i], parents[i] = g.parts, g.parent
	}
	return SuppressCells(n, v, forced, groups, parents, threshold)
}

// NationalIndicators sums a year's accepted indicator records of every
// cluster at every level, with the disclosure rules above applied.
func NationalIndicators(year int, clusters []gm.Cluster, records []gm.IndicatorRecord, threshold int) *NationalTables {
	t := buildTree(clusters, records)
	countClusters(t)
	item := t.suppress("", nil, threshold)
	cells := map[string][]bool{}
	for _, d := range gm.IndicatorDefs {
		cells[d.Key] = t.suppress(d.Key, item, threshold)
	}
	out := &NationalTables{Year: year, By: map[string][]NationalAggregate{}}
	for _, l := range NationalLevels {
		out.By[l] = []NationalAggregate{}
	}
	for i, x := range t.nodes {
		a := NationalAggregate{Key: x.key, Name: x.name, Clusters: x.clusters, ParticipantsReported: x.n[""], Suppressed: item[i]}
		if !a.Suppressed {
			a.Totals = map[string]*float64{}
			for _, d := range gm.IndicatorDefs {
				a.Totals[d.Key] = nil
				switch {
				case cells[d.Key][i]:
					a.Withheld = append(a.Withheld, d.Key)
				case x.n[d.Key] > 0:
					a.Totals[d.Key] = gm.Ptr(x.sum[d.Key])
				}
			}
		}
		if x.level == levelTotal {
			out.Total = a
			continue
		}
		if a.ParticipantsReported > 0 {
			out.By[x.level] = append(out.By[x.level], a)
		}
	}
	for _, items := range out.By {
		sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	}
	return out
}

// countClusters counts, for every node, the clusters under it with a
// reporting participant.
func countClusters(t *natTree) {
	seen := map[[2]int]bool{}
	for _, g := range t.groups {
		for _, p := range g.parts {
			if t.nodes[p].level == LevelCluster && t.nodes[p].n[""] > 0 && !seen[[2]int{g.parent, p}] {
				seen[[2]int{g.parent, p}] = true
				t.nodes[g.parent].clusters++
			}
		}
	}
	for _, x := range t.nodes {
		if x.level == LevelCluster && x.n[""] > 0 {
			x.clusters = 1
		}
	}
}

// ChangeBetween sets each aggregate's change against last year's table:
// (this − last) / last for the figures published in both, with last ≠ 0.
func ChangeBetween(cur, prev *NationalTables) {
	set := func(a *NationalAggregate, p *NationalAggregate) {
		if a.Suppressed {
			return
		}
		a.Change = map[string]*float64{}
		for _, d := range gm.IndicatorDefs {
			a.Change[d.Key] = nil
			if p == nil || p.Suppressed {
				continue
			}
			if t, l := a.Totals[d.Key], p.Totals[d.Key]; t != nil && l != nil && *l != 0 {
				a.Change[d.Key] = gm.Ptr((*t - *l) / *l)
			}
		}
	}
	for level, items := range cur.By {
		last := map[string]*NationalAggregate{}
		if prev != nil {
			for i := range prev.By[level] {
				last[prev.By[level][i].Key] = &prev.By[level][i]
			}
		}
		for i := range items {
			set(&items[i], last[items[i].Key])
		}
	}
	var pt *NationalAggregate
	if prev != nil {
		pt = &prev.Total
	}
	set(&cur.Total, pt)
}
