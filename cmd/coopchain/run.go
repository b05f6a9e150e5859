package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
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
		{"network", "network --in DIR|FILE [--format json|csv] [--out FILE] [--betweenness auto|exact|approx|none] [--eps 0.01] [--delta 0.1]   analyse a large network (millions of links) streamed from CSV", cmdNetwork},
		{"lq", "lq --in employment.csv [--group COLUMN] [--format json|table]   location quotients", cmdLQ},
		{"token", "token create --db PATH --role viewer|editor|admin|investor [--cluster ID] | --role participant --cluster ID --participant ID | token list | token revoke ID   API tokens", cmdToken},
		{"render", "render --in PATH --view cluster|participant|product|niches --format svg|png|dot --out FILE   draw a diagram offline", cmdRender},
		{"backup", "backup --db DB --out FILE [--sessions]   write the whole database (SQLite or PostgreSQL) to a portable backup file", cmdBackup},
		{"restore", "restore --db DB [--force] FILE   load a backup into an empty database of either kind, all or nothing", cmdRestore},
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

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
	if args[0] == renderWorkerCommand {
		return cmdRenderWorker(ctx, e, args[1:])
	}
	printUsage(e.stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// renderWorkerCommand is the hidden command that serve and render start as
// their diagram worker process: it reads render requests on stdin, answers
// on stdout (diagram.ServeWorker) and exits when stdin closes. It ignores
// SIGINT and SIGTERM (main catches them): it lives as long as its parent.
const renderWorkerCommand = "render-worker"

func cmdRenderWorker(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError{"render-worker takes no arguments; it is started by serve and render"}
	}
	return diagram.ServeWorker(e.stdin, e.stdout)
}

// workerRenderer starts a diagram renderer that draws in `coopchain
// render-worker` child processes of this executable, each replaced after
// renders renders (0: the default): go-graphviz's memory only grows.
func workerRenderer(renders int) (*diagram.Renderer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return diagram.NewRenderer(diagram.Options{WorkerCommand: []string{exe, renderWorkerCommand}, WorkerRenders: renders})
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

// openStore opens the database and, when it is new, loads the built-in
// dataset (the registry every command expects).
func openStore(ctx context.Context, e *env, dsn string) (*sqlstore.DB, error) {
	st, err := openBare(ctx, e, dsn)
	if err != nil {
		return nil, err
	}
	seed, err := seeds.Load()
	if err == nil {
		_, err = st.LoadSeed(ctx, seed)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func openBare(ctx context.Context, e *env, dsn string) (*sqlstore.DB, error) {
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
	rateToken := fs.Float64("rate-token", 100, "requests per second per API token (negative: no limit)")
	rateIP := fs.Float64("rate-ip", 20, "requests per second per client IP for anonymous callers (negative: no limit)")
	var proxies stringList
	fs.Var(&proxies, "trusted-proxy", "CIDR of a reverse proxy whose X-Forwarded-For is trusted (repeatable)")
	threshold := fs.Int("aggregation-threshold", 3, "participants a niche's demand must aggregate before non-members see it")
	upload := fs.Int64("upload-limit", 32<<20, "largest dataset upload in bytes")
	bootstrap := fs.Bool("bootstrap-token", true, "on a database without tokens, create an admin token and print it once")
	renderWorker := fs.Bool("render-worker", true, "draw diagrams in a child process replaced every --render-recycle renders (false: in this process, whose memory then grows with every render)")
	recycle := fs.Int("render-recycle", diagram.DefaultWorkerRenders, "renders a diagram worker process does before it is replaced")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if *logFormat == "json" {
		h = slog.NewJSONHandler(e.stderr, nil)
	}
	log := slog.New(h)
	st, err := openBare(ctx, e, *dsn)
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
	if *bootstrap {
		if ts, err := st.ListTokens(ctx); err == nil && len(ts) == 0 {
			_, full, err := server.NewToken(ctx, st, gm.RoleAdmin, "", "created at first start")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "\nFirst start: an admin token was created. It is shown only this once; sign in with it at the web UI or send it as\n  Authorization: Bearer %s\n\n", full)
		}
	}
	ref, err := seeds.Reference() // support measures, EAEU rules, Eurasian-scope clusters
	if err != nil {
		return err
	}
	var renderer *diagram.Renderer // nil: the server draws in this process
	if *renderWorker {
		if renderer, err = workerRenderer(*recycle); err != nil {
			log.Error("cannot draw diagrams in a worker process; drawing in this process", "err", err)
		} else {
			defer renderer.Close()
		}
	}
	srv := server.New(server.Deps{Store: st, Log: log, Reference: ref, Renderer: renderer, Config: server.Config{RatePerToken: *rateToken, RatePerIP: *rateIP, TrustedProxies: proxies,
		AggregationThreshold: *threshold, UploadLimit: *upload}})
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
