package sqlstore_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// Database faults: a lock held by another connection, the database going
// away and coming back, a full disk, a file or database that cannot be
// written. Each must give a clean EUNAVAILABLE (HTTP 503), never hang, and
// leave the data intact after recovery. Waits are bounded by short store
// timeouts; the tests assert outcomes, not durations.

const testWait = 300 * time.Millisecond

func openWith(t *testing.T, dsn string, opt sqlstore.Options) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// bounded runs fn with a generous deadline: a call that hangs fails the test
// instead of blocking it.
func bounded(t *testing.T, fn func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := fn(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the call did not return before its deadline: %v", err)
	}
	return err
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if gm.ErrorCode(err) != gm.EUNAVAILABLE {
		t.Fatalf("%s: err = %v (code %q), want %s", what, err, gm.ErrorCode(err), gm.EUNAVAILABLE)
	}
	if msg := gm.ErrorMessage(err); strings.Contains(msg, "SQLITE") || strings.Contains(msg, "SQLSTATE") || strings.Contains(msg, "pgx") || strings.Contains(msg, "sqlite:") {
		t.Errorf("%s: the message leaks the driver: %q", what, msg)
	}
}

func onePerson(id string) *gm.Dataset {
	return &gm.Dataset{Participants: []gm.Participant{{ID: id, Name: "Участник " + id, Kind: gm.KindEnterprise}}}
}

// A write lock held by another connection makes writes wait for the busy
// timeout and then fail with EUNAVAILABLE; reads go on meanwhile; a write
// waiting when the lock is released succeeds.
func TestSQLiteWriteLockWaitsThenUnavailable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lock.db")
	db := openWith(t, path, sqlstore.Options{BusyTimeout: testWait})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock := func() *sql.Conn {
		c, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			t.Fatal(err)
		}
		return c
	}
	unlock := func(c *sql.Conn) {
		c.ExecContext(ctx, `ROLLBACK`)
		c.Close()
	}
	c := lock()
	err = bounded(t, func(ctx context.Context) error {
		_, err := db.Import(ctx, "alu", onePerson("new"), gm.ImportOptions{})
		return err
	})
	wantUnavailable(t, "import under a held lock", err)
	err = bounded(t, func(ctx context.Context) error {
		_, err := db.ImportIfVersion(ctx, "alu", onePerson("smelter"), gm.RecordKey{Kind: "participant", ParticipantID: "smelter"}, 1)
		return err
	})
	wantUnavailable(t, "versioned save under a held lock", err)
	wantUnavailable(t, "delete under a held lock", bounded(t, func(ctx context.Context) error {
		return db.Delete(ctx, "alu", gm.RecordKey{Kind: "participant", ParticipantID: "sopc"}, 0)
	}))
	if _, err := db.ClusterData(ctx, "alu"); err != nil {
		t.Errorf("reads must go on while another connection writes: %v", err)
	}
	unlock(c)

	// A write that starts while the lock is held waits for it.
	slow := openWith(t, path, sqlstore.Options{BusyTimeout: time.Minute})
	c = lock()
	done := make(chan error, 1)
	go func() { _, err := slow.Import(ctx, "alu", onePerson("waited"), gm.ImportOptions{}); done <- err }()
	select {
	case err := <-done:
		t.Fatalf("the write did not wait for the lock: %v", err)
	case <-time.After(testWait):
	}
	unlock(c)
	if err := <-done; err != nil {
		t.Fatalf("the waiting write failed after the lock was released: %v", err)
	}
	ds, _ := db.ClusterData(ctx, "alu")
	if len(ds.Participants) != 5 { // 4 + "waited"; "new" was refused
		t.Errorf("%d participants, want 5", len(ds.Participants))
	}
	sqltest.CheckIntegrity(t, db.SQL(), false)
}

