// Package seeds holds coopchain's built-in dataset, derived from the source
// documents (the Atlas of industrial clusters of Russia 2025 and others) and
// embedded in the binary: the registry of the 104 industrial clusters, the
// I National rating of regions, the participants and products the Atlas
// names, demo cooperation chains and the Omsk clusters' identified needs.
package seeds

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

//go:embed data
var data embed.FS

// DemoCluster is the cluster with the richest built-in data, used for
// demonstrations: the aluminium cluster (registry No 31) with Ingushetia's
// producers.
const DemoCluster = "ru-031"

// FS returns the embedded data files.
func FS() fs.FS { sub, _ := fs.Sub(data, "data"); return sub }

// Load reads the whole built-in dataset.
func Load() (*gm.Seed, error) {
	reg, err := tabular.ReadFS(data, "data/registry", "seeds/registry", tabular.Limits{})
	if err != nil {
		return nil, fmt.Errorf("seed registry: %w", err)
	}
	rating, err := Rating()
	if err != nil {
		return nil, err
	}
	s := &gm.Seed{Clusters: reg.Dataset.Clusters, Rating: rating, Data: map[string]*gm.Dataset{}}
	byID := map[string]int{}
	for i, c := range s.Clusters {
		byID[c.ID] = i
	}
	dirs, err := fs.ReadDir(data, "data/clusters")
	if err != nil {
		return s, nil
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		res, err := tabular.ReadFS(data, path.Join("data/clusters", d.Name()), "seeds/clusters/"+d.Name(), tabular.Limits{})
		if err != nil {
			return nil, fmt.Errorf("seed cluster %s: %w", d.Name(), err)
		}
		ds := res.Dataset
		// The registry is authoritative for registered clusters; a cluster
		// folder may add what the registry lacks (the development programme).
		var keep []gm.Cluster
		for _, c := range ds.Clusters {
			if i, ok := byID[c.ID]; ok {
				if c.DevelopmentProgramme != nil {
					s.Clusters[i].DevelopmentProgramme = c.DevelopmentProgramme
				}
				continue
			}
			keep = append(keep, c)
		}
		ds.Clusters = keep
		s.Data[d.Name()] = ds
	}
	return s, nil
}

// Rating returns the I National rating of regions by level of cluster
// development (Atlas 2025).
func Rating() ([]gm.RegionRating, error) {
	f, err := data.Open("data/rating.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("seed rating: %w", err)
	}
	var out []gm.RegionRating
	for i, r := range rows[1:] {
		if len(r) != 9 {
			return nil, fmt.Errorf("seed rating row %d: %d fields", i+2, len(r))
		}
		num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		rank, _ := strconv.Atoi(r[0])
		out = append(out, gm.RegionRating{Rank: rank, Region: r[1], S1: num(r[2]), S2: num(r[3]), S3: num(r[4]), S4: num(r[5]), S5: num(r[6]), Total: num(r[7]), Source: r[8]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rank < out[j].Rank })
	return out, nil
}

// PublishedNeeds returns the clusters' identified needs (выявленная
// потребность) as the Atlas prints them: the Omsk SOPC's three clusters
// (001:560-610), one row per printed figure. The niches behind them are
// images in the Atlas and are not in its text.
func PublishedNeeds() ([]gm.PublishedNeed, error) {
	t, err := readTable("published_needs.csv", "cluster_id", "cluster_name", "value_rub", "quantity", "unit", "text", "source")
	if err != nil {
		return nil, err
	}
	var out []gm.PublishedNeed
	for i, r := range t.rows {
		n := gm.PublishedNeed{ClusterID: r["cluster_id"], ClusterName: r["cluster_name"], Unit: r["unit"], Text: r["text"], Source: r["source"]}
		if n.ValueRUB, err = t.num(i, r, "value_rub"); err != nil {
			return nil, err
		}
		if n.Quantity, err = t.num(i, r, "quantity"); err != nil {
			return nil, err
		}
		if (n.ValueRUB == nil) == (n.Quantity == nil) || (n.Quantity != nil) != (n.Unit != "") || n.Source == "" {
			return nil, fmt.Errorf("seed %s row %d: give either value_rub or a quantity with its unit, and a source", t.file, i+2)
		}
		out = append(out, n)
	}
	return out, nil
}
