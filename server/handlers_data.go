package server

import (
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// bindJSON decodes a JSON body strictly: the content type must be JSON (415),
// unknown fields are refused (so nobody can set fields such as id, role or
// cluster_id that the body must not carry), size is capped (413).
func (s *Server) bindJSON(c echo.Context, v any) error {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEApplicationJSON {
		return gm.Errorf(gm.EUNSUPPORTED, "send application/json, not %q", mt)
	}
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, 1<<20)
	return decodeJSON(r.Body, v)
}

// ifMatch reads the If-Match header as a record version (0 when absent).
func ifMatch(c echo.Context) (int64, error) {
	h := strings.Trim(strings.TrimPrefix(strings.TrimSpace(c.Request().Header.Get("If-Match")), "W/"), `"`)
	if h == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v < 1 {
		return 0, gm.Errorf(gm.EINVALID, "If-Match must be the record's version, e.g. \"3\"")
	}
	return v, nil
}

func setVersion(c echo.Context, v int64) { c.Response().Header().Set("ETag", fmt.Sprintf(`"%d"`, v)) }

// clusterData returns the cluster and its (cached) dataset.
func (s *Server) clusterData(c echo.Context) (*gm.Cluster, *gm.Dataset, error) {
	ctx := c.Request().Context()
	cl, err := s.store.GetCluster(ctx, c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	_, ds, err := s.analyzer.report(ctx, cl, 0)
	return cl, ds, err
}

func pageOf[T any](s *Server, c echo.Context, all []T) error {
	limit, offset, err := s.paging(c)
	if err != nil {
		return err
	}
	total := len(all)
	if offset > total {
		offset = total
	}
	end := min(offset+limit, total)
	items := all[offset:end]
	if items == nil {
		items = []T{}
	}
	return c.JSON(http.StatusOK, page[T]{Items: items, Total: total, Limit: limit, Offset: offset})
}

func matchText(v, q string) bool {
	return q == "" || strings.Contains(strings.ToLower(v), strings.ToLower(q))
}

func (s *Server) handleParticipants() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, ds, err := s.clusterData(c)
		if err != nil {
			return err
		}
		kind, region, q := c.QueryParam("kind"), c.QueryParam("region"), c.QueryParam("q")
		var out []gm.Participant
		for _, p := range ds.Participants {
			if (kind == "" || string(p.Kind) == kind) && matchText(p.Region, region) && (matchText(p.Name, q) || matchText(p.ID, q) || q != "" && p.INN == q) {
				out = append(out, p)
			}
		}
		return pageOf(s, c, out)
	}
}

func (s *Server) handleParticipant() echo.HandlerFunc {
	return func(c echo.Context) error {
		// The version is read before the data, so the data sent is at least
		// as new as the version: a stale copy never goes out with a newer
		// version, which would let a PUT of it overwrite a change unseen.
		pid := c.Param("pid")
		v, verr := s.store.Version(c.Request().Context(), c.Param("id"), gm.RecordKey{Kind: "participant", ParticipantID: pid})
		if verr != nil && gm.ErrorCode(verr) != gm.ENOTFOUND {
			return verr
		}
		cl, ds, err := s.clusterData(c)
		if err != nil {
			return err
		}
		for _, p := range ds.Participants {
			if p.ID == pid {
				if verr != nil {
					return verr
				}
				setVersion(c, v)
				return c.JSON(http.StatusOK, map[string]any{"participant": p, "version": v})
			}
		}
		return gm.Errorf(gm.ENOTFOUND, "participant %q not found in cluster %s", pid, cl.ID)
	}
}