// PostgreSQL: a row or table locked by another transaction makes writes
// fail with EUNAVAILABLE after lock_timeout instead of waiting for ever.
func TestPostgresLockTimeout(t *testing.T) {
	admin := sqltest.PostgresAdmin()
	if admin == "" {
		t.Skip("set " + sqltest.EnvPostgres + " to run against PostgreSQL")
	}
	ctx := context.Background()
	dsn := sqltest.NewPostgresDB(t, admin)
	db := openWith(t, dsn, sqlstore.Options{BusyTimeout: testWait})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, lock := range []string{
		`SELECT 1 FROM participants WHERE id = 'smelter' FOR UPDATE`,
		`LOCK TABLE data_version IN EXCLUSIVE MODE`,
	} {
		t.Run(strings.Fields(lock)[0], func(t *testing.T) {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				t.Fatal(err)
			}
			err = bounded(t, func(ctx context.Context) error {
				_, err := db.ImportIfVersion(ctx, "alu", onePerson("smelter"), gm.RecordKey{Kind: "participant", ParticipantID: "smelter"}, 0)
				return err
			})
			wantUnavailable(t, "save of a locked record", err)
			if _, err := db.ClusterData(ctx, "alu"); err != nil {
				t.Errorf("reads must go on: %v", err)
			}
			tx.Rollback()
			if _, err := db.ImportIfVersion(ctx, "alu", onePerson("smelter"), gm.RecordKey{Kind: "participant", ParticipantID: "smelter"}, 0); err != nil {
				t.Errorf("after the lock is released: %v", err)
			}
		})
	}
}

func hostPort(t *testing.T, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// PostgreSQL going away (every connection cut, the port closed) gives
// EUNAVAILABLE at once, also to an import in the middle of its transaction,
// which then is absent; when the server is back the store recovers by itself
// with the data intact.
func TestPostgresGoneAndBack(t *testing.T) {
	admin := sqltest.PostgresAdmin()
	if admin == "" {
		t.Skip("set " + sqltest.EnvPostgres + " to run against PostgreSQL")
	}
	ctx := context.Background()
	dsn := sqltest.NewPostgresDB(t, admin)
	proxy := sqltest.NewProxy(t, hostPort(t, dsn))
	db := openWith(t, sqltest.WithHost(t, dsn, proxy.Addr()), sqlstore.Options{BusyTimeout: testWait, ConnectTimeout: 2 * time.Second})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.ClusterData(ctx, "alu")
	direct, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()

	// Cut while a 10,000-row import is writing.
	done := make(chan error, 1)
	go func() {
		_, err := db.Import(ctx, "big", sqltest.Chain("b", 500, 9500), gm.ImportOptions{})
		done <- err
	}()
	if !waitWriting(t, direct, done) {
		t.Log("the import finished before it could be cut; the cut is tested on idle connections only")
	}
	proxy.Stop()
	if err := <-done; err != nil {
		wantUnavailable(t, "import cut in the middle", err)
	}
	wantUnavailable(t, "data version while down", bounded(t, func(ctx context.Context) error { _, err := db.DataVersion(ctx); return err }))
	wantUnavailable(t, "read while down", bounded(t, func(ctx context.Context) error { _, err := db.ClusterData(ctx, "alu"); return err }))
	wantUnavailable(t, "write while down", bounded(t, func(ctx context.Context) error {
		_, err := db.Import(ctx, "alu", onePerson("x"), gm.ImportOptions{})
		return err
	}))

	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	recovered := false
	for i := 0; i < 200 && !recovered; i++ {
		_, err := db.DataVersion(ctx)
		recovered = err == nil
		if !recovered {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !recovered {
		t.Fatal("the store did not recover after the database came back")
	}
	after, err := db.ClusterData(ctx, "alu")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("data changed across the outage:\n%s", d)
	}
	assertAllOrNothing(t, db, "big", 500, 9500)
	if _, err := db.Import(ctx, "alu", onePerson("after"), gm.ImportOptions{}); err != nil {
		t.Errorf("write after recovery: %v", err)
	}
	sqltest.CheckIntegrity(t, direct, true)
}

// waitWriting waits until the database shows a coopchain transaction that has
// written (it has a transaction id) or the import ends; it reports which.
func waitWriting(t *testing.T, direct *sql.DB, done chan error) bool {
	for {
		select {
		case err := <-done:
			done <- err
			return false
		default:
		}
		var n int
		err := direct.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coopchain'
			AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return true
		}
		time.Sleep(time.Millisecond)
	}
}

// assertAllOrNothing checks that cluster id has either every participant and
// link of a Chain import or none.
func assertAllOrNothing(t *testing.T, db *sqlstore.DB, id string, participants, links int) {
	t.Helper()
	ds, err := db.ClusterData(context.Background(), id)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Participants) != participants || len(ds.Links) != links {
		t.Fatalf("partial import: %d participants, %d links (want all %d/%d or none)", len(ds.Participants), len(ds.Links), participants, links)
	}
}

