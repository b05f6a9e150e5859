package main

import (
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/graphmodel/tabular"
)

// analysisSheets returns the analysis sheets (metrics, import gaps, niches,
// compliance) added to an XLSX export of ds.
func analysisSheets(ds *gm.Dataset) ([]tabular.Table, error) {
	return nil, nil
}
