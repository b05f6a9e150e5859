package sqltest

import (
	"fmt"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Chain returns a valid dataset of participants enterprises and links
// supply links (supplier i → buyer j with i < j, so no self-links, no
// duplicates and no cycles; at most participants·(participants−1)/2), with ids prefixed by prefix: a large import for crash and
// fault tests.
func Chain(prefix string, participants, links int) *gm.Dataset {
	ds := &gm.Dataset{}
	for i := 0; i < participants; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("%s%05d", prefix, i), Name: fmt.Sprintf("Предприятие %d", i), Kind: gm.KindEnterprise, Country: "RU"})
	}
	// Pairs (i, i+d) for d = 1, 2, …: a layered chain, every pair once.
	for d := 1; d < participants && len(ds.Links) < links; d++ {
		for i := 0; i+d < participants && len(ds.Links) < links; i++ {
			v := float64(1000 + len(ds.Links))
			ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: ds.Participants[i].ID, BuyerID: ds.Participants[i+d].ID, ProductCode: "24.42.22", Year: 2024, ValueRUB: &v})
		}
	}
	return ds
}

// ChainCSV is Chain as the participants.csv and links.csv of a dataset
// folder.
func ChainCSV(prefix string, participants, links int) (participantsCSV, linksCSV string) {
	ds := Chain(prefix, participants, links)
	var p, l strings.Builder
	p.WriteString("id,name,kind\n")
	for _, x := range ds.Participants {
		fmt.Fprintf(&p, "%s,%s,%s\n", x.ID, x.Name, x.Kind)
	}
	l.WriteString("supplier_id,buyer_id,product_code,year,value_rub\n")
	for _, x := range ds.Links {
		fmt.Fprintf(&l, "%s,%s,%s,%d,%.0f\n", x.SupplierID, x.BuyerID, x.ProductCode, x.Year, *x.ValueRUB)
	}
	return p.String(), l.String()
}