// participantInput is what a client may set on a participant: no cluster
// membership (that is the path), no version (that is If-Match).
type participantInput struct {
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

func (s *Server) handleSaveParticipant(replace bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in participantInput
		if err := s.bindJSON(c, &in); err != nil {
			return err
		}
		cid := c.Param("id")
		ver, err := ifMatch(c)
		if err != nil {
			return err
		}
		if replace {
			pid := c.Param("pid")
			if in.ID != "" && in.ID != pid {
				return gm.Invalid("the id cannot be changed", []gm.Problem{{Column: "id", Value: in.ID, Message: "must match the path (" + pid + ") or be left out", MessageRU: "должен совпадать с путём или отсутствовать"}})
			}
			in.ID = pid
			if _, err := s.store.Version(c.Request().Context(), cid, gm.RecordKey{Kind: "participant", ParticipantID: pid}); err != nil {
				return err
			}
		} else if ver != 0 {
			return gm.Errorf(gm.EINVALID, "If-Match only applies to PUT")
		}
		kind := gm.ParticipantKind(in.Kind)
		if kind == "" {
			kind = gm.KindEnterprise
		}
		p := gm.Participant{ID: in.ID, Name: in.Name, INN: in.INN, Kind: kind, FinalProducer: in.FinalProducer, Region: in.Region, Country: strings.ToUpper(in.Country),
			OKVED: in.OKVED, SME: in.SME, Employees: in.Employees, RevenueRUB: in.RevenueRUB, FinalSalesRUB: in.FinalSalesRUB, Year: in.Year,
			Illustrative: in.Illustrative, Source: in.Source, Pos: gm.Pos{File: "body", Row: 1}}
		if !replace {
			ver = gm.CreateOnly // the store fails with ECONFLICT if it exists, in the writing transaction
		}
		key := gm.RecordKey{Kind: "participant", ParticipantID: p.ID}
		if _, err := s.store.ImportIfVersion(c.Request().Context(), cid, &gm.Dataset{Participants: []gm.Participant{p}}, key, ver); err != nil {
			return err
		}
		v, err := s.store.Version(c.Request().Context(), cid, key)
		if err != nil {
			return err
		}
		setVersion(c, v)
		status := http.StatusOK
		if !replace {
			status = http.StatusCreated
		}
		return c.JSON(status, map[string]any{"participant": p, "version": v})
	}
}

// recordInput is a link, import or capacity as a client sends it.
type recordInput struct {
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

func (s *Server) handleSaveRecord(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in recordInput
		if err := s.bindJSON(c, &in); err != nil {
			return err
		}
		ver, err := ifMatch(c)
		if err != nil {
			return err
		}
		pos := gm.Pos{File: "body", Row: 1}
		ds := &gm.Dataset{}
		key := gm.RecordKey{Kind: kind, ProductCode: in.ProductCode, Year: in.Year}
		bad := func(col string) error {
			return gm.Invalid("field not allowed for a "+kind, []gm.Problem{{Column: col, Message: "not a field of a " + kind, MessageRU: "поле не относится к записи этого вида"}})
		}
		value := 0.0
		if in.ValueRUB != nil {
			value = *in.ValueRUB
		}
		switch kind {
		case "link":
			if in.ParticipantID != "" {
				return bad("participant_id")
			}
			if in.Country != "" {
				return bad("country")
			}
			key.SupplierID, key.BuyerID = in.SupplierID, in.BuyerID
			ds.Links = []gm.SupplyLink{{Pos: pos, SupplierID: in.SupplierID, BuyerID: in.BuyerID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: in.ValueRUB,
				Quantity: in.Quantity, Unit: in.Unit, Documented: in.Documented, Illustrative: in.Illustrative, Source: in.Source}}
		case "import":
			if in.SupplierID != "" || in.BuyerID != "" {
				return bad("supplier_id")
			}
			if in.ValueRUB == nil {
				return gm.Invalid("value_rub is required", []gm.Problem{{Column: "value_rub", Message: "required", MessageRU: "обязательное поле"}})
			}
			key.ParticipantID, key.Country = in.ParticipantID, strings.ToUpper(in.Country)
			ds.Imports = []gm.Import{{Pos: pos, ParticipantID: in.ParticipantID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: value, Quantity: in.Quantity,
				Unit: in.Unit, Country: key.Country, Illustrative: in.Illustrative, Source: in.Source}}
		case "capacity":
			if in.SupplierID != "" || in.BuyerID != "" {
				return bad("supplier_id")
			}
			if in.Country != "" {
				return bad("country")
			}
			if in.ValueRUB == nil {
				return gm.Invalid("value_rub is required", []gm.Problem{{Column: "value_rub", Message: "required", MessageRU: "обязательное поле"}})
			}
			key.ParticipantID = in.ParticipantID
			ds.Capacities = []gm.Capacity{{Pos: pos, ParticipantID: in.ParticipantID, ProductCode: in.ProductCode, Year: in.Year, ValueRUB: value, Quantity: in.Quantity,
				Unit: in.Unit, Illustrative: in.Illustrative, Source: in.Source}}
		}
		cid := c.Param("id")
		// The participants named must belong to this cluster.
		for _, pid := range []string{in.SupplierID, in.BuyerID, in.ParticipantID} {
			if pid == "" {
				continue
			}
			if _, err := s.store.Version(c.Request().Context(), cid, gm.RecordKey{Kind: "participant", ParticipantID: pid}); gm.ErrorCode(err) == gm.ENOTFOUND {
				return gm.Invalid("unknown participant", []gm.Problem{{File: "body", Row: 1, Value: pid, Message: "no such participant in cluster " + cid, MessageRU: "в кластере нет такого участника"}})
			} else if err != nil {
				return err
			}
		}
		existed := true
		if _, err := s.store.Version(c.Request().Context(), cid, key); gm.ErrorCode(err) == gm.ENOTFOUND {
			existed = false
			if ver != 0 {
				return err
			}
		} else if err != nil {
			return err
		}
		if _, err := s.store.ImportIfVersion(c.Request().Context(), cid, ds, key, ver); err != nil {
			return err
		}
		v, err := s.store.Version(c.Request().Context(), cid, key)
		if err != nil {
			return err
		}
		setVersion(c, v)
		status := http.StatusOK
		if !existed {
			status = http.StatusCreated
		}
		return c.JSON(status, map[string]any{kind: in, "version": v})
	}
}

