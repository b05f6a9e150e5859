package app

import (
	"context"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// ClusterData returns the cluster and all its data (members).
func (a *App) ClusterData(ctx context.Context, me Principal, clusterID string) (*gm.Cluster, *gm.Dataset, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, nil, err
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, nil, err
	}
	// Lists do not wait for the analysis: the data is cached by version.
	ds, err := a.analyzer.data.get(ctx, cl)
	return cl, ds, err
}

// ParticipantFilter selects participants: kind, a substring of the region,
// a substring of the name or id, or the exact INN.
type ParticipantFilter struct{ Kind, Region, Query string }

// Participants lists the cluster's participants (members).
func (a *App) Participants(ctx context.Context, me Principal, clusterID string, f ParticipantFilter) ([]gm.Participant, error) {
	_, ds, err := a.ClusterData(ctx, me, clusterID)
	if err != nil {
		return nil, err
	}
	out := []gm.Participant{}
	for _, p := range ds.Participants {
		if (f.Kind == "" || string(p.Kind) == f.Kind) && ContainsFold(p.Region, f.Region) && (ContainsFold(p.Name, f.Query) || ContainsFold(p.ID, f.Query) || f.Query != "" && p.INN == f.Query) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Participant returns one participant of the cluster and its version. The
// version is read before the data, so the data sent is at least as new as
// the version: a stale copy never goes out with a newer version, which would
// let a PUT of it overwrite a change unseen.
func (a *App) Participant(ctx context.Context, me Principal, clusterID, pid string) (*gm.Participant, int64, error) {
	if err := Read.Check(me, clusterID); err != nil {
		return nil, 0, err
	}
	v, verr := a.store.Version(ctx, clusterID, gm.RecordKey{Kind: "participant", ParticipantID: pid})
	if verr != nil && gm.ErrorCode(verr) != gm.ENOTFOUND {
		return nil, 0, verr
	}
	cl, ds, err := a.ClusterData(ctx, me, clusterID)
	if err != nil {
		return nil, 0, err
	}
	for _, p := range ds.Participants {
		if p.ID == pid {
			if verr != nil {
				return nil, 0, verr
			}
			return &p, v, nil
		}
	}
	return nil, 0, gm.Errorf(gm.ENOTFOUND, "participant %q not found in cluster %s", pid, cl.ID)
}

// RecordFilter selects links, imports or capacities: by participant
// (imports, capacities), supplier and buyer (links), product and year.
type RecordFilter struct {
	Participant, Supplier, Buyer, Product string
	Year                                  int
}

func (f RecordFilter) match(participant, supplier, buyer, product string, year int) bool {
	return (f.Participant == "" || participant == f.Participant) && (f.Supplier == "" || supplier == f.Supplier) && (f.Buyer == "" || buyer == f.Buyer) &&
		(f.Product == "" || product == f.Product) && (f.Year == 0 || year == f.Year)
}

// Links lists the cluster's supply links (members).
func (a *App) Links(ctx context.Context, me Principal, clusterID string, f RecordFilter) ([]gm.SupplyLink, error) {
	_, ds, err := a.ClusterData(ctx, me, clusterID)
	if err != nil {
		return nil, err
	}
	out := []gm.SupplyLink{}
	for _, l := range ds.Links {
		if f.match("", l.SupplierID, l.BuyerID, l.ProductCode, l.Year) {
			out = append(out, l)
		}
	}
	return out, nil
}

// Imports lists the cluster's imported inputs (members).
func (a *App) Imports(ctx context.Context, me Principal, clusterID string, f RecordFilter) ([]gm.Import, error) {
	_, ds, err := a.ClusterData(ctx, me, clusterID)
	if err != nil {
		return nil, err
	}
	out := []gm.Import{}
	for _, m := range ds.Imports {
		if f.match(m.ParticipantID, "", "", m.ProductCode, m.Year) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Capacities lists the cluster's capacities (members).
func (a *App) Capacities(ctx context.Context, me Principal, clusterID string, f RecordFilter) ([]gm.Capacity, error) {
	_, ds, err := a.ClusterData(ctx, me, clusterID)
	if err != nil {
		return nil, err
	}
	out := []gm.Capacity{}
	for _, m := range ds.Capacities {
		if f.match(m.ParticipantID, "", "", m.ProductCode, m.Year) {
			out = append(out, m)
		}
	}
	return out, nil
}

// ParticipantInput is what a client may set on a participant: no cluster
// membership (that is the cluster written to), no version (that is ifVersion).
type ParticipantInput struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	INN           string   `json:"inn"`
	Kind          string   `json:"kind"`
	FinalProducer bool     `json:"final_producer"`
	Region        string   `json:"region"`
	Country       string   `json:"country"`
	OKVED         string   `json:"okved"`
	SME           *bool    `json:"sme"`
	Employees     *int64   `json:"employees"`
	RevenueRUB    *float64 `json:"revenue_rub"`
	FinalSalesRUB *float64 `json:"final_sales_rub"`
	Year          int      `json:"year"`
	Illustrative  bool     `json:"illustrative"`
	Source        string   `json:"source"`
}

func (in ParticipantInput) participant() gm.Participant {
	kind := gm.ParticipantKind(in.Kind)
	if kind == "" {
		kind = gm.KindEnterprise
	}
	return gm.Participant{ID: in.ID, Name: in.Name, INN: in.INN, Kind: kind, FinalProducer: in.FinalProducer, Region: in.Region, Country: strings.ToUpper(in.Country),
		OKVED: in.OKVED, SME: in.SME, Employees: in.Employees, RevenueRUB: in.RevenueRUB, FinalSalesRUB: in.FinalSalesRUB, Year: in.Year,
		Illustrative: in.Illustrative, Source: in.Source, Pos: gm.Pos{File: "body", Row: 1}}
}

// SaveParticipant adds (replace = false) or replaces a participant of the
// cluster; ifVersion > 0 makes a replacement fail with ECONFLICT when the
// stored version differs. It returns the stored participant, its new
// version and whether it was created.
func (a *App) SaveParticipant(ctx context.Context, me Principal, clusterID, pid string, in ParticipantInput, replace bool, ifVersion int64) (gm.Participant, int64, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return gm.Participant{}, 0, err
	}
	if replace {
		if in.ID != "" && in.ID != pid {
			return gm.Participant{}, 0, gm.Invalid("the id cannot be changed", []gm.Problem{{Column: "id", Value: in.ID, Message: "must match the path (" + pid + ") or be left out", MessageRU: "должен совпадать с путём или отсутствовать"}})
		}
		in.ID = pid
		if _, err := a.store.Version(ctx, clusterID, gm.RecordKey{Kind: "participant", ParticipantID: pid}); err != nil {
			return gm.Participant{}, 0, err
		}
	} else if ifVersion != 0 {
		return gm.Participant{}, 0, gm.Errorf(gm.EINVALID, "If-Match only applies to PUT")
	}
	p := in.participant()
	if !replace {
		ifVersion = gm.CreateOnly // the store fails with ECONFLICT if it exists, in the writing transaction
	}
	key := gm.RecordKey{Kind: "participant", ParticipantID: p.ID}
	if _, err := a.store.ImportIfVersion(as(ctx, me), clusterID, &gm.Dataset{Participants: []gm.Participant{p}}, key, ifVersion); err != nil {
		return gm.Participant{}, 0, err
	}
	v, err := a.store.Version(ctx, clusterID, key)
	return p, v, err
}

// RecordInput is a link, import or capacity as a client sends it.
type RecordInput struct {
	SupplierID    string   `json:"supplier_id,omitempty"`
	BuyerID       string   `json:"buyer_id,omitempty"`
	ParticipantID string   `json:"participant_id,omitempty"`
	ProductCode   string   `json:"product_code"`
	Year          int      `json:"year"`
	ValueRUB      *float64 `json:"value_rub"`
	Quantity      *float64 `json:"quantity"`
	Unit          string   `json:"unit"`
	Country       string   `json:"country,omitempty"`
	Documented    bool     `json:"documented,omitempty"`
	Illustrative  bool     `json:"illustrative"`
	Source        string   `json:"source"`
}

// record checks the input's fields for its kind and makes the one-record
// dataset and its key.
func (in RecordInput) record(kind string) (*gm.Dataset, gm.RecordKey, error) {
	pos := gm.Pos{File: "body", Row: 1}
	ds := &gm.Dataset{}
	key := gm.RecordKey{Kind: kind, ProductCode: in.ProductCode, Year: in.Year}
	bad := func(col string) error {
		return gm.Invalid("field not allowed for a "+kind, []gm.Problem{{Column: col, Message: "not a field of a " + kind, MessageRU: "поле не относится к записи этого вида"}})
	}
	required := gm.Invalid("value_rub is required", []gm.Problem{{Column: "value_rub", Message: "required", MessageRU: "обязательное поле"}})
	value := 0.0
	if in.ValueRUB != nil {
		value = *in.ValueRUB
	}
	switch kind {
	case "link":
		if in.ParticipantID != "" {
			return nil, key, bad("participant_id")
		}
		if in.Country != "" {
			return nil, key, bad("country")
		}
		key.SupplierID, key.BuyerID = in.SupplierID, in.BuyerID
		ds.Links = []gm.SupplyLink{{Pos: pos, SupplierID: in.SupplierID, BuyerID: in.BuyerID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: in.ValueRUB,
			Quantity: in.Quantity, Unit: in.Unit, Documented: in.Documented, Illustrative: in.Illustrative, Source: in.Source}}
	case "import":
		if in.SupplierID != "" || in.BuyerID != "" {
			return nil, key, bad("supplier_id")
		}
		if in.ValueRUB == nil {
			return nil, key, required
		}
		key.ParticipantID, key.Country = in.ParticipantID, strings.ToUpper(in.Country)
		ds.Imports = []gm.Import{{Pos: pos, ParticipantID: in.ParticipantID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: value, Quantity: in.Quantity,
			Unit: in.Unit, Country: key.Country, Illustrative: in.Illustrative, Source: in.Source}}
	case "capacity":
		if in.SupplierID != "" || in.BuyerID != "" {
			return nil, key, bad("supplier_id")
		}
		if in.Country != "" {
			return nil, key, bad("country")
		}
		if in.ValueRUB == nil {
			return nil, key, required
		}
		key.ParticipantID = in.ParticipantID
		ds.Capacities = []gm.Capacity{{Pos: pos, ParticipantID: in.ParticipantID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: value, Quantity: in.Quantity,
			Unit: in.Unit, Illustrative: in.Illustrative, Source: in.Source}}
	default:
		return nil, key, gm.Errorf(gm.EINVALID, "unknown record kind %q", kind)
	}
	return ds, key, nil
}

// SaveRecord adds or replaces a link, import or capacity of the cluster
// (kind "link", "import", "capacity"); ifVersion > 0 makes it fail with
// ECONFLICT when the stored version differs. It returns the new version and
// whether the record was created.
func (a *App) SaveRecord(ctx context.Context, me Principal, clusterID, kind string, in RecordInput, ifVersion int64) (int64, bool, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return 0, false, err
	}
	ds, key, err := in.record(kind)
	if err != nil {
		return 0, false, err
	}
	// The participants named must belong to this cluster.
	for _, pid := range []string{in.SupplierID, in.BuyerID, in.ParticipantID} {
		if pid == "" {
			continue
		}
		if _, err := a.store.Version(ctx, clusterID, gm.RecordKey{Kind: "participant", ParticipantID: pid}); gm.ErrorCode(err) == gm.ENOTFOUND {
			return 0, false, gm.Invalid("unknown participant", []gm.Problem{{File: "body", Row: 1, Value: pid, Message: "no such participant in cluster " + clusterID, MessageRU: "в кластере нет такого участника"}})
		} else if err != nil {
			return 0, false, err
		}
	}
	existed := true
	if _, err := a.store.Version(ctx, clusterID, key); gm.ErrorCode(err) == gm.ENOTFOUND {
		existed = false
		if ifVersion != 0 {
			return 0, false, err
		}
	} else if err != nil {
		return 0, false, err
	}
	if _, err := a.store.ImportIfVersion(as(ctx, me), clusterID, ds, key, ifVersion); err != nil {
		return 0, false, err
	}
	v, err := a.store.Version(ctx, clusterID, key)
	return v, !existed, err
}

// DeleteRecord removes a record from the cluster (a participant leaves it);
// ifVersion > 0 makes it fail with ECONFLICT when the version differs.
func (a *App) DeleteRecord(ctx context.Context, me Principal, clusterID string, k gm.RecordKey, ifVersion int64) error {
	if err := Write.Check(me, clusterID); err != nil {
		return err
	}
	return a.store.Delete(as(ctx, me), clusterID, k, ifVersion)
}
