package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// errHelp says a command's help was asked for and printed: the command
// ends with status 0.
var errHelp = errors.New("help shown")

// doc is what a command's help says besides its flags.
type doc struct {
	summary  string   // one line, in the list of commands
	usage    string   // the synopsis after "coopchain "
	text     string   // what it does, in a few sentences
	examples []string // command lines a user can copy
}

// docs holds the help of every command (the keys of commands()) and of the
// token subcommands.
var docs = map[string]doc{
	"serve": {"run the HTTP API and the web UI", "serve [--addr 127.0.0.1:8080] [--db PATH|postgres://…] [--create-dirs]",
		"Serves the JSON API under /api/v1 and the web UI for planning sessions. Without --db the database is $COOPCHAIN_DB, else $XDG_DATA_HOME/coopchain/coopchain.db, else ~/.local/share/coopchain/coopchain.db (its folder is created). A --db file in a folder that does not exist is refused unless --create-dirs is given, so that a typo does not start an empty database. An empty database gets the built-in dataset; a database without tokens gets an admin token, printed once. On start it prints where to sign in and the demo cluster's address.",
		[]string{"coopchain serve", "coopchain serve --addr 0.0.0.0:8080 --db /srv/coopchain/coopchain.db", "coopchain serve --db ./new/dir/coopchain.db --create-dirs", "coopchain serve --db postgres://user:secret@db:5432/coopchain"}},
	"import": {"import a CSV folder, .zip or .xlsx into a cluster", "import --db PATH --cluster ID [--dry-run] [--replace-year Y] [--report FILE] PATH",
		"Reads a dataset (a folder of CSV files, a .zip of them or an .xlsx workbook), checks every row and stores it into the cluster — created if missing — all or nothing. Every problem is listed with its file, row and column.",
		[]string{"coopchain import --db coopchain.db --cluster ru-031 ./data/", "coopchain import --db coopchain.db --cluster my-cluster --dry-run --report problems.json cluster.xlsx"}},
	"export": {"export a cluster's data", "export --db PATH --cluster ID --format csv|xlsx|json|graphml|gexf|dot [--csv-dialect rfc4180|excel-ru] [--lang ru|en] --out PATH",
		"Writes a cluster's data as a CSV folder, a workbook with the analysis sheets, JSON, GraphML or GEXF (Gephi) or DOT. --csv-dialect excel-ru writes CSV files a Russian Excel opens (semicolons, decimal comma, UTF-8 BOM, CRLF); --lang ru gives the workbook Russian sheet names and headers. The database must exist: export never creates one.",
		[]string{"coopchain export --db coopchain.db --cluster ru-031 --format xlsx --lang ru --out ru-031.xlsx", "coopchain export --db coopchain.db --cluster ru-031 --format csv --csv-dialect excel-ru --out ./ru-031/"}},
	"template": {"write an empty dataset template", "template --format xlsx|zip --out FILE",
		"Writes an empty dataset — a workbook or a .zip of CSV files — with one example row per sheet and the description of every column.",
		[]string{"coopchain template --format xlsx --out dataset.xlsx"}},
	"analyze": {"analyse a dataset offline (no server, no database)", "analyze --in PATH [--format json|table] [--year Y] [--cluster ID] [--weights …] [--inside-share 0.2]",
		"Analyses a CSV folder or workbook: per-participant metrics, cycles, import gaps, investment niches, PP-779 compliance. --format json prints one JSON object; --format table prints tables for people, with names beside ids and grouped digits.",
		[]string{"coopchain analyze --in seeds/data/clusters/ru-031", "coopchain analyze --in cluster.xlsx --format table --year 2024", "coopchain analyze --in ./data --weights gap=0.5,buyers=0.2,import_substitution=0.1,adjacent=0.1,specialization=0.1"}},
	"network": {"analyse a network of millions of links streamed from CSV", "network --in DIR|FILE | --snapshot FILE [--save-snapshot FILE [--save-only]] [--format json|csv] [--out FILE] [--year Y] [--betweenness auto|exact|approx|none] [--eps 0.01] [--delta 0.1]",
		"Streams a CSV folder (participants.csv, links.csv) or one edge list (or reloads a binary snapshot saved with --save-snapshot, memory-mapped) and computes degrees, values, PageRank, supplier rank, stages, cycles and betweenness (exact, or approximate with a stated error bound) for networks of up to millions of firms.",
		[]string{"coopchain network --in ./national/ --out metrics.json", "coopchain network --in edges.csv --format csv --betweenness approx --eps 0.01", "coopchain network --in ./national/ --save-snapshot national.snap --save-only", "coopchain network --snapshot national.snap --out metrics.json"}},
	"lq": {"location quotients from an employment table", "lq --in employment.csv [--group COLUMN] [--format json|table]",
		"Computes LQ(r,i) = (e_ri/e_r)/(e_i/e) for every region and industry of an employment CSV, inside groups when --group names a column.",
		[]string{"coopchain lq --in employment.csv --format table", "coopchain lq --in states.csv --region-col region_name_t --industry-col cluster_name_t --employees-col emp_tl --group traded_b"}},
	"token": {"create, list and revoke API tokens", "token create|list|revoke [flags]",
		"Manages the API tokens people and programs sign in with. Each subcommand has its own flags: run 'coopchain token create -h', 'coopchain token list -h' or 'coopchain token revoke -h'. The database must exist.",
		[]string{"coopchain token create --db coopchain.db --role editor --cluster ru-031 --name \"SOPC analyst\"", "coopchain token list --db coopchain.db", "coopchain token revoke --db coopchain.db 3f2a9c"}},
	"token create": {"create a token", "token create --db PATH --role viewer|editor|admin|investor|analyst [--cluster ID] [--name NOTE] | --role participant --cluster ID --participant ID",
		"Creates a token and prints it once on standard output (only its SHA-256 is stored). viewer and editor tokens can be limited to one cluster; an analyst token sees the national aggregates only (indicators summed over clusters, national niches), never a company's figure; a participant token answers for one participant of one cluster (its yearly data form). Sign in to the web UI with it, or send it as Authorization: Bearer ….",
		[]string{"coopchain token create --db coopchain.db --role editor --cluster ru-031", "coopchain token create --db coopchain.db --role investor --name \"investor day\"",
			"coopchain token create --db coopchain.db --role participant --cluster ru-031 --participant zas-rial"}},
	"token list": {"list the tokens", "token list --db PATH",
		"Lists every token: id, role, cluster, participant, note, when it was created and revoked. The secrets are never shown.",
		[]string{"coopchain token list --db coopchain.db"}},
	"token revoke": {"revoke a token", "token revoke --db PATH TOKEN_ID",
		"Ends a token at once, with every web session signed in with it.",
		[]string{"coopchain token revoke --db coopchain.db 3f2a9c"}},
	"render": {"draw a diagram offline", "render --in PATH --view cluster|participant|product|niches --format svg|png|dot --out FILE [--participant ID] [--product CODE] [--hops N] [--lang ru|en]",
		"Draws a cooperation-chain diagram of a dataset as SVG, PNG or DOT: the whole cluster, one participant's neighbourhood, one product's chain or the investment niches.",
		[]string{"coopchain render --in seeds/data/clusters/ru-031 --view cluster --format png --out cluster.png", "coopchain render --in data/ --view participant --participant alu-riak --hops 1 --format svg --out riak.svg"}},
	"backup": {"write the whole database to a portable backup file", "backup --db DB --out FILE [--sessions]",
		"Writes every table from one consistent snapshot, without stopping writers, to gzip-compressed JSON lines with a checksum. Works for SQLite and PostgreSQL alike. The database must exist.",
		[]string{"coopchain backup --db coopchain.db --out coopchain-2026-11-30.backup", "coopchain backup --db postgres://…/coopchain --out - > backup.gz"}},
	"restore": {"load a backup into an empty database, all or nothing", "restore --db DB [--force] FILE",
		"Loads a backup into an empty database of either kind (a new SQLite file is created), in one transaction; --force replaces a database that holds data.",
		[]string{"coopchain restore --db restored.db coopchain-2026-11-30.backup", "coopchain restore --db postgres://…/coopchain --force backup.gz"}},
	"version": {"print the version", "version   (or coopchain --version)",
		"Prints coopchain's version, the commit it was built from and the Go version.",
		[]string{"coopchain --version"}},
}

