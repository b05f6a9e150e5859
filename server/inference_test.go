package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
)

// investorView is everything an investor can read about the niches: the
// cluster's niche list, the published niches of all clusters, and every
// niche's proposal (JSON and its workbook's text is the same view).
func investorView(t *testing.T, s http.Handler, inv string) string {
	t.Helper()
	var b strings.Builder
	get := func(target string) []byte {
		rec := call(s, http.MethodGet, target, inv, "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		fmt.Fprintf(&b, "%s\n%s\n", target, rec.Body)
		return rec.Body.Bytes()
	}
	var list struct {
		Items []struct {
			ProductCode string `json:"product_code"`
		} `json:"items"`
	}
	if err := json.Unmarshal(get("/api/v1/clusters/alu/niches"), &list); err != nil {
		t.Fatal(err)
	}
	get("/api/v1/niches")
	for _, n := range list.Items {
		get("/api/v1/clusters/alu/niches/" + url.PathEscape(n.ProductCode) + "/proposal")
	}
	return b.String()
}

// An investor must not be able to recompute a confidential demand: the
// demand of a product one participant imports is withheld, and nothing the
// investor sees is a function of it. Proof by difference: two databases
// that differ only in that hidden figure — from far below to far above every
// published gap, so that it is also the cluster's largest — must show an
// investor byte-identical answers. (Before the fix the score of the hidden
// niche, with the published weights and the largest published gap, gave
// back the single importer's figure exactly; and the published niches'
// scores moved with the largest gap when that was the hidden one.)
func TestInvestorCannotInferHiddenDemand(t *testing.T) {
	var views []string
	for _, hidden := range []float64{1e3, 6e7, 9e7, 5e10} {
		seed := twoClusters()
		seed.Data["alu"].Imports = append(seed.Data["alu"].Imports, gm.Import{ParticipantID: "win1", ProductCode: "25.72.14", Year: 2024, ValueRUB: hidden})
		s, db := newRawServer(t, seed, server.Config{})
		inv := token(t, db, "investor", "")
		v := investorView(t, s, inv)
		if strings.Contains(v, fmt.Sprint(hidden)) || strings.Contains(v, fmt.Sprintf("%.0f", hidden)) {
			t.Fatalf("the hidden figure %v appears in the investor's view", hidden)
		}
		// The confidential niche is listed, with no score.
		if !strings.Contains(v, `"product_code":"25.72.14"`) {
			t.Fatalf("the confidential niche is not listed: %s", v)
		}
		views = append(views, v)
	}
	for i := 1; i < len(views); i++ {
		if views[i] != views[0] {
			a, b := firstDifference(views[0], views[i])
			t.Errorf("the investor's view depends on the hidden demand:\n%s\nvs\n%s", a, b)
		}
	}
}

func firstDifference(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)]
}
