// Package sqltest helps tests run against both stores: fresh SQLite files
// always and, when COOPCHAIN_TEST_POSTGRES holds an admin address
// (postgres://user:password@host:port/db), fresh PostgreSQL databases made
// in that cluster and dropped after the test (.ci/run starts a throw-away
// cluster and sets it). Proxy is a TCP forwarder a test can cut and restore
// to take a database away and bring it back.
package sqltest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvPostgres names the environment variable with the admin address.
const EnvPostgres = "COOPCHAIN_TEST_POSTGRES"

// PostgresAdmin returns the admin address of the test PostgreSQL cluster, or
// "" when there is none.
func PostgresAdmin() string { return os.Getenv(EnvPostgres) }

// Backend makes fresh, empty databases of one kind.
type Backend struct {
	Name   string                    // sqlite or postgres
	NewDSN func(t testing.TB) string // the address of a new empty database
}

// Backends lists SQLite and, when configured, PostgreSQL.
func Backends(t testing.TB) []Backend {
	bs := []Backend{{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "sub", "test.db") }}}
	if admin := PostgresAdmin(); admin != "" {
		bs = append(bs, Backend{"postgres", func(t testing.TB) string { return NewPostgresDB(t, admin) }})
	}
	return bs
}

// NewPostgresDB creates an empty database in the cluster named by admin,
// drops it when the test ends and returns its address.
func NewPostgresDB(t testing.TB, admin string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "cc_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err == nil {
			db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// WithHost returns the PostgreSQL address dsn with its host:port replaced.
func WithHost(t testing.TB, dsn, hostport string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostport
	return u.String()
}

// Proxy forwards TCP connections from a local port to a target address.
// Stop closes the port and every connection through it, as a database server
// that stopped would; Start opens the same port again.
type Proxy struct {
	t      testing.TB
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// NewProxy starts a proxy to target on a free loopback port; it is stopped
// when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{t: t, target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr
}

// Start listens (again) on the proxy's port.
func (p *Proxy) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.ln, p.addr = ln, ln.Addr().String()
	p.wg.Add(1)
	go p.accept(ln)
	return nil
}

func (p *Proxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.ln != ln { // stopped meanwhile
			p.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		pipe := func(dst, src net.Conn) {
			io.Copy(dst, src)
			dst.Close()
			src.Close()
		}
		go pipe(up, c)
		go pipe(c, up)
	}
}

// Stop closes the port and cuts every connection.
func (p *Proxy) Stop() {
	p.mu.Lock()
	ln := p.ln
	p.ln = nil
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
	p.mu.Unlock()
	if ln != nil {
		ln.Close()
		p.wg.Wait()
	}
}

// CheckIntegrity fails the test unless the database is sound: on SQLite
// PRAGMA integrity_check says ok and PRAGMA foreign_key_check finds nothing;
// on PostgreSQL every B-tree index of the schema passes amcheck's
// bt_index_check with heapallindexed (skipped, with a log line, when the
// amcheck extension cannot be created).
func CheckIntegrity(t testing.TB, db *sql.DB, postgres bool) {
	t.Helper()
	if !postgres {
		var res string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Fatalf("PRAGMA integrity_check = %q, %v", res, err)
		}
		rows, err := db.Query(`PRAGMA foreign_key_check`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if rows.Next() {
			t.Fatal("PRAGMA foreign_key_check found rows whose parent is missing")
		}
		return
	}
	if _, err := db.Exec(`CREATE EXTENSION IF NOT EXISTS amcheck`); err != nil {
		t.Logf("amcheck not available (%v): index check skipped", err)
		return
	}
	rows, err := db.Query(`SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var idx []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		idx = append(idx, s)
	}
	rows.Close()
	if len(idx) == 0 {
		t.Fatal("no index found to check")
	}
	for _, ix := range idx {
		if _, err := db.Exec(`SELECT bt_index_check($1::regclass, true)`, ix); err != nil {
			t.Fatalf("amcheck %s: %v", ix, err)
		}
	}
}
