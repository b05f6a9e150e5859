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
	"path/filepath"
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
	name string
	run  func(ctx context.Context, e *env, args []string) error
}

// commands lists the commands; their help is in docs (help.go).
func commands() []command {
	return []command{
		{"serve", cmdServe},
		{"import", cmdImport},
		{"export", cmdExport},
		{"template", cmdTemplate},
		{"analyze", cmdAnalyze},
		{"network", cmdNetwork},
		{"lq", cmdLQ},
		{"token", cmdToken},
		{"render", cmdRender},
		{"backup", cmdBackup},
		{"restore", cmdRestore},
		{"version", cmdVersion},
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
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

// runEnv runs the command args name. Help (-h, --help, help COMMAND) goes
// to standard output and ends with status 0, as does --version.
func runEnv(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		printUsage(e.stderr)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printUsage(e.stdout)
		return nil
	case "help":
		if len(args) > 1 {
			return runEnv(ctx, []string{strings.Join(args[1:], " "), "-h"}, e)
		}
		printUsage(e.stdout)
		return nil
	case "--version", "-version", "-v":
		return cmdVersion(ctx, e, nil)
	case "token create", "token list", "token revoke": // from "help token create"
		args = append(strings.Fields(args[0]), args[1:]...)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if errors.Is(err, errHelp) {
				return nil
			}
			return err
		}
	}
	if args[0] == renderWorkerCommand {
		return cmdRenderWorker(ctx, e, args[1:])
	}
	printUsage(e.stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	if wantsHelp(args) {
		printHelp(e.stdout, "version", nil)
		return errHelp
	}
	fmt.Fprintln(e.stdout, versionText())
	return nil
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
	fmt.Fprintln(w, "coopchain maps the cooperation chains of industrial clusters, finds their import gaps and investment niches, checks PP-779 and serves it all to a planning session.")
	fmt.Fprintln(w, "\nUsage:\n  coopchain COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, docs[c.name].summary)
	}
	fmt.Fprintln(w, "\nRun 'coopchain COMMAND -h' (or 'coopchain help COMMAND') for a command's flags and examples; 'coopchain --version' for the version.")
	fmt.Fprintln(w, "\nExamples:\n  coopchain serve\n  coopchain analyze --in seeds/data/clusters/ru-031 --format table\n  coopchain token create --role editor --cluster ru-031")
}

// newFlags makes a command's flag set; -h prints the command's help (docs)
// to standard output, mistakes go to standard error.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("coopchain "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { printHelp(e.stdout, name, fs) }
	return fs
}

// parse parses flags allowing them before and after positional arguments.
// Asked for help, it prints the command's help and returns errHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	if wantsHelp(args) {
		fs.Usage()
		return nil, errHelp
	}
	help := fs.Usage
	fs.Usage = func() { fmt.Fprintf(fs.Output(), "Run '%s -h' for its flags and examples.\n", fs.Name()) }
	defer func() { fs.Usage = help }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
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

// openExisting opens a database that must already exist (commands that
// read it, or change what is in it): a SQLite path that names no file is
// refused rather than created empty.
func openExisting(ctx context.Context, e *env, dsn string) (*sqlstore.DB, error) {
	if dsn == "" {
		dsn = sqlstore.DefaultPath(e.getenv)
	}
	if !isPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, gm.Errorf(gm.ENOTFOUND, "no database at %s: check --db (or $COOPCHAIN_DB); `coopchain serve --db %s` creates a new one", dsn, dsn)
		}
	}
	return openStore(ctx, e, dsn)
}

// checkDBFolder refuses a SQLite database whose folder does not exist,
// unless create is set: an explicit --db with a typo must not start an
// empty database somewhere new. The default location is always created.
func checkDBFolder(dsn string, create bool) error {
	if dsn == "" || isPostgres(dsn) || create {
		return nil
	}
	dir := filepath.Dir(dsn)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError{fmt.Sprintf("the folder %s of --db %s does not exist: check the path, or add --create-dirs to create it", dir, dsn)}
	}
	return nil
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
	createDirs := fs.Bool("create-dirs", false, "create the folder of --db when it does not exist (without it a missing folder is refused)")
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
	if err := checkDBFolder(*dsn, *createDirs); err != nil {
		return err
	}
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
	printWelcome(ctx, e, st, ln.Addr().String(), *dsn)
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// printWelcome tells the person who started the server where to sign in
// and which cluster to open (make run shows it).
func printWelcome(ctx context.Context, e *env, st *sqlstore.DB, addr, dsn string) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	base := "http://" + addr
	fmt.Fprintf(e.stderr, "\nOpen %s/ in a browser.\n", base)
	if cl, err := st.GetCluster(ctx, seeds.DemoCluster); err == nil {
		fmt.Fprintf(e.stderr, "  Demo cluster: %s/clusters/%s (%s)\n", base, cl.ID, cl.Name)
		fmt.Fprintf(e.stderr, "  Sign in:      %s/login?next=/clusters/%s with an API token\n", base, cl.ID)
	} else {
		fmt.Fprintf(e.stderr, "  Sign in:      %s/login with an API token\n", base)
	}
	db := ""
	if dsn != "" {
		db = " --db " + dsnLabel(dsn, e)
	}
	fmt.Fprintf(e.stderr, "  A token:      the admin token above (first start only), or coopchain token create%s --role editor --cluster %s\n\n", db, seeds.DemoCluster)
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
