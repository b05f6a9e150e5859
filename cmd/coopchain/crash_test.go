package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// Crash test: `coopchain serve` is killed with SIGKILL (kill -9) while it
// stores a 10,000-row import (500 participants, 9,500 links) posted to the
// API, then restarted on the same database. The import must be there
// completely or not at all, and the database sound (PRAGMA integrity_check
// on SQLite, amcheck on PostgreSQL). The kill is sent once the import's
// write transaction is seen open in the database (SQLite: another
// connection cannot take the write lock; PostgreSQL: pg_stat_activity shows
// the server's session with a transaction id), after a different extra delay
// each round, and each round records whether the server answered first.
func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { crashRounds(t, b.Name, b.NewDSN(t)) })
	}
}

const crashParticipants, crashLinks = 500, 9500

func crashRounds(t *testing.T, kind, dsn string) {
	pcsv, lcsv := sqltest.ChainCSV("c", crashParticipants, crashLinks)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, content := range map[string]string{"participants.csv": pcsv, "links.csv": lcsv} {
		w, _ := mw.CreateFormFile("file", name)
		io.WriteString(w, content)
	}
	mw.Close()

	srv := startServe(t, dsn)
	token := srv.Token
	if token == "" {
		t.Fatalf("no bootstrap token printed\n%s", srv.Log())
	}
	probe := newWriteProbe(t, kind, dsn)
	delays := []time.Duration{0, 20 * time.Millisecond, 80 * time.Millisecond, 200 * time.Millisecond, 600 * time.Millisecond}
	killedMidImport := 0
	for i, delay := range delays {
		cluster := fmt.Sprintf("crash-%d", i)
		type answer struct {
			status int
			err    error
		}
		answered := make(chan answer, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/clusters/"+cluster+"/import", bytes.NewReader(body.Bytes()))
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
			if err != nil {
				answered <- answer{err: err}
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			answered <- answer{status: resp.StatusCode}
		}()
		open := false
		for !open {
			select {
			case a := <-answered:
				answered <- a
			default:
				open = probe.open()
				if !open {
					time.Sleep(time.Millisecond)
					continue
				}
			}
			break
		}
		if open && delay > 0 {
			time.Sleep(delay)
		}
		stillOpen := open && probe.open()
		srv.Kill()
		a := <-answered
		midImport := stillOpen && a.err != nil
		if midImport {
			killedMidImport++
		}
		if a.err == nil && a.status != http.StatusCreated {
			t.Fatalf("round %d: the import answered %d before the kill", i, a.status)
		}

		// Restart on the same database: all or nothing, through the API.
		srv = startServe(t, dsn)
		state := clusterState(t, srv.URL, token, cluster)
		t.Logf("round %d: kill %v after the transaction opened, transaction open at the kill: %v, answered before the kill: %v → import %s",
			i, delay, stillOpen, a.err == nil, state)
		if a.err == nil && state != "complete" {
			t.Fatalf("round %d: the import was acknowledged (201) but is %s after the restart", i, state)
		}
	}
	srv.Stop(t)
	probe.close()
	if killedMidImport == 0 {
		t.Fatal("no kill landed while an import was being stored; the test proved nothing")
	}

	// Directly in the database, with no server running.
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range delays {
		ds, err := st.ClusterData(context.Background(), fmt.Sprintf("crash-%d", i))
		if gm.ErrorCode(err) == gm.ENOTFOUND {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Participants) != crashParticipants || len(ds.Links) != crashLinks {
			t.Errorf("crash-%d: %d participants, %d links in the database", i, len(ds.Participants), len(ds.Links))
		}
	}
	sqltest.CheckIntegrity(t, st.SQL(), kind == "postgres")
}

// clusterState reads a crash round's cluster through the API: "absent",
// "complete" (every participant and link) or fails the test when partial.
func clusterState(t *testing.T, base, token, cluster string) string {
	t.Helper()
	get := func(path string) (int, int) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page struct {
			Total int `json:"total"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		return resp.StatusCode, page.Total
	}
	if status, _ := get("/healthz"); status != http.StatusOK {
		t.Fatalf("healthz after the restart: %d", status)
	}
	status, np := get("/api/v1/clusters/" + cluster + "/participants?limit=1")
	if status == http.StatusNotFound {
		return "absent"
	}
	_, nl := get("/api/v1/clusters/" + cluster + "/links?limit=1")
	if status != http.StatusOK || np != crashParticipants || nl != crashLinks {
		t.Fatalf("%s after the restart: status %d, %d participants, %d links (want all %d/%d or none)", cluster, status, np, nl, crashParticipants, crashLinks)
	}
	return "complete"
}

// writeProbe tells whether the server has a write transaction open.
type writeProbe struct {
	t    *testing.T
	kind string
	db   *sql.DB
}

func newWriteProbe(t *testing.T, kind, dsn string) *writeProbe {
	p := &writeProbe{t: t, kind: kind}
	var err error
	if kind == "postgres" {
		p.db, err = sql.Open("pgx", dsn)
	} else {
		// No busy timeout: a held write lock answers SQLITE_BUSY at once.
		p.db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(0)")
	}
	if err != nil {
		t.Fatal(err)
	}
	p.db.SetMaxOpenConns(1)
	return p
}

func (p *writeProbe) open() bool {
	if p.kind == "postgres" {
		var n int
		err := p.db.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coopchain'
			AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			p.t.Fatal(err)
		}
		return n > 0
	}
	// SQLite: taking the write lock fails while the server holds it.
	tx, err := p.db.Begin()
	if err != nil {
		p.t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = tx.Exec(`INSERT INTO meta (key, value) VALUES ('probe', '') ON CONFLICT (key) DO NOTHING`)
	return err != nil
}

func (p *writeProbe) close() { p.db.Close() }
