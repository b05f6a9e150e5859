package sqlstore

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// The backup file is gzip-compressed JSON lines, the same whichever store
// wrote it, so that a SQLite backup restores into PostgreSQL and back:
//
//	{"format":"coopchain-backup","format_version":1,"created_at":…,"source":"sqlite","migrations":[…],"tables":[{"name":…,"columns":[{"name":…,"kind":"text|int|float"}]}]}
//	{"t":"clusters","r":["ru-001","…",1,…]}          one line per row, tables parents first
//	…
//	{"end":true,"rows":{"clusters":104,…},"total":N,"sha256":"…"}
//
// Values are JSON null, numbers (integers exactly; floats in Go's shortest
// round-trip form; NaN and ±Inf as the strings "NaN", "+Inf", "-Inf") and
// strings (text that is not valid UTF-8 as {"b64": …}). The trailer's sha256
// is the SHA-256 of every line before it, uncompressed, newlines included;
// a file without a trailer is truncated. Every table is included (API tokens
// only as their SHA-256 hashes, as stored) except schema_migrations, which
// the header lists, and sessions unless asked for.
const (
	backupFormat  = "coopchain-backup"
	backupVersion = 1
)

// BackupOptions control Backup.
type BackupOptions struct {
	// Sessions includes the web sessions (signed-in users stay signed in).
	Sessions bool
}

// RestoreOptions control Restore.
type RestoreOptions struct {
	// Force replaces the contents of a database that is not empty.
	Force bool
}

// BackupInfo describes a backup written or restored.
type BackupInfo struct {
	Source     string         `json:"source"` // sqlite or postgres: the store that wrote it
	CreatedAt  string         `json:"created_at"`
	Migrations []int          `json:"migrations"`
	Rows       map[string]int `json:"rows"` // rows per table
	Total      int            `json:"total"`
	SHA256     string         `json:"sha256"`
	// DataVersion is the data version after a restore (higher than both the
	// backup's and the replaced database's, so that caches renew).
	DataVersion int64 `json:"data_version,omitempty"`
}

type backupHeader struct {
	Format        string        `json:"format"`
	FormatVersion int           `json:"format_version"`
	CreatedAt     string        `json:"created_at"`
	Source        string        `json:"source"`
	Migrations    []int         `json:"migrations"`
	Tables        []backupTable `json:"tables"`
}

type backupTable struct {
	Name    string         `json:"name"`
	Columns []backupColumn `json:"columns"`
}

type backupColumn struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // text, int, float
}

type backupRow struct {
	T string            `json:"t"`
	R []json.RawMessage `json:"r"`
}

type backupTrailer struct {
	End    bool           `json:"end"`
	Rows   map[string]int `json:"rows"`
	Total  int            `json:"total"`
	SHA256 string         `json:"sha256"`
}

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// tableInfo is a table of the open database.
type tableInfo struct {
	name    string
	columns []backupColumn
	pk      []string
	parents []string // tables its foreign keys refer to
}

func columnKind(sqlType string) string {
	t := strings.ToLower(sqlType)
	switch {
	case strings.Contains(t, "int"):
		return "int"
	case strings.Contains(t, "double"), strings.Contains(t, "real"), strings.Contains(t, "float"), strings.Contains(t, "numeric"), strings.Contains(t, "decimal"):
		return "float"
	}
	return "text"
}