// PostgreSQL in read-only mode (default_transaction_read_only, as on a
// standby or set by an administrator): writes fail with EUNAVAILABLE, reads
// go on; writes work again once it is lifted.
func TestPostgresReadOnly(t *testing.T) {
	admin := sqltest.PostgresAdmin()
	if admin == "" {
		t.Skip("set " + sqltest.EnvPostgres + " to run against PostgreSQL")
	}
	ctx := context.Background()
	dsn := sqltest.NewPostgresDB(t, admin)
	db := openWith(t, dsn, sqlstore.Options{})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	name := strings.TrimPrefix(must(url.Parse(dsn)).Path, "/")
	setRO := func(on bool) {
		q := `ALTER DATABASE ` + name + ` SET default_transaction_read_only = on`
		if !on {
			q = `ALTER DATABASE ` + name + ` RESET default_transaction_read_only`
		}
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
		// Existing sessions keep their setting: end the store's connections.
		if _, err := raw.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
			t.Fatal(err)
		}
	}
	setRO(true)
	t.Cleanup(func() { setRO(false) })
	var werr error
	for i := 0; i < 5; i++ { // the first calls may meet the terminated connections
		_, werr = db.Import(ctx, "alu", onePerson("ro"), gm.ImportOptions{})
		wantUnavailable(t, "write to a read-only database", werr)
		if strings.Contains(gm.ErrorMessage(werr), "read-only") {
			break
		}
	}
	if !strings.Contains(gm.ErrorMessage(werr), "read-only") {
		t.Errorf("message = %q, want it to say read-only", gm.ErrorMessage(werr))
	}
	if _, err := db.ClusterData(ctx, "alu"); err != nil {
		t.Errorf("reads from a read-only database: %v", err)
	}
	setRO(false)
	var err2 error
	for i := 0; i < 5; i++ {
		if _, err2 = db.Import(ctx, "alu", onePerson("rw"), gm.ImportOptions{}); err2 == nil {
			break
		}
	}
	if err2 != nil {
		t.Fatalf("write after read-only mode ended: %v", err2)
	}
	ds, _ := db.ClusterData(ctx, "alu")
	if len(ds.Participants) != 5 {
		t.Errorf("%d participants, want 5 (4 + rw)", len(ds.Participants))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// mountTmpfs mounts a small tmpfs at a new folder, or skips the test when
// that is not allowed (not root, no mount permission).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// A full disk: writes fail with EUNAVAILABLE saying so, nothing of them is
// stored, reads go on; once space is freed writes work and the file is sound.
func TestSQLiteDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := mountTmpfs(t, "4m")
	path := filepath.Join(dir, "full.db")
	db := openWith(t, path, sqlstore.Options{BusyTimeout: testWait})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.ClusterData(ctx, "alu")
	filler := filepath.Join(dir, "filler")
	fill, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := fill.Write(buf); err != nil {
			break
		}
	}
	fill.Close()
	err = bounded(t, func(ctx context.Context) error {
		_, err := db.Import(ctx, "big", sqltest.Chain("f", 500, 9500), gm.ImportOptions{})
		return err
	})
	wantUnavailable(t, "import on a full disk", err)
	if !strings.Contains(gm.ErrorMessage(err), "full") {
		t.Errorf("message = %q, want it to say the disk is full", gm.ErrorMessage(err))
	}
	if got, err := db.ClusterData(ctx, "alu"); err != nil || !cmp.Equal(before, got) {
		t.Errorf("reads on a full disk: %v", err)
	}
	os.Remove(filler)
	if _, err := db.Import(ctx, "big", sqltest.Chain("f", 500, 9500), gm.ImportOptions{}); err != nil {
		t.Fatalf("import after space was freed: %v", err)
	}
	assertAllOrNothing(t, db, "big", 500, 9500)
	sqltest.CheckIntegrity(t, db.SQL(), false)
	db.Close()
	again := openWith(t, path, sqlstore.Options{})
	if got, _ := again.ClusterData(ctx, "alu"); !cmp.Equal(before, got) {
		t.Error("data changed after reopening")
	}
	sqltest.CheckIntegrity(t, again.SQL(), false)
}

