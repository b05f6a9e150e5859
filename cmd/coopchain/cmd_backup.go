package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/coopchain/coopchain/sqlstore"
)

// cmdBackup writes the whole database (either store) to a portable backup
// file: gzip-compressed JSON lines with a checksum (see sqlstore.Backup).
func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup")
	dsn := fs.String("db", "", "database: a SQLite file path (default "+sqlstore.DefaultPath(e.getenv)+") or postgres://…")
	out := fs.String("out", "", "backup file to write (- for standard output)")
	sessions := fs.Bool("sessions", false, "include the web sessions (signed-in users stay signed in after a restore)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) != 0 {
		return usageError{"usage: coopchain backup --db DB --out FILE [--sessions]"}
	}
	if *dsn == "" {
		*dsn = sqlstore.DefaultPath(e.getenv)
	}
	if !isPostgres(*dsn) {
		if _, err := os.Stat(*dsn); err != nil {
			return fmt.Errorf("no database at %s: %w", *dsn, err)
		}
	}
	st, err := openBare(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := sqlstore.BackupOptions{Sessions: *sessions}
	if *out == "-" {
		info, err := st.Backup(ctx, e.stdout, opt)
		if err != nil {
			return err
		}
		printBackup(e.stderr, "backed up", info, "standard output")
		return nil
	}
	// Written to a temporary file next to the target and renamed when
	// complete and synced: FILE is either the whole backup or untouched.
	dir := filepath.Dir(*out)
	f, err := os.CreateTemp(dir, ".coopchain-backup-*")
	if err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	info, err := st.Backup(ctx, f, opt)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // it holds commercial data and token hashes
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	printBackup(e.stderr, "backed up", info, *out)
	return nil
}

// cmdRestore loads a backup file into an empty database of either kind, all
// or nothing.
func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore")
	dsn := fs.String("db", "", "database to restore into: a SQLite file path (created if missing) or postgres://… (an existing, empty database)")
	force := fs.Bool("force", false, "replace the contents of a database that is not empty")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"usage: coopchain restore --db DB [--force] FILE   (FILE - reads standard input)"}
	}
	if *dsn == "" {
		*dsn = sqlstore.DefaultPath(e.getenv)
	}
	var in io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	// A SQLite file this command creates is removed again if the restore
	// fails, so that a failed restore leaves nothing behind.
	created := false
	if !isPostgres(*dsn) {
		if _, err := os.Stat(*dsn); os.IsNotExist(err) {
			created = true
		}
	}
	st, err := openBare(ctx, e, *dsn)
	if err != nil {
		return err
	}
	info, err := st.Restore(ctx, in, sqlstore.RestoreOptions{Force: *force})
	st.Close()
	if err != nil {
		if created {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(*dsn + suffix)
			}
		}
		return err
	}
	printBackup(e.stderr, "restored", info, dsnLabel(*dsn, e))
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func printBackup(w io.Writer, verb string, info *sqlstore.BackupInfo, where string) {
	tables := make([]string, 0, len(info.Rows))
	for t := range info.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var parts []string
	for _, t := range tables {
		if info.Rows[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, info.Rows[t]))
		}
	}
	fmt.Fprintf(w, "%s %d rows (%s) of a %s database: %s\nsha256 %s\n", verb, info.Total, strings.Join(parts, ", "), info.Source, where, info.SHA256)
}
