package analysis

import (
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// NationalProducer is a participant of some cluster that makes a product:
// it has capacity for it, or supplies it in a link.
type NationalProducer struct {
	ClusterID     string `json:"cluster_id"`
	ClusterName   string `json:"cluster_name"`
	ParticipantID string `json:"participant_id"`
	Name          string `json:"name"`
	Region        string `json:"region,omitempty"`
	ProductCode   string `json:"product_code"`
	// HasCapacity: it has capacity for the product (else it supplies it in a
	// link). The amount is never given: it is another cluster's company figure.
	HasCapacity  bool `json:"has_capacity"`
	Illustrative bool `json:"illustrative,omitempty"`
}

// Analogue is a national analogue of a niche's product: a producer of the
// same product in another cluster.
type Analogue = NationalProducer

// NationalProducers lists the producers of a cluster's dataset: every
// participant with capacity for a product, and every supplier of a product
// in a link (the latest year's rows and rows without a year).
func NationalProducers(clusterID, clusterName string, ds *gm.Dataset) []NationalProducer {
	if ds == nil {
		return nil
	}
	if ys := ds.Years(); len(ys) > 0 {
		ds = ds.ForYear(ys[len(ys)-1])
	}
	parts := map[string]*gm.Participant{}
	for i := range ds.Participants {
		parts[ds.Participants[i].ID] = &ds.Participants[i]
	}
	type key struct{ id, code string }
	by := map[key]*NationalProducer{}
	var order []key
	add := func(id, code string, capacity, illustrative bool) {
		p := parts[id]
		if p == nil || code == "" {
			return
		}
		k := key{id, code}
		np, ok := by[k]
		if !ok {
			np = &NationalProducer{ClusterID: clusterID, ClusterName: clusterName, ParticipantID: id, Name: p.Name, Region: p.Region, ProductCode: code,
				Illustrative: p.Illustrative}
			by[k] = np
			order = append(order, k)
		}
		np.HasCapacity = np.HasCapacity || capacity
		np.Illustrative = np.Illustrative || illustrative
	}
	for _, c := range ds.Capacities {
		add(c.ParticipantID, c.ProductCode, true, c.Illustrative)
	}
	for _, l := range ds.Links {
		add(l.SupplierID, l.ProductCode, false, l.Illustrative)
	}
	out := make([]NationalProducer, 0, len(order))
	for _, k := range order {
		out = append(out, *by[k])
	}
	return out
}

// Analogues lists the producers of the product in clusters other than cl,
// those with capacity first, then by cluster and name.
func Analogues(national []NationalProducer, cl *gm.Cluster, code string) []Analogue {
	out := []Analogue{}
	for _, p := range national {
		if p.ProductCode == code && (cl == nil || p.ClusterID != cl.ID) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].HasCapacity != out[j].HasCapacity {
			return out[i].HasCapacity
		}
		if out[i].ClusterID != out[j].ClusterID {
			return out[i].ClusterID < out[j].ClusterID
		}
		return out[i].Name < out[j].Name
	})
	return out
}