// The database files becoming unwritable while the server runs (here: the
// immutable attribute, which even root cannot write through; the test skips
// on file systems without it, such as tmpfs): writes fail with EUNAVAILABLE,
// reads go on, and everything works again once the files are writable.
func TestSQLiteFileBecomesUnwritable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.db")
	db := openWith(t, path, sqlstore.Options{BusyTimeout: testWait})
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal"}
	if out, err := exec.Command("chattr", append([]string{"+i"}, files...)...).CombinedOutput(); err != nil {
		t.Skipf("cannot make the files immutable here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", append([]string{"-i"}, files...)...).Run() })
	err := bounded(t, func(ctx context.Context) error {
		_, err := db.Import(ctx, "alu", onePerson("ro"), gm.ImportOptions{})
		return err
	})
	wantUnavailable(t, "write to an unwritable file", err)
	if _, err := db.ClusterData(ctx, "alu"); err != nil {
		t.Errorf("reads: %v", err)
	}
	if out, err := exec.Command("chattr", append([]string{"-i"}, files...)...).CombinedOutput(); err != nil {
		t.Fatalf("chattr -i: %v %s", err, out)
	}
	var werr error
	for i := 0; i < 5; i++ {
		if _, werr = db.Import(ctx, "alu", onePerson("rw"), gm.ImportOptions{}); werr == nil {
			break
		}
	}
	if werr != nil {
		t.Fatalf("write after the file is writable again: %v", werr)
	}
	ds, _ := db.ClusterData(ctx, "alu")
	if len(ds.Participants) != 5 {
		t.Errorf("%d participants, want 5 (4 + rw)", len(ds.Participants))
	}
	sqltest.CheckIntegrity(t, db.SQL(), false)
}