func (s *Server) handleDeleteRecord(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ver, err := ifMatch(c)
		if err != nil {
			return err
		}
		k := gm.RecordKey{Kind: kind, ParticipantID: c.Param("pid")}
		if kind != "participant" {
			year := 0
			if y := c.QueryParam("year"); y != "" {
				if year, err = strconv.Atoi(y); err != nil {
					return gm.Errorf(gm.EINVALID, "year must be a number")
				}
			}
			k = gm.RecordKey{Kind: kind, ParticipantID: c.QueryParam("participant"), SupplierID: c.QueryParam("supplier"), BuyerID: c.QueryParam("buyer"),
				ProductCode: c.QueryParam("product"), Year: year, Country: strings.ToUpper(c.QueryParam("country"))}
		}
		if err := s.store.Delete(c.Request().Context(), c.Param("id"), k, ver); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func yearFilter(c echo.Context) (int, error) {
	y := c.QueryParam("year")
	if y == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(y)
	if err != nil {
		return 0, gm.Errorf(gm.EINVALID, "year must be a number")
	}
	return n, nil
}

func (s *Server) handleLinks() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, ds, err := s.clusterData(c)
		if err != nil {
			return err
		}
		y, err := yearFilter(c)
		if err != nil {
			return err
		}
		sup, buy, prod := c.QueryParam("supplier"), c.QueryParam("buyer"), c.QueryParam("product")
		var out []gm.SupplyLink
		for _, l := range ds.Links {
			if (sup == "" || l.SupplierID == sup) && (buy == "" || l.BuyerID == buy) && (prod == "" || l.ProductCode == prod) && (y == 0 || l.Year == y) {
				out = append(out, l)
			}
		}
		return pageOf(s, c, out)
	}
}

func (s *Server) handleImports() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, ds, err := s.clusterData(c)
		if err != nil {
			return err
		}
		y, err := yearFilter(c)
		if err != nil {
			return err
		}
		pid, prod := c.QueryParam("participant"), c.QueryParam("product")
		var out []gm.Import
		for _, m := range ds.Imports {
			if (pid == "" || m.ParticipantID == pid) && (prod == "" || m.ProductCode == prod) && (y == 0 || m.Year == y) {
				out = append(out, m)
			}
		}
		return pageOf(s, c, out)
	}
}