// wantsHelp reports whether the arguments ask for help (-h, -help, --help)
// before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

// printHelp writes a command's help: what it does, its usage, its flags
// and examples.
func printHelp(w io.Writer, name string, fs *flag.FlagSet) {
	d := docs[name]
	fmt.Fprintf(w, "coopchain %s — %s\n\nUsage:\n  coopchain %s\n\n", name, d.summary, d.usage)
	fmt.Fprintln(w, wrapText(d.text, 78))
	if fs != nil {
		has := false
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(w, "\nFlags:")
			out := fs.Output()
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(out)
		}
	}
	if len(d.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, ex := range d.examples {
			fmt.Fprintln(w, "  "+ex)
		}
	}
}

// wrapText breaks a paragraph into lines of at most width characters.
func wrapText(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		l := len([]rune(word))
		if n > 0 && n+1+l > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += l
	}
	return b.String()
}

// version is set at build time: go build -ldflags "-X main.version=v1.2.3"
// (make build does it from git describe). Without it the module version and
// the commit come from the build information Go records.
var version = ""

// versionText is what --version prints: the version, the commit and its
// time, whether the tree was modified, and the Go version.
func versionText() string {
	v, rev, at, modified, goVersion := version, "", "", false, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	out := "coopchain " + v
	var extra []string
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		extra = append(extra, "commit "+rev)
	}
	if at != "" {
		extra = append(extra, at)
	}
	if modified {
		extra = append(extra, "modified")
	}
	if len(extra) > 0 {
		out += " (" + strings.Join(extra, ", ") + ")"
	}
	if goVersion != "" {
		out += " " + goVersion
	}
	return out
}
