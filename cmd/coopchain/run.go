package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/coopchain/coopchain/graphmodel/sqlstore"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
)

// env is what every command gets from the process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// ready, when set, receives the listening address of serve (tests use port 0).
	ready func(addr string)
}

type command struct {
	name, usage string
	run         func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--db PATH|postgres://…]   run the HTTP server and web UI", cmdServe},
		{"import", "import --db PATH --cluster ID [--dry-run] [--replace-year Y] PATH   import a CSV folder, .zip or .xlsx", cmdImport},
		{"export", "export --db PATH --cluster ID --format csv|xlsx|json|graphml|gexf|dot --out PATH   export a cluster", cmdExport},
		{"template", "template --format xlsx|zip --out PATH   write an empty dataset template with column descriptions", cmdTemplate},
		{"analyze", "analyze --in PATH [--format json|table] [--year Y]   analyse a dataset offline (no server, no database)", cmdAnalyze},
		{"lq", "lq --in employment.csv [--group COLUMN] [--format json|table]   location quotients", cmdLQ},
		{"render", "render --in PATH --view cluster|participant|product|niches --format svg|png|dot --out FILE   draw a diagram offline", cmdRender},
	}
}

// usageError marks a command-line mistake (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

func runEnv(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	printUsage(e.stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: coopchain COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  "+c.usage)
	}
	fmt.Fprintln(w, "\nRun 'coopchain COMMAND -h' for the flags of a command.")
}

func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("coopchain "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parse parses flags allowing them before and after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func openStore(ctx context.Context, e *env, dsn string) (*sqlstore.DB, error) {
	if dsn == "" {
		dsn = sqlstore.DefaultPath(e.getenv)
	}
	return sqlstore.Open(ctx, dsn, sqlstore.Options{})
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address HOST:PORT")
	dsn := fs.String("db", "", "database: a SQLite file path (default "+sqlstore.DefaultPath(e.getenv)+") or postgres://…")
	noSeed := fs.Bool("no-seed", false, "do not load the built-in dataset into an empty database")
	logFormat := fs.String("log", "text", "log format: text or json")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if *logFormat == "json" {
		h = slog.NewJSONHandler(e.stderr, nil)
	}
	log := slog.New(h)
	st, err := openStore(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if !*noSeed {
		seed, err := seeds.Load()
		if err != nil {
			return err
		}
		loaded, err := st.LoadSeed(ctx, seed)
		if err != nil {
			return err
		}
		if loaded {
			log.Info("loaded the built-in dataset", "clusters", len(seed.Clusters), "detailed", len(seed.Data))
		}
	}
	srv := server.New(server.Deps{Store: st, Log: log})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("coopchain listening", "url", "http://"+ln.Addr().String()+"/", "db", dsnLabel(*dsn, e))
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

func dsnLabel(dsn string, e *env) string {
	if dsn == "" {
		return sqlstore.DefaultPath(e.getenv)
	}
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn, "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}