func (s *Server) handleCapacities() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, ds, err := s.clusterData(c)
		if err != nil {
			return err
		}
		y, err := yearFilter(c)
		if err != nil {
			return err
		}
		pid, prod := c.QueryParam("participant"), c.QueryParam("product")
		var out []gm.Capacity
		for _, m := range ds.Capacities {
			if (pid == "" || m.ParticipantID == pid) && (prod == "" || m.ProductCode == prod) && (y == 0 || m.Year == y) {
				out = append(out, m)
			}
		}
		return pageOf(s, c, out)
	}
}

func (s *Server) handleProducts() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, offset, err := s.paging(c)
		if err != nil {
			return err
		}
		ps, total, err := s.store.Products(c.Request().Context(), c.QueryParam("q"), limit, offset)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page[gm.Product]{Items: ps, Total: total, Limit: limit, Offset: offset})
	}
}

// PublicNiche is a niche as non-members see it: demand only as an aggregate,
// and only when at least the threshold number of participants import the
// product; never a per-company figure or name.
type PublicNiche struct {
	ClusterID          string   `json:"cluster_id"`
	ClusterName        string   `json:"cluster_name,omitempty"`
	Rank               int      `json:"rank"`
	ProductCode        string   `json:"product_code"`
	ProductName        string   `json:"product_name"`
	Score              float64  `json:"score"`
	Buyers             int      `json:"buyers"`
	ImportSubstitution bool     `json:"import_substitution"`
	AdjacentCount      int      `json:"adjacent_count"`
	Countries          []string `json:"countries"`
	GapRUB             *float64 `json:"gap_rub"`
	ImportedRUB        *float64 `json:"imported_rub"`
	GapQuantity        *float64 `json:"gap_quantity"`
	Unit               string   `json:"unit,omitempty"`
	Confidential       bool     `json:"confidential"` // demand withheld: fewer participants than the threshold
	Illustrative       bool     `json:"illustrative"`
}

func publicNiches(r *analysis.Report, threshold int) []PublicNiche {
	out := []PublicNiche{}
	for _, n := range r.Niches {
		p := PublicNiche{ClusterID: r.ClusterID, ClusterName: r.ClusterName, Rank: n.Rank, ProductCode: n.ProductCode, ProductName: n.ProductName, Score: n.Score,
			Buyers: n.Buyers, ImportSubstitution: n.ImportSubstitution, AdjacentCount: len(n.Adjacent), Countries: n.Countries, Unit: n.Unit, Illustrative: n.Illustrative}
		if n.Buyers >= threshold {
			g, i := n.GapRUB, n.ImportedRUB
			p.GapRUB, p.ImportedRUB, p.GapQuantity = &g, &i, n.GapQuantity
		} else {
			p.Confidential = true
		}
		if p.Countries == nil {
			p.Countries = []string{}
		}
		out = append(out, p)
	}
	return out
}

// viewNiches gives members the full niches and everyone else the aggregated
// public form.
func (s *Server) viewNiches(r *analysis.Report, _ *gm.Dataset, c echo.Context) (any, error) {
	if who(c).member(c.Param("id")) {
		return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "items": r.Niches, "total": len(r.Niches), "weights": analysis.DefaultWeights, "aggregated": false}, nil
	}
	items := publicNiches(r, s.cfg.AggregationThreshold)
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "items": items, "total": len(items), "aggregated": true, "threshold": s.cfg.AggregationThreshold}, nil
}

// handlePublishedNiches lists the niches of every cluster with data, in the
// aggregated public form (members of a cluster see the same here).
func (s *Server) handlePublishedNiches() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cls, _, err := s.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll}) // stored foreign and planned clusters publish niches too
		if err != nil {
			return err
		}
		product := c.QueryParam("product")
		var all []PublicNiche
		for i := range cls {
			rep, _, err := s.analyzer.report(ctx, &cls[i], 0)
			if err != nil {
				return err
			}
			if len(rep.Participants) == 0 { // a registry entry without data
				continue
			}
			for _, n := range publicNiches(rep, s.cfg.AggregationThreshold) {
				if product == "" || strings.HasPrefix(n.ProductCode, product) {
					all = append(all, n)
				}
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Score > all[j].Score })
		return pageOf(s, c, all)
	}
}