// tables lists the database's tables with their columns, parents first
// (ordered so that every table comes after the tables its foreign keys
// refer to), ties by name.
func (s *DB) tables(ctx context.Context, q querier) ([]tableInfo, error) {
	var names []string
	listQ := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.dialect == Postgres {
		listQ = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	if err := collect(ctx, q, &names, listQ); err != nil {
		return nil, err
	}
	byName := map[string]*tableInfo{}
	var all []*tableInfo
	for _, n := range names {
		t := &tableInfo{name: n}
		var colQ, pkQ, fkQ string
		if s.dialect == Postgres {
			colQ = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
			pkQ = `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
				WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass AND i.indisprimary
				ORDER BY array_position(i.indkey::int2[], a.attnum)`
			fkQ = `SELECT DISTINCT p.relname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
				JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND t.relname = $1 AND n.nspname = current_schema() ORDER BY 1`
		} else {
			colQ = `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`
			pkQ = `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`
			fkQ = `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1`
		}
		rows, err := q.QueryContext(ctx, colQ, n)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c, typ string
			if err := rows.Scan(&c, &typ); err != nil {
				rows.Close()
				return nil, err
			}
			t.columns = append(t.columns, backupColumn{Name: c, Kind: columnKind(typ)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := collect(ctx, q, &t.pk, pkQ, n); err != nil {
			return nil, err
		}
		if err := collect(ctx, q, &t.parents, fkQ, n); err != nil {
			return nil, err
		}
		byName[n] = t
		all = append(all, t)
	}
	// Topological order, parents first.
	var out []tableInfo
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *tableInfo) error
	visit = func(t *tableInfo) error {
		switch state[t.name] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle at table %s", t.name)
		case 2:
			return nil
		}
		state[t.name] = 1
		for _, p := range t.parents {
			if pt, ok := byName[p]; ok && p != t.name {
				if err := visit(pt); err != nil {
					return err
				}
			}
		}
		state[t.name] = 2
		out = append(out, *t)
		return nil
	}
	for _, t := range all {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func collect(ctx context.Context, q querier, into *[]string, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		*into = append(*into, v)
	}
	return rows.Err()
}

func quoteIdent(n string) string { return `"` + strings.ReplaceAll(n, `"`, `""`) + `"` }

// backupSkipped tells whether a table is left out of a backup.
func backupSkipped(table string, opt BackupOptions) bool {
	return table == "schema_migrations" || (table == "sessions" && !opt.Sessions)
}

// hashWriter writes lines to w and hashes them.
type hashWriter struct {
	w   *bufio.Writer
	sum interface {
		io.Writer
		Sum([]byte) []byte
	}
}

func (h *hashWriter) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	h.sum.Write(b)
	_, err = h.w.Write(b)
	return err
}

// Backup writes every table of the database to w in the portable backup
// format, from one consistent snapshot; writers are not blocked meanwhile.
func (s *DB) Backup(ctx context.Context, w io.Writer, opt BackupOptions) (*BackupInfo, error) {
	info := &BackupInfo{Source: s.dialect.String(), CreatedAt: time.Now().UTC().Format(time.RFC3339), Rows: map[string]int{}}
	zw := gzip.NewWriter(w)
	hw := &hashWriter{w: bufio.NewWriterSize(zw, 1<<16), sum: sha256.New()}
	err := s.snapshot(ctx, func(q querier) error {
		tables, err := s.tables(ctx, q)
		if err != nil {
			return err
		}
		var migs []string
		if err := collect(ctx, q, &migs, `SELECT CAST(version AS TEXT) FROM schema_migrations ORDER BY version`); err != nil {
			return err
		}
		for _, m := range migs {
			v, _ := strconv.Atoi(m)
			info.Migrations = append(info.Migrations, v)
		}
		sort.Ints(info.Migrations)
		h := backupHeader{Format: backupFormat, FormatVersion: backupVersion, CreatedAt: info.CreatedAt, Source: info.Source, Migrations: info.Migrations}
		var kept []tableInfo
		for _, t := range tables {
			if backupSkipped(t.name, opt) {
				continue
			}
			kept = append(kept, t)
			h.Tables = append(h.Tables, backupTable{Name: t.name, Columns: t.columns})
		}
		if err := hw.line(h); err != nil {
			return err
		}
		for _, t := range kept {
			n, err := s.dumpTable(ctx, q, t, hw)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			info.Rows[t.name] = n
			info.Total += n
		}
		return nil
	})
	if err != nil {
		return nil, s.backupErr(err, "backup")
	}
	info.SHA256 = hex.EncodeToString(hw.sum.Sum(nil))
	tr, _ := json.Marshal(backupTrailer{End: true, Rows: info.Rows, Total: info.Total, SHA256: info.SHA256})
	if _, err := hw.w.Write(append(tr, '\n')); err != nil {
		return nil, gm.Internal(err, "write backup")
	}
	if err := hw.w.Flush(); err != nil {
		return nil, gm.Internal(err, "write backup")
	}
	if err := zw.Close(); err != nil {
		return nil, gm.Internal(err, "write backup")
	}
	return info, nil
}

// backupErr maps errors of backup and restore: write errors of the output
// are not database errors.
func (s *DB) backupErr(err error, op string) error {
	var de *gm.Error
	if errors.As(err, &de) {
		return err
	}
	return s.mapErr(err, op)
}

// snapshot runs fn in a read transaction that sees one snapshot of the
// whole database and has no statement timeout.
func (s *DB) snapshot(ctx context.Context, fn func(querier) error) error {
	return s.readTx(ctx, func(q querier) error {
		if s.dialect == Postgres {
			if _, err := q.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
				return err
			}
		}
		return fn(q)
	})
}

