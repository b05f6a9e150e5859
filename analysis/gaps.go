package analysis

import (
	"math"
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// ImportGap is the cluster's aggregated import of one product (укрупнение
// объёмов) against what the cluster can still supply of it: the capacity
// its producers have left after what they already ship (the spare
// capacity). The Atlas's niche is what the cluster cannot supply:
// «производство … существенно ниже потребностей» (001:521-523).
type ImportGap struct {
	ProductCode        string `json:"product_code"`
	ProductName        string `json:"product_name"`
	ImportSubstitution bool   `json:"import_substitution"`
	// ImportSubstitutionKnown: the product is in the data's catalogue, so
	// ImportSubstitution is its flag rather than a default.
	ImportSubstitutionKnown bool     `json:"import_substitution_known"`
	ImportedRUB             float64  `json:"imported_rub"`
	ImportedQuantity        *float64 `json:"imported_quantity"` // summed when every row has a quantity in one unit
	Unit                    string   `json:"unit,omitempty"`
	Importers               int      `json:"importers"`
	ImporterIDs             []string `json:"importer_ids"`
	Countries               []string `json:"countries"`
	// CapacityRUB is the producers' whole capacity; ShippedRUB what they
	// already ship of the product in the year (their links of it, plus the
	// final sales of a producer whose capacity is in this product only);
	// SpareRUB = Σ max(0, capacity − shipped) over producers.
	CapacityRUB float64 `json:"capacity_rub"`
	ShippedRUB  float64 `json:"shipped_rub"`
	SpareRUB    float64 `json:"spare_rub"`
	// ShippedUnknown counts the producers' shipments of the product without
	// a value: counted as nothing shipped, so the spare may be overstated.
	ShippedUnknown   int      `json:"shipped_unknown"`
	CapacityQuantity *float64 `json:"capacity_quantity"`
	SpareQuantity    *float64 `json:"spare_quantity"`
	Producers        int      `json:"producers"`
	ProducerIDs      []string `json:"producer_ids"`
	// GapRUB = max(0, imported − spare).
	GapRUB       float64  `json:"gap_rub"`
	GapQuantity  *float64 `json:"gap_quantity"`
	Illustrative bool     `json:"illustrative"`
}

// producerOf is one producer's capacity and shipments of one product.
type producerOf struct {
	capRUB, shippedRUB float64
	capQty, shippedQty float64
	qtyOK              bool // every capacity row and shipment has a quantity in unit
	unit               string
}

// gapAcc accumulates one product's gap.
type gapAcc struct {
	g         ImportGap
	imp       map[string]bool
	countries map[string]bool
	qty       float64
	qtyOK     bool
	nImp      int
	prod      map[string]*producerOf
}

// ImportGaps aggregates imports per product over participants and compares
// them with the spare capacity inside the cluster: spare = Σ_producers
// max(0, capacity − value the producer already ships of the product),
// gap = max(0, imported − spare). Ordered by gap, largest first.
func ImportGaps(d *gm.Dataset) []ImportGap {
	m := importsByProduct(d)
	capacitiesAndShipments(d, m)
	out := make([]ImportGap, 0, len(m))
	for _, a := range m {
		out = append(out, a.gap())
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].GapRUB != out[j].GapRUB {
			return out[i].GapRUB > out[j].GapRUB
		}
		return out[i].ProductCode < out[j].ProductCode
	})
	return out
}

// importsByProduct sums the imports of every product.
func importsByProduct(d *gm.Dataset) map[string]*gapAcc {
	names := map[string]string{}
	subst, known := map[string]bool{}, map[string]bool{}
	for _, p := range d.Products {
		names[p.Code], subst[p.Code], known[p.Code] = p.Name, p.ImportSubstitution, true
	}
	m := map[string]*gapAcc{}
	for _, r := range d.Imports {
		a, ok := m[r.ProductCode]
		if !ok {
			name := names[r.ProductCode]
			if name == "" {
				name = r.ProductCode
			}
			a = &gapAcc{g: ImportGap{ProductCode: r.ProductCode, ProductName: name, ImportSubstitution: subst[r.ProductCode], ImportSubstitutionKnown: known[r.ProductCode]}, imp: map[string]bool{},
				countries: map[string]bool{}, qtyOK: true, prod: map[string]*producerOf{}}
			m[r.ProductCode] = a
		}
		a.g.ImportedRUB += r.ValueRUB
		a.imp[r.ParticipantID] = true
		if r.Country != "" {
			a.countries[r.Country] = true
		}
		a.g.Illustrative = a.g.Illustrative || r.Illustrative
		a.nImp++
		if r.Quantity == nil || (a.g.Unit != "" && r.Unit != a.g.Unit) {
			a.qtyOK = false
		} else {
			a.qty += *r.Quantity
			a.g.Unit = r.Unit
		}
	}
	return m
}

