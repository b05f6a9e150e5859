package seeds

import (
	"fmt"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// EurasiaClusters returns the Eurasian-scope registry entries: clusters
// outside Russia (kind foreign) and clusters announced but not registered
// (kind planned), from documents 000 and 003, with what the documents say
// of each one's status (cluster id → note). They are never part of the 104
// registered clusters.
func EurasiaClusters() ([]gm.Cluster, map[string]string, error) {
	t, err := readTable("eurasia/clusters.csv", "id", "name", "kind", "country", "regions", "specialization", "participants_count", "status", "source")
	if err != nil {
		return nil, nil, err
	}
	var out []gm.Cluster
	notes := map[string]string{}
	seen := map[string]bool{}
	for i, r := range t.rows {
		c := gm.Cluster{ID: r["id"], Name: r["name"], Kind: gm.ClusterKind(r["kind"]), Country: r["country"], Specialization: r["specialization"],
			Regions: []string{}, Source: r["source"], Version: 1}
		if c.ID == "" || seen[c.ID] || !gm.IsEurasian(c.Kind) {
			return nil, nil, fmt.Errorf("seed %s row %d: id %q repeated or missing, or kind %q not foreign/planned/unregistered", t.file, i+2, c.ID, c.Kind)
		}
		seen[c.ID] = true
		for _, reg := range strings.Split(r["regions"], ";") {
			if reg = strings.TrimSpace(reg); reg != "" {
				c.Regions = append(c.Regions, reg)
			}
		}
		if c.ParticipantsCount, err = t.integer(i, r, "participants_count"); err != nil {
			return nil, nil, err
		}
		notes[c.ID] = r["status"]
		out = append(out, c)
	}
	return out, notes, nil
}

// EurasiaFigures returns the figures documents 000 and 003 give for the
// Eurasian-scope clusters (jobs, investment, growth, areas …).
func EurasiaFigures() ([]gm.ClusterFigure, error) {
	t, err := readTable("eurasia/figures.csv", "cluster_id", "indicator", "value", "unit", "qualifier", "period", "text", "source")
	if err != nil {
		return nil, err
	}
	var out []gm.ClusterFigure
	for i, r := range t.rows {
		v, err := t.num(i, r, "value")
		if err != nil || v == nil {
			return nil, fmt.Errorf("seed %s row %d: value needed", t.file, i+2)
		}
		q := r["qualifier"]
		if q != "" && q != "more_than" && q != "about" && q != "up_to" {
			return nil, fmt.Errorf("seed %s row %d: qualifier %q unknown", t.file, i+2, q)
		}
		out = append(out, gm.ClusterFigure{ClusterID: r["cluster_id"], Indicator: r["indicator"], Value: *v, Unit: r["unit"], Qualifier: q,
			Period: r["period"], Text: r["text"], Source: r["source"]})
	}
	return out, nil
}

// PublishedLQ returns location quotients as documents publish them: the
// Kyrgyz regions' quotients of 2018 (document 004, table 3).
func PublishedLQ() ([]gm.PublishedLQ, error) {
	t, err := readTable("eurasia/kg_lq.csv", "country", "region", "industry", "year", "lq", "source")
	if err != nil {
		return nil, err
	}
	var out []gm.PublishedLQ
	for i, r := range t.rows {
		lq, err := strconv.ParseFloat(r["lq"], 64)
		if err != nil {
			return nil, fmt.Errorf("seed %s row %d: lq %q", t.file, i+2, r["lq"])
		}
		y, err := t.integer(i, r, "year")
		if err != nil {
			return nil, err
		}
		out = append(out, gm.PublishedLQ{Country: r["country"], Region: r["region"], Industry: r["industry"], Year: y, LQ: lq, Source: r["source"]})
	}
	return out, nil
}