// Opening a database on a read-only file system fails with a clear
// EUNAVAILABLE error (the server does not start half-working); the data is
// untouched and opens again once the file system is writable.
func TestSQLiteReadOnlyFileSystemAtStart(t *testing.T) {
	ctx := context.Background()
	dir := mountTmpfs(t, "4m")
	path := filepath.Join(dir, "t.db")
	db, err := sqlstore.Open(ctx, path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.ClusterData(ctx, "alu")
	db.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	_, err = sqlstore.Open(ctx, path, sqlstore.Options{})
	wantUnavailable(t, "open on a read-only file system", err)
	if !strings.Contains(gm.ErrorMessage(err), "read-only") || !strings.Contains(gm.ErrorMessage(err), path) {
		t.Errorf("message = %q, want the path and read-only", gm.ErrorMessage(err))
	}
	if out, err := exec.Command("mount", "-o", "remount,rw", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount rw: %v %s", err, out)
	}
	again := openWith(t, path, sqlstore.Options{})
	if got, _ := again.ClusterData(ctx, "alu"); !cmp.Equal(before, got) {
		t.Error("data changed")
	}
	sqltest.CheckIntegrity(t, again.SQL(), false)
}

// Every change renews the version of every cluster whose data it changes,
// so that caches keyed on (cluster, version) — in this process or in
// another replica — never serve old data.
func TestVersionsRenewed(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		if _, err := db.LoadSeed(ctx, &gm.Seed{Clusters: []gm.Cluster{{ID: "ru-001", Name: "Другой", RegistryNo: 1, Kind: gm.ClusterIndustrial}, {ID: "ru-002", Name: "Третий", RegistryNo: 2, Kind: gm.ClusterIndustrial}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, "alu", sample(), gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		// smelter and extruder are also members of ru-001.
		both := &gm.Dataset{Participants: []gm.Participant{{ID: "smelter", Name: "Завод слитков", Kind: gm.KindEnterprise, INN: "7707083893", Clusters: []string{"ru-001"}},
			{ID: "extruder", Name: "Экструзия", Kind: gm.KindEnterprise, Clusters: []string{"ru-001"}}}}
		if _, err := db.Import(ctx, "alu", both, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		ver := func(id string) int64 {
			c, err := db.GetCluster(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Version
		}
		step := func(name string, fn func() error, renewed, kept []string) {
			t.Helper()
			b := map[string]int64{}
			for _, id := range append(append([]string{}, renewed...), kept...) {
				b[id] = ver(id)
			}
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, id := range renewed {
				if ver(id) <= b[id] {
					t.Errorf("%s: cluster %s keeps version %d", name, id, b[id])
				}
			}
			for _, id := range kept {
				if ver(id) != b[id] {
					t.Errorf("%s: cluster %s changed version %d → %d", name, id, b[id], ver(id))
				}
			}
		}
		step("a participant saved through one of its clusters", func() error {
			_, err := db.ImportIfVersion(ctx, "ru-001", onePerson("smelter"), gm.RecordKey{Kind: "participant", ParticipantID: "smelter"}, 0)
			return err
		}, []string{"alu", "ru-001"}, []string{"ru-002"})
		step("a link between members of two clusters deleted", func() error {
			return db.Delete(ctx, "alu", gm.RecordKey{Kind: "link", SupplierID: "smelter", BuyerID: "extruder", ProductCode: "24.42.11", Year: 2024}, 0)
		}, []string{"alu", "ru-001"}, []string{"ru-002"})
		step("a participant of one cluster", func() error {
			_, err := db.Import(ctx, "alu", onePerson("sopc"), gm.ImportOptions{})
			return err
		}, []string{"alu"}, []string{"ru-001", "ru-002"})
		step("the same products again", func() error {
			_, err := db.Import(ctx, "alu", &gm.Dataset{Products: sample().Products}, gm.ImportOptions{})
			return err
		}, []string{"alu"}, []string{"ru-001", "ru-002"})
		step("a product renamed (products are shared)", func() error {
			ps := sample().Products
			ps[0].Name = "Алюминий первичный"
			_, err := db.Import(ctx, "alu", &gm.Dataset{Products: ps}, gm.ImportOptions{})
			return err
		}, []string{"alu", "ru-001", "ru-002"}, nil)
		step("employment (shared by every cluster's niches)", func() error {
			_, err := db.Import(ctx, "alu", &gm.Dataset{Employment: []gm.Employment{{Region: "Омская область", Industry: "24", Employees: 10}}}, gm.ImportOptions{})
			return err
		}, []string{"alu", "ru-001", "ru-002"}, nil)
		step("a year replaced", func() error {
			_, err := db.Import(ctx, "alu", &gm.Dataset{}, gm.ImportOptions{ReplaceYear: 2024})
			return err
		}, []string{"alu", "ru-001"}, []string{"ru-002"})
	})
}

// Replicas starting at the same moment on one new database: migrations and
// the seed are applied once, without errors.
func TestReplicasStartTogether(t *testing.T) {
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.NewDSN(t)
			seed := &gm.Seed{Clusters: []gm.Cluster{{ID: "ru-001", Name: "Первый", RegistryNo: 1, Kind: gm.ClusterIndustrial}},
				Rating: []gm.RegionRating{{Rank: 1, Region: "Омская область", Total: 1}}, Data: map[string]*gm.Dataset{"alu": sample()}}
			const n = 4
			type result struct {
				loaded bool
				err    error
			}
			results := make(chan result, n)
			start := make(chan struct{})
			for i := 0; i < n; i++ {
				go func() {
					<-start
					db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
					if err != nil {
						results <- result{err: err}
						return
					}
					defer db.Close()
					loaded, err := db.LoadSeed(context.Background(), seed)
					results <- result{loaded, err}
				}()
			}
			close(start)
			loaded := 0
			for i := 0; i < n; i++ {
				r := <-results
				if r.err != nil {
					t.Errorf("replica %d: %v", i, r.err)
				}
				if r.loaded {
					loaded++
				}
			}
			if loaded != 1 {
				t.Errorf("the seed was loaded %d times, want once", loaded)
			}
		})
	}
}