func (s *DB) dumpTable(ctx context.Context, q querier, t tableInfo, hw *hashWriter) (int, error) {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = quoteIdent(c.Name)
	}
	query := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + quoteIdent(t.name)
	if len(t.pk) > 0 {
		pk := make([]string, len(t.pk))
		for i, c := range t.pk {
			pk[i] = quoteIdent(c)
		}
		query += ` ORDER BY ` + strings.Join(pk, ", ")
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	holders := make([]any, len(t.columns))
	for i, c := range t.columns {
		switch c.Kind {
		case "int":
			holders[i] = new(sql.NullInt64)
		case "float":
			holders[i] = new(sql.NullFloat64)
		default:
			holders[i] = new(sql.NullString)
		}
	}
	n := 0
	vals := make([]any, len(t.columns))
	row := struct {
		T string `json:"t"`
		R []any  `json:"r"`
	}{T: t.name, R: vals}
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return n, err
		}
		for i, h := range holders {
			vals[i] = encodeValue(h)
		}
		if err := hw.line(row); err != nil {
			return n, gm.Internal(err, "write backup")
		}
		n++
	}
	return n, rows.Err()
}

func encodeValue(h any) any {
	switch v := h.(type) {
	case *sql.NullInt64:
		if !v.Valid {
			return nil
		}
		return v.Int64
	case *sql.NullFloat64:
		if !v.Valid {
			return nil
		}
		f := v.Float64
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "+Inf"
		case math.IsInf(f, -1):
			return "-Inf"
		}
		return f
	case *sql.NullString:
		if !v.Valid {
			return nil
		}
		if !utf8.ValidString(v.String) {
			return map[string]string{"b64": base64.StdEncoding.EncodeToString([]byte(v.String))}
		}
		return v.String
	}
	return nil
}

