package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import")
	dsn := fs.String("db", "", "database file or postgres://… (default $COOPCHAIN_DB or ~/.local/share/coopchain/coopchain.db)")
	cluster := fs.String("cluster", "", "cluster id to import into (created if missing)")
	dry := fs.Bool("dry-run", false, "validate only; store nothing")
	year := fs.Int("replace-year", 0, "replace the cluster's links, imports and capacities of this year")
	report := fs.String("report", "", "write the validation report (every problem) as JSON to this file")
	lang := fs.String("lang", defaultLang(e), "language of the messages: ru or en")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *cluster == "" || len(pos) != 1 {
		return usageError{"usage: coopchain import --db PATH --cluster ID [--dry-run] [--replace-year Y] [--report FILE] PATH"}
	}
	rep := newReporter(e.stderr, "reading "+pos[0])
	res, err := tabular.ReadPath(pos[0], tabular.Limits{Progress: func(n int) { rep.update(n, 0) }})
	rep.finish()
	if err != nil {
		return importFailed(e, err, *report, *lang)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(e.stderr, "warning:", problemText(w, *lang))
	}
	st, err := openStore(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	wrep := newReporter(e.stderr, "storing")
	out, err := st.Import(ctx, *cluster, res.Dataset, gm.ImportOptions{DryRun: *dry, ReplaceYear: *year, Progress: wrep.update})
	wrep.finish()
	if err != nil {
		return importFailed(e, err, *report, *lang)
	}
	printImport(e.stdout, out, *year, *lang)
	return writeReport(*report, out, nil)
}

// importFailed prints every problem of a failed import in the chosen
// language, writes the report file and returns a short error.
func importFailed(e *env, err error, report, lang string) error {
	details := gm.ErrorDetails(err)
	if len(details) == 0 {
		return err
	}
	for _, p := range details {
		fmt.Fprintln(e.stderr, problemText(p, lang))
	}
	if werr := writeReport(report, nil, details); werr != nil {
		return werr
	}
	if lang == "ru" {
		return gm.Errorf(gm.EINVALID, "найдено ошибок: %d; ничего не сохранено", len(details))
	}
	return gm.Errorf(gm.EINVALID, "%d problem(s) found; nothing was stored", len(details))
}

func defaultLang(e *env) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := e.getenv(k); v != "" {
			if strings.HasPrefix(v, "ru") {
				return "ru"
			}
			return "en"
		}
	}
	return "en"
}

// problemText renders a problem in the chosen language.
func problemText(p gm.Problem, lang string) string {
	if lang == "ru" && p.MessageRU != "" {
		p.Message = p.MessageRU
	}
	return p.String()
}

func printImport(w io.Writer, out *gm.ImportResult, year int, lang string) {
	verb := "imported into cluster"
	if out.DryRun {
		verb = "valid (dry run, nothing stored) for cluster"
	}
	if lang == "ru" {
		verb = "импортировано в кластер"
		if out.DryRun {
			verb = "данные корректны (проверка, ничего не сохранено), кластер"
		}
	}
	var parts []string
	for _, k := range tabular.SortedSheetNames(out.Rows) {
		parts = append(parts, fmt.Sprintf("%d %s", out.Rows[k], k))
	}
	fmt.Fprintf(w, "%s %s: %s", verb, out.ClusterID, strings.Join(parts, ", "))
	if out.Deleted > 0 {
		fmt.Fprintf(w, "; %d rows of year %d replaced", out.Deleted, year)
	}
	if out.CreatedCluster && !out.DryRun {
		fmt.Fprint(w, " (new cluster)")
	}
	fmt.Fprintln(w)
}

// writeReport writes the validation report: {"ok", "result", "problems"}.
func writeReport(path string, res *gm.ImportResult, problems []gm.Problem) error {
	if path == "" {
		return nil
	}
	if problems == nil {
		problems = []gm.Problem{}
	}
	data, err := json.MarshalIndent(map[string]any{"ok": len(problems) == 0, "result": res, "problems": problems}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
