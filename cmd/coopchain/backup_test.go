package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb)
	return out.String() + errb.String(), err
}

// backupRows reads a backup file: table → sorted rows, with the data
// version and cluster versions (renewed by every restore) blanked.
func backupRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	out := map[string][]string{}
	cols := map[string][]string{}
	for first := true; sc.Scan(); first = false {
		if first {
			var h struct {
				Tables []struct {
					Name    string
					Columns []struct{ Name string }
				}
			}
			json.Unmarshal(sc.Bytes(), &h)
			for _, tb := range h.Tables {
				for _, c := range tb.Columns {
					cols[tb.Name] = append(cols[tb.Name], c.Name)
				}
			}
			continue
		}
		var row struct {
			T string
			R []any
		}
		json.Unmarshal(sc.Bytes(), &row)
		if row.T == "" {
			continue
		}
		for i, c := range cols[row.T] {
			if (row.T == "data_version" && c == "v") || (row.T == "clusters" && c == "version") {
				row.R[i] = nil
			}
		}
		b, _ := json.Marshal(row.R)
		out[row.T] = append(out[row.T], string(b))
	}
	for _, r := range out {
		sort.Strings(r)
	}
	return out
}

// `coopchain backup` and `restore` carry a database from SQLite to
// PostgreSQL and back (the PostgreSQL leg when COOPCHAIN_TEST_POSTGRES is
// set) without losing a row; restore refuses a database with data unless
// --force, and a failed restore leaves no new file behind.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first.db")
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	pcsv, lcsv := sqltest.ChainCSV("p", 50, 200)
	os.WriteFile(filepath.Join(data, "participants.csv"), []byte(pcsv), 0o644)
	os.WriteFile(filepath.Join(data, "links.csv"), []byte(lcsv), 0o644)
	if out, err := cli(t, "import", "--db", first, "--cluster", "demo", data); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err := cli(t, "token", "create", "--db", first, "--role", "viewer", "--cluster", "demo"); err != nil {
		t.Fatalf("token: %v\n%s", err, out)
	}
	b1 := filepath.Join(dir, "first.ccbak")
	out, err := cli(t, "backup", "--db", first, "--out", b1)
	if err != nil || !strings.Contains(out, "sha256") || !strings.Contains(out, "tokens 1") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if fi, err := os.Stat(b1); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v (want 0600: it holds token hashes)", err, fi.Mode())
	}
	src := b1
	if admin := sqltest.PostgresAdmin(); admin != "" {
		pg := sqltest.NewPostgresDB(t, admin)
		if out, err := cli(t, "restore", "--db", pg, b1); err != nil {
			t.Fatalf("restore into PostgreSQL: %v\n%s", err, out)
		}
		src = filepath.Join(dir, "pg.ccbak")
		if out, err := cli(t, "backup", "--db", pg, "--out", src); err != nil || !strings.Contains(out, "postgres") {
			t.Fatalf("backup of PostgreSQL: %v\n%s", err, out)
		}
	} else {
		t.Log("PostgreSQL leg skipped: set " + sqltest.EnvPostgres)
	}
	last := filepath.Join(dir, "last.db")
	if out, err := cli(t, "restore", "--db", last, src); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	b3 := filepath.Join(dir, "last.ccbak")
	if out, err := cli(t, "backup", "--db", last, "--out", b3); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	want, got := backupRows(t, b1), backupRows(t, b3)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("round trip changed rows (-first +last):\n%s", d)
	}
	if len(want["links"]) < 200 || len(want["tokens"]) != 1 || len(want["clusters"]) < 105 {
		t.Errorf("backup misses rows: %d links, %d tokens, %d clusters", len(want["links"]), len(want["tokens"]), len(want["clusters"]))
	}
	// The restored database serves the data.
	if out, err := cli(t, "export", "--db", last, "--cluster", "demo", "--format", "json", "--out", filepath.Join(dir, "demo.json")); err != nil {
		t.Fatalf("export from the restored database: %v\n%s", err, out)
	}

	// Not into a database with data, unless --force.
	out, err = cli(t, "restore", "--db", first, b3)
	if err == nil || !strings.Contains(out+err.Error(), "--force") {
		t.Errorf("restore into a database with data: %v\n%s", err, out)
	}
	if out, err := cli(t, "restore", "--db", first, "--force", b3); err != nil {
		t.Errorf("restore --force: %v\n%s", err, out)
	}
	// A broken file: an error, and no database file left behind.
	broken := filepath.Join(dir, "broken.ccbak")
	raw, _ := os.ReadFile(b3)
	os.WriteFile(broken, raw[:len(raw)/2], 0o644)
	never := filepath.Join(dir, "never.db")
	if out, err := cli(t, "restore", "--db", never, broken); err == nil {
		t.Errorf("restore of a truncated file succeeded:\n%s", out)
	}
	if _, err := os.Stat(never); !os.IsNotExist(err) {
		t.Errorf("a failed restore left %s behind", never)
	}
	// Usage errors exit with status 2.
	if _, err := cli(t, "backup", "--db", first); exitCode(err) != 2 {
		t.Errorf("backup without --out: %v", err)
	}
}
