package sqlstore_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// fill puts something in every table: the registry and rating (seed), a
// detailed cluster, a participant in two clusters, employment, a token, a
// session, a scenario, odd values (NULLs, floats, Cyrillic, quotes).
func fill(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	seed := &gm.Seed{
		Clusters: []gm.Cluster{{ID: "ru-001", Name: "Первый \"кластер\"", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область", "Тверская область"}}},
		Rating:   []gm.RegionRating{{Rank: 1, Region: "Республика Башкортостан", S1: 37.8, S2: 0.1, Total: 73.3}},
		Data:     map[string]*gm.Dataset{"alu": sample()},
	}
	if _, err := db.LoadSeed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	ds := &gm.Dataset{
		Participants: []gm.Participant{{ID: "extruder", Name: "Экструзия", Kind: gm.KindEnterprise, Country: "RU", RevenueRUB: f(1.0 / 3), Clusters: []string{"ru-001"}}},
		Employment:   []gm.Employment{{Region: "Омская область", Industry: "24", Group: "traded", Year: 2024, Employees: 1234.5}},
	}
	if _, err := db.Import(ctx, "ru-001", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	tok := gm.Token{ID: "t1", SecretHash: gm.HashSecret("secret"), Role: gm.RoleEditor, ClusterID: "alu", Name: "editor", CreatedAt: "2025-01-01T00:00:00Z"}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, gm.Session{IDHash: "h1", TokenID: "t1", CSRF: "c", ExpiresAt: "2099-01-01T00:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveScenario(ctx, &gm.StoredScenario{ID: "s1", ClusterID: "alu", Name: "Что если", Changes: []byte(`[{"op":"remove_participant","id":"smelter"}]`)}); err != nil {
		t.Fatal(err)
	}
}

// dump reads every table through a backup: table → sorted rows (JSON), the
// data version and cluster versions blanked (a restore renews them).
func dump(t *testing.T, db *sqlstore.DB, opt sqlstore.BackupOptions) map[string][]string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := db.Backup(context.Background(), &buf, opt); err != nil {
		t.Fatal(err)
	}
	return parseBackup(t, buf.Bytes())
}

func parseBackup(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	var header struct {
		Tables []struct {
			Name    string
			Columns []struct{ Name string }
		}
	}
	out := map[string][]string{}
	cols := map[string][]string{}
	for i := 0; sc.Scan(); i++ {
		if i == 0 {
			if err := json.Unmarshal(sc.Bytes(), &header); err != nil {
				t.Fatal(err)
			}
			for _, tb := range header.Tables {
				out[tb.Name] = []string{}
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
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		if row.T == "" {
			continue // the end marker
		}
		for i, c := range cols[row.T] {
			if (row.T == "data_version" && c == "v") || (row.T == "clusters" && c == "version") {
				row.R[i] = "renewed"
			}
		}
		j, _ := json.Marshal(row.R)
		out[row.T] = append(out[row.T], string(j))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, rows := range out {
		sort.Strings(rows)
	}
	return out
}

func openDSN(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A backup restores into a new database of either kind with every row of
// every table; backing up the copy gives the same rows.
func TestBackupRestoreAcrossStores(t *testing.T) {
	ctx := context.Background()
	for _, from := range sqltest.Backends(t) {
		for _, to := range sqltest.Backends(t) {
			t.Run(from.Name+"_to_"+to.Name, func(t *testing.T) {
				src := openDSN(t, from.NewDSN(t))
				fill(t, src)
				var buf bytes.Buffer
				info, err := src.Backup(ctx, &buf, sqlstore.BackupOptions{Sessions: true})
				if err != nil {
					t.Fatal(err)
				}
				if info.Source != from.Name || info.Rows["tokens"] != 1 || info.Rows["sessions"] != 1 || info.Rows["scenarios"] != 1 || len(info.SHA256) != 64 {
					t.Errorf("backup info = %+v", info)
				}
				dst := openDSN(t, to.NewDSN(t))
				rinfo, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), sqlstore.RestoreOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if rinfo.Total != info.Total || rinfo.SHA256 != info.SHA256 {
					t.Errorf("restored %d rows (sha %s), backed up %d (%s)", rinfo.Total, rinfo.SHA256, info.Total, info.SHA256)
				}
				want, got := parseBackup(t, buf.Bytes()), dump(t, dst, sqlstore.BackupOptions{Sessions: true})
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("restored tables differ (-backup +restored):\n%s", d)
				}
				// The restored store works: the data reads back, the token
				// authenticates, the scenario is there, the seed is not loaded again.
				a, _ := src.ClusterData(ctx, "alu")
				b, err := dst.ClusterData(ctx, "alu")
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(a, b, ignore()); d != "" {
					t.Errorf("cluster data differs:\n%s", d)
				}
				if tok, err := dst.Token(ctx, "t1"); err != nil || !gm.SecretMatches("secret", tok.SecretHash) {
					t.Errorf("token: %+v %v", tok, err)
				}
				if sc, err := dst.Scenario(ctx, "alu", "s1"); err != nil || sc.Version != 1 {
					t.Errorf("scenario: %+v %v", sc, err)
				}
				if loaded, err := dst.LoadSeed(ctx, &gm.Seed{}); err != nil || loaded {
					t.Errorf("seed loaded again into the restored database: %v %v", loaded, err)
				}
				// Every cluster's version is renewed above the backup's, so that
				// caches keyed on it cannot serve the old database's data.
				v0, _ := src.DataVersion(ctx)
				v1, _ := dst.DataVersion(ctx)
				c, _ := dst.GetCluster(ctx, "alu")
				if v1 <= v0 || c.Version != v1 || rinfo.DataVersion != v1 {
					t.Errorf("data version %d → %d, cluster version %d, reported %d", v0, v1, c.Version, rinfo.DataVersion)
				}
			})
		}
	}
}

// SQLite → PostgreSQL → SQLite keeps every row.
func TestBackupChainSQLitePostgresSQLite(t *testing.T) {
	admin := sqltest.PostgresAdmin()
	if admin == "" {
		t.Skip("set " + sqltest.EnvPostgres + " to run against PostgreSQL")
	}
	ctx := context.Background()
	first := openDSN(t, t.TempDir()+"/first.db")
	fill(t, first)
	pg := openDSN(t, sqltest.NewPostgresDB(t, admin))
	last := openDSN(t, t.TempDir()+"/last.db")
	var b1, b2 bytes.Buffer
	if _, err := first.Backup(ctx, &b1, sqlstore.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pg.Restore(ctx, &b1, sqlstore.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pg.Backup(ctx, &b2, sqlstore.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := last.Restore(ctx, &b2, sqlstore.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	want, got := dump(t, first, sqlstore.BackupOptions{}), dump(t, last, sqlstore.BackupOptions{})
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("SQLite → PostgreSQL → SQLite changed data (-first +last):\n%s", d)
	}
	if len(want["sessions"]) != 0 || len(want["links"]) == 0 {
		t.Errorf("sessions are left out by default, links kept: %d sessions, %d links", len(want["sessions"]), len(want["links"]))
	}
}

// Restore refuses a database with data unless forced; a bad file changes
// nothing, even with --force.
func TestRestoreAllOrNothing(t *testing.T) {
	ctx := context.Background()
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			src := openDSN(t, b.NewDSN(t))
			fill(t, src)
			var buf bytes.Buffer
			if _, err := src.Backup(ctx, &buf, sqlstore.BackupOptions{}); err != nil {
				t.Fatal(err)
			}
			good := buf.Bytes()

			// A database with other data.
			dst := openDSN(t, b.NewDSN(t))
			other := sample()
			other.Clusters[0].ID = "other"
			for i := range other.Participants {
				other.Participants[i].ID += "-x"
				other.Participants[i].INN = ""
				other.Participants[i].Clusters = []string{"other"}
			}
			other.Links, other.Imports, other.Capacities, other.Projects = nil, nil, nil, nil
			if _, err := dst.Import(ctx, "other", other, gm.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			before := dump(t, dst, sqlstore.BackupOptions{})
			if _, err := dst.Restore(ctx, bytes.NewReader(good), sqlstore.RestoreOptions{}); gm.ErrorCode(err) != gm.ECONFLICT || !strings.Contains(err.Error(), "--force") {
				t.Fatalf("restore into a database with data: %v", err)
			}
			// Broken files, each with --force: the database keeps its data.
			bad := map[string][]byte{
				"truncated":      truncate(t, good),
				"value changed":  rewrite(t, good, func(s string) string { return strings.Replace(s, "Экструзия", "Экструзиа", 1) }),
				"row dropped":    rewrite(t, good, func(s string) string { return dropLine(s, `{"t":"links"`) }),
				"foreign key":    rewrite(t, good, func(s string) string { return strings.Replace(s, `["smelter","extruder"`, `["ghost","extruder"`, 1) }),
				"not gzip":       []byte("hello"),
				"not a backup":   gz(t, "{\"hello\":1}\n"),
				"newer database": rewrite(t, good, func(s string) string { return strings.Replace(s, `"migrations":[1,2`, `"migrations":[1,2,999`, 1) }),
			}
			for name, data := range bad {
				_, err := dst.Restore(ctx, bytes.NewReader(data), sqlstore.RestoreOptions{Force: true})
				if gm.ErrorCode(err) != gm.EINVALID {
					t.Errorf("%s: err = %v (%s), want invalid", name, err, gm.ErrorCode(err))
				}
				if d := cmp.Diff(before, dump(t, dst, sqlstore.BackupOptions{})); d != "" {
					t.Errorf("%s: a failed restore changed the database:\n%s", name, d)
				}
			}
			// --force replaces the contents.
			if _, err := dst.Restore(ctx, bytes.NewReader(good), sqlstore.RestoreOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(parseBackup(t, good), dump(t, dst, sqlstore.BackupOptions{})); d != "" {
				t.Errorf("forced restore (-backup +restored):\n%s", d)
			}
			if _, err := dst.GetCluster(ctx, "other"); gm.ErrorCode(err) != gm.ENOTFOUND {
				t.Errorf("the replaced data is still there: %v", err)
			}
		})
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	s, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

func rewrite(t *testing.T, b []byte, fn func(string) string) []byte {
	t.Helper()
	s := gunzip(t, b)
	s2 := fn(s)
	if s2 == s {
		t.Fatal("rewrite changed nothing")
	}
	return gz(t, s2)
}

// truncate cuts the uncompressed file in the middle of its rows.
func truncate(t *testing.T, b []byte) []byte {
	s := gunzip(t, b)
	return gz(t, s[:len(s)*2/3])
}

func dropLine(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return strings.Join(append(lines[:i:i], lines[i+1:]...), "")
		}
	}
	return s
}