// capacitiesAndShipments adds, for every imported product, its producers'
// capacities and what they already ship of it.
func capacitiesAndShipments(d *gm.Dataset, m map[string]*gapAcc) {
	products := map[string]map[string]bool{} // participant → products it has capacity for
	for _, c := range d.Capacities {
		if products[c.ParticipantID] == nil {
			products[c.ParticipantID] = map[string]bool{}
		}
		products[c.ParticipantID][c.ProductCode] = true
		a, ok := m[c.ProductCode]
		if !ok {
			continue // capacity without import: not a gap
		}
		p := a.producer(c.ParticipantID)
		p.capRUB += c.ValueRUB
		p.add(c.Quantity, c.Unit, &p.capQty)
	}
	for _, l := range d.Links {
		a, ok := m[l.ProductCode]
		if !ok || a.prod[l.SupplierID] == nil {
			continue // only producers with capacity have spare capacity to lose
		}
		p := a.prod[l.SupplierID]
		if l.ValueRUB == nil {
			a.g.ShippedUnknown++
		} else {
			p.shippedRUB += *l.ValueRUB
		}
		p.add(l.Quantity, l.Unit, &p.shippedQty)
	}
	// Final sales (outside the data) of a producer with capacity in one
	// product only are shipments of that product.
	for _, x := range d.Participants {
		if x.FinalSalesRUB == nil || len(products[x.ID]) != 1 {
			continue
		}
		for code := range products[x.ID] {
			if a, ok := m[code]; ok && a.prod[x.ID] != nil {
				a.prod[x.ID].shippedRUB += *x.FinalSalesRUB
				a.prod[x.ID].qtyOK = false // final sales carry no quantity
			}
		}
	}
}

func (a *gapAcc) producer(id string) *producerOf {
	p, ok := a.prod[id]
	if !ok {
		p = &producerOf{qtyOK: true}
		a.prod[id] = p
	}
	return p
}

// add sums a quantity into *into when it is given in the producer's unit.
func (p *producerOf) add(q *float64, unit string, into *float64) {
	if q == nil || (p.unit != "" && unit != p.unit) {
		p.qtyOK = false
		return
	}
	*into += *q
	p.unit = unit
}

// gap turns the accumulated figures into the product's gap.
func (a *gapAcc) gap() ImportGap {
	g := a.g
	g.ImporterIDs, g.Countries = keys(a.imp), keys(a.countries)
	g.ProducerIDs = make([]string, 0, len(a.prod))
	spareQty, spareQtyOK := 0.0, true
	for id, p := range a.prod {
		g.ProducerIDs = append(g.ProducerIDs, id)
		g.CapacityRUB += p.capRUB
		g.ShippedRUB += p.shippedRUB
		g.SpareRUB += math.Max(0, p.capRUB-p.shippedRUB)
		if p.qtyOK && p.unit == g.Unit {
			spareQty += math.Max(0, p.capQty-p.shippedQty)
		} else {
			spareQtyOK = false
		}
	}
	sort.Strings(g.ProducerIDs)
	g.Importers, g.Producers = len(g.ImporterIDs), len(g.ProducerIDs)
	g.GapRUB = math.Max(0, g.ImportedRUB-g.SpareRUB)
	if a.qtyOK && a.nImp > 0 {
		q := a.qty
		g.ImportedQuantity = &q
		switch {
		case len(a.prod) == 0:
			gq := q
			g.GapQuantity = &gq
		case spareQtyOK:
			capQty := 0.0
			for _, p := range a.prod {
				capQty += p.capQty
			}
			sq, gq := spareQty, math.Max(0, q-spareQty)
			g.CapacityQuantity, g.SpareQuantity, g.GapQuantity = &capQty, &sq, &gq
		}
	} else {
		g.Unit = ""
	}
	return g
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
