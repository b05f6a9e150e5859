package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/tabular"
)

// export --csv-dialect excel-ru writes files a Russian Excel opens; import
// reads them back as the same data.
func TestExportExcelRUAndReimport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if _, errOut, err := runCLI(t, "import", "--db", db, "--cluster", "src", "../../seeds/data/clusters/ru-031"); err != nil {
		t.Fatalf("import: %v %s", err, errOut)
	}
	out := filepath.Join(dir, "ru")
	if _, errOut, err := runCLI(t, "export", "--db", db, "--cluster", "src", "--format", "csv", "--csv-dialect", "excel-ru", "--out", out); err != nil {
		t.Fatalf("export: %v %s", err, errOut)
	}
	links, err := os.ReadFile(filepath.Join(out, "links.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(links, []byte("\ufeffsupplier_id;buyer_id;")) || !bytes.Contains(links, []byte("\r\n")) {
		t.Errorf("links.csv is not excel-ru: %q", links[:min(120, len(links))])
	}
	if _, errOut, err := runCLI(t, "import", "--db", db, "--cluster", "dst", out); err != nil {
		t.Fatalf("re-import: %v %s", err, errOut)
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows := func(id string) string {
		ds, err := st.ClusterData(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Participants {
			ds.Participants[i].Clusters = nil
		}
		var all []string
		for _, tb := range tabular.Tables(ds) {
			if tb.Name == "clusters" {
				continue
			}
			for _, r := range tb.Rows {
				all = append(all, tb.Name+":"+strings.Join(r, "|"))
			}
		}
		sort.Strings(all)
		return strings.Join(all, "\n")
	}
	a, b := rows("src"), rows("dst")
	if a != b || len(a) < 1000 {
		t.Errorf("re-imported data differs (%d vs %d bytes)", len(a), len(b))
	}
	if _, _, err := runCLI(t, "export", "--db", db, "--cluster", "src", "--format", "csv", "--csv-dialect", "excel", "--out", out); err == nil || !strings.Contains(err.Error(), "excel-ru") {
		t.Errorf("unknown dialect: %v", err)
	}
}