func decodeValue(raw json.RawMessage, kind string) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return nil, err
		}
		switch kind {
		case "float":
			return strconv.ParseFloat(str, 64) // NaN, +Inf, -Inf
		case "int":
			return strconv.ParseInt(str, 10, 64)
		}
		return str, nil
	case '{':
		var b struct {
			B64 string `json:"b64"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		v, err := base64.StdEncoding.DecodeString(b.B64)
		return string(v), err
	}
	switch kind {
	case "int":
		if v, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return v, nil
		}
		// A float column of the source restored into an integer one.
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || f != math.Trunc(f) {
			return nil, fmt.Errorf("%s is not an integer", raw)
		}
		return int64(f), nil
	case "float":
		return strconv.ParseFloat(string(raw), 64)
	}
	return string(raw), nil // a number into a text column
}

// backupInvalid reports an unreadable, truncated, corrupted or incompatible
// backup file (EINVALID).
func backupInvalid(format string, args ...any) error {
	return gm.Errorf(gm.EINVALID, "backup file: "+format, args...)
}

// Restore reads a backup written by Backup (by either store) and stores it,
// all or nothing, in one transaction: a truncated or corrupted file, or any
// row the database refuses, leaves the database as it was. The database must
// be empty (just created) unless opt.Force is set, in which case its
// contents are replaced. After the restore the data version is above both
// the backup's and the replaced database's, so that every cache renews.
func (s *DB) Restore(ctx context.Context, r io.Reader, opt RestoreOptions) (*BackupInfo, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, backupInvalid("not a coopchain backup (not gzip): %v", err)
	}
	defer zr.Close()
	rs := &restorer{s: s, ctx: ctx, opt: opt, br: bufio.NewReaderSize(zr, 1<<16), sum: sha256.New()}
	if err := rs.header(); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		rs.tx = tx
		defer rs.closeTargets()
		for _, phase := range []func() error{rs.preflight, rs.clear, rs.prepare, rs.stream, rs.verify, rs.renew} {
			if err := phase(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.backupErr(err, "restore")
	}
	return rs.info, nil
}

// restorer is one Restore, phase by phase: header (read and check the first
// line), preflight (schema, target empty), clear, prepare (an insert per
// table), stream (the rows), verify (trailer, checksum, counts), renew (the
// data version).
type restorer struct {
	s   *DB
	ctx context.Context
	opt RestoreOptions
	tx  *sql.Tx
	br  *bufio.Reader
	sum hash.Hash

	h           backupHeader
	info        *BackupInfo
	tables      []tableInfo
	byName      map[string]tableInfo
	prevVersion int64
	targets     map[string]*restoreTarget
	trailer     *backupTrailer
}

// restoreTarget inserts the rows of one table, columns as in the backup.
type restoreTarget struct {
	st    *sql.Stmt
	kinds []string
}

func (rs *restorer) readLine() ([]byte, error) {
	b, err := rs.br.ReadBytes('\n')
	if err == io.EOF && len(b) == 0 {
		return nil, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, backupInvalid("cannot read: %v", err)
	}
	return b, nil
}

// header reads the first line: the format, its version, the tables.
func (rs *restorer) header() error {
	first, err := rs.readLine()
	if err != nil {
		return backupInvalid("empty file")
	}
	rs.sum.Write(first)
	if err := json.Unmarshal(first, &rs.h); err != nil || rs.h.Format != backupFormat {
		return backupInvalid("not a coopchain backup")
	}
	if rs.h.FormatVersion > backupVersion {
		return backupInvalid("format version %d is newer than this coopchain reads (%d); use a newer coopchain", rs.h.FormatVersion, backupVersion)
	}
	rs.info = &BackupInfo{Source: rs.h.Source, CreatedAt: rs.h.CreatedAt, Migrations: rs.h.Migrations, Rows: map[string]int{}}
	return nil
}

// preflight checks that this schema knows the backup's migrations and that
// the database is empty (unless Force), and remembers its data version.
func (rs *restorer) preflight() error {
	ctx, tx := rs.ctx, rs.tx
	if rs.s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
	}
	var have []string
	if err := collect(ctx, tx, &have, `SELECT CAST(version AS TEXT) FROM schema_migrations`); err != nil {
		return err
	}
	for _, m := range rs.h.Migrations {
		if !slices.Contains(have, strconv.Itoa(m)) {
			return backupInvalid("it was made by a newer coopchain (schema migration %d is unknown here); restore it with that version", m)
		}
	}
	var err error
	if rs.tables, err = rs.s.tables(ctx, tx); err != nil {
		return err
	}
	rs.byName = map[string]tableInfo{}
	for _, t := range rs.tables {
		rs.byName[t.name] = t
	}
	if err := tx.QueryRowContext(ctx, `SELECT v FROM data_version WHERE id = 1`).Scan(&rs.prevVersion); err != nil && err != sql.ErrNoRows {
		return err
	}
	if rs.opt.Force {
		return nil
	}
	for _, t := range rs.tables {
		if t.name == "schema_migrations" || t.name == "data_version" {
			continue
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+quoteIdent(t.name)+` LIMIT 1`).Scan(&one)
		if err == nil {
			return gm.Errorf(gm.ECONFLICT, "the database is not empty (table %s has rows): restore into a new database, or pass --force to replace its contents", t.name)
		}
		if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// clear empties every table, children first.
func (rs *restorer) clear() error {
	for i := len(rs.tables) - 1; i >= 0; i-- {
		if rs.tables[i].name == "schema_migrations" {
			continue
		}
		if _, err := rs.tx.ExecContext(rs.ctx, `DELETE FROM `+quoteIdent(rs.tables[i].name)); err != nil {
			return err
		}
	}
	return nil
}

// prepare makes an insert statement per table of the backup, columns as in
// the backup, refusing tables and columns this schema does not have.
func (rs *restorer) prepare() error {
	rs.targets = map[string]*restoreTarget{}
	for _, bt := range rs.h.Tables {
		tt, ok := rs.byName[bt.Name]
		if !ok || bt.Name == "schema_migrations" {
			return backupInvalid("table %s is unknown to this coopchain", bt.Name)
		}
		kinds := make([]string, len(bt.Columns))
		names := make([]string, len(bt.Columns))
		for i, c := range bt.Columns {
			k := ""
			for _, tc := range tt.columns {
				if tc.Name == c.Name {
					k = tc.Kind
				}
			}
			if k == "" {
				return backupInvalid("column %s.%s is unknown to this coopchain", bt.Name, c.Name)
			}
			kinds[i], names[i] = k, quoteIdent(c.Name)
		}
		st, err := rs.tx.PrepareContext(rs.ctx, rs.s.rebind(`INSERT INTO `+quoteIdent(bt.Name)+` (`+strings.Join(names, ", ")+`) VALUES (`+placeholders(len(names))+`)`))
		if err != nil {
			return err
		}
		rs.targets[bt.Name] = &restoreTarget{st: st, kinds: kinds}
	}
	return nil
}

func (rs *restorer) closeTargets() {
	for _, t := range rs.targets {
		t.st.Close()
	}
}

// stream inserts every row line up to the trailer, which it keeps.
func (rs *restorer) stream() error {
	args := []any{}
	for lineNo := 2; ; lineNo++ {
		b, err := rs.readLine()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rs.trailer != nil {
			return backupInvalid("line %d: data after the end marker", lineNo)
		}
		if strings.HasPrefix(string(b), `{"end":`) {
			rs.trailer = &backupTrailer{}
			if err := json.Unmarshal(b, rs.trailer); err != nil || !rs.trailer.End {
				return backupInvalid("line %d: bad end marker", lineNo)
			}
			continue
		}
		rs.sum.Write(b)
		if args, err = rs.insert(lineNo, b, args[:0]); err != nil {
			return err
		}
	}
}

// insert stores one row line (args is reused between rows).
func (rs *restorer) insert(lineNo int, b []byte, args []any) ([]any, error) {
	var row backupRow
	if err := json.Unmarshal(b, &row); err != nil {
		return args, backupInvalid("line %d: %v", lineNo, err)
	}
	t, ok := rs.targets[row.T]
	if !ok {
		return args, backupInvalid("line %d: table %q is not in the header", lineNo, row.T)
	}
	if len(row.R) != len(t.kinds) {
		return args, backupInvalid("line %d: %d values for %d columns of %s", lineNo, len(row.R), len(t.kinds), row.T)
	}
	for i, raw := range row.R {
		v, err := decodeValue(raw, t.kinds[i])
		if err != nil {
			return args, backupInvalid("line %d: column %d of %s: %v", lineNo, i+1, row.T, err)
		}
		args = append(args, v)
	}
	if _, err := t.st.ExecContext(rs.ctx, args...); err != nil {
		if c := gm.ErrorCode(rs.s.mapErr(err, "restore")); c == gm.ECONFLICT || c == gm.EINTERNAL {
			return args, backupInvalid("line %d: the database refused the row of %s: %v; nothing was restored", lineNo, row.T, err)
		}
		return args, err
	}
	rs.info.Rows[row.T]++
	rs.info.Total++
	return args, nil
}

// verify checks the trailer: present, the checksum and the row counts.
func (rs *restorer) verify() error {
	if rs.trailer == nil {
		return backupInvalid("truncated: the end marker is missing; nothing was restored")
	}
	rs.info.SHA256 = hex.EncodeToString(rs.sum.Sum(nil))
	if rs.trailer.SHA256 != rs.info.SHA256 {
		return backupInvalid("checksum mismatch (the file is corrupted); nothing was restored")
	}
	for t, n := range rs.trailer.Rows {
		if rs.info.Rows[t] != n {
			return backupInvalid("table %s: %d rows read, the end marker says %d; nothing was restored", t, rs.info.Rows[t], n)
		}
	}
	if rs.trailer.Total != rs.info.Total {
		return backupInvalid("%d rows read, the end marker says %d; nothing was restored", rs.info.Total, rs.trailer.Total)
	}
	return nil
}

// renew sets a data version above both the old database's and the
// backup's, on the counter and every cluster.
func (rs *restorer) renew() error {
	ctx, tx := rs.ctx, rs.tx
	var restored int64
	err := tx.QueryRowContext(ctx, `SELECT v FROM data_version WHERE id = 1`).Scan(&restored)
	if err == sql.ErrNoRows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO data_version (id, v) VALUES (1, 0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	rs.info.DataVersion = max(rs.prevVersion, restored) + 1
	if _, err := tx.ExecContext(ctx, rs.s.rebind(`UPDATE data_version SET v = ? WHERE id = 1`), rs.info.DataVersion); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, rs.s.rebind(`UPDATE clusters SET version = ?`), rs.info.DataVersion)
	return err
}
