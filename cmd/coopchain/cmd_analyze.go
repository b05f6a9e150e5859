package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

func cmdAnalyze(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "analyze")
	in := fs.String("in", "", "dataset: a CSV folder, a .zip of CSV files or an .xlsx workbook")
	format := fs.String("format", "json", "output: json or table")
	year := fs.Int("year", 0, "year of the figures (default: the latest in the data)")
	cluster := fs.String("cluster", "", "cluster id whose row (regions, development programme) applies (default: the first)")
	weights := fs.String("weights", "", "niche score weights, e.g. gap=0.35,buyers=0.25,import_substitution=0.15,adjacent=0.15,specialization=0.1")
	threshold := fs.Float64("inside-share", 0.2, "PP-779: minimum share of final producers' inputs bought inside the cluster")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *in == "" && len(pos) == 1 {
		*in = pos[0]
	}
	if *in == "" {
		return usageError{"usage: coopchain analyze --in PATH [--format json|table] [--year Y]"}
	}
	if *format != "json" && *format != "table" {
		return usageError{fmt.Sprintf("--format %q: use json or table", *format)}
	}
	w, err := parseWeights(*weights)
	if err != nil {
		return usageError{err.Error()}
	}
	if st, err := os.Stat(filepath.Join(*in, "links.csv")); err == nil && st.Size() > 100<<20 {
		fmt.Fprintf(e.stderr, "note: %s has %d MB of links; for networks of millions of links `coopchain network --in %s` computes the network metrics streaming, in a fraction of the time and memory\n", *in, st.Size()>>20, *in)
	}
	res, err := tabular.ReadPath(*in, tabular.Limits{})
	if err != nil {
		return err
	}
	for _, p := range res.Warnings {
		fmt.Fprintln(e.stderr, "warning:", p.String())
	}
	ds := res.Dataset
	if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
		return gm.Invalid(fmt.Sprintf("%s: %d problem(s) found", *in, len(p)), p)
	}
	rep, err := analysis.Analyze(ctx, ds, analysis.Options{Year: *year, ClusterID: *cluster, Weights: w, InsideShareThreshold: *threshold})
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, rep)
	}
	return writeReportTable(e.stdout, rep)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func parseWeights(s string) (*analysis.NicheWeights, error) {
	if s == "" {
		return nil, nil
	}
	w := analysis.DefaultWeights
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 0 {
			return nil, fmt.Errorf("--weights %q: write name=number pairs with non-negative numbers", kv)
		}
		switch k {
		case "gap":
			w.Gap = f
		case "buyers":
			w.Buyers = f
		case "import_substitution":
			w.ImportSubstitution = f
		case "adjacent":
			w.Adjacent = f
		case "specialization":
			w.Specialization = f
		default:
			return nil, fmt.Errorf("--weights: unknown factor %q (gap, buyers, import_substitution, adjacent, specialization)", k)
		}
	}
	return &w, nil
}

func f3(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'f', 3, 64)
}

// grouped writes a whole number with its thousands separated by commas:
// 1,234,567.
func grouped(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct writes a share as a percentage with one decimal.
func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

func pctp(p *float64) string {
	if p == nil {
		return "—"
	}
	return pct(*p)
}

// participantLabel is a participant's name with its id: "ООО «РИАК» (alu-riak)".
func participantLabel(rep *analysis.Report, id string) string {
	if m, ok := rep.ParticipantByID(id); ok && m.Name != "" && m.Name != id {
		return m.Name + " (" + id + ")"
	}
	return id
}

// writeReportTable prints the report for people: names beside ids, values
// in roubles with grouped digits, shares as percentages.
func writeReportTable(out io.Writer, rep *analysis.Report) error {
	s := rep.Summary
	name := "Dataset"
	if rep.ClusterID != "" {
		name = "Cluster " + rep.ClusterID + " " + rep.ClusterName
	}
	yr := "no year given"
	if rep.Year != 0 {
		yr = "year " + strconv.Itoa(rep.Year)
	}
	fmt.Fprintf(out, "%s, %s: %d participants (%d enterprises, %d final producers), %d links, %s RUB supplied inside, %s RUB imported, %d stages, %d cycles, betweenness %s\n\n",
		name, yr, s.Participants, s.Enterprises, s.FinalProducers, s.Links, grouped(s.ValueRUB), grouped(s.ImportsRUB), s.Stages, s.Cycles, s.Betweenness)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "participant\tstage\tin\tout\tbought, RUB\tsold, RUB\tpagerank\tsupplier rank\tbetweenness\tup\tdown\tsingle-source inputs\tremoval impact\timports direct\timports total\t")
	for _, p := range rep.Participants {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%.4f\t%.4f\t%.4f\t%d\t%d\t%d\t%s\t%s\t%s\t\n", participantLabel(rep, p.ID), p.Stage, p.InDegree, p.OutDegree, grouped(p.InValue), grouped(p.OutValue),
			p.PageRank, p.SupplierRank, p.Betweenness, p.UpstreamCount, p.DownstreamCount, p.SingleSourceInputs, pct(p.RemovalImpact), pctp(p.ImportShareDirect), pctp(p.ImportContentTotal))
	}
	tw.Flush()
	if len(rep.Cycles) > 0 {
		fmt.Fprintln(out, "\nCycles:")
		for _, c := range rep.Cycles {
			var names []string
			for _, id := range c {
				names = append(names, participantLabel(rep, id))
			}
			fmt.Fprintln(out, "  "+strings.Join(names, " → "))
		}
	}
	fmt.Fprintln(out, "\nInvestment niches:")
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tproduct\tgap, RUB\tbuyers\tscore\t")
	for _, n := range rep.Niches {
		fmt.Fprintf(tw, "%d\t%s (%s)\t%s\t%d\t%.1f\t\n", n.Rank, n.ProductName, n.ProductCode, grouped(n.GapRUB), n.Buyers, n.Score)
	}
	tw.Flush()
	fmt.Fprintf(out, "\nPP-779 compliance: %s\n", rep.Compliance.Status)
	for _, r := range rep.Compliance.Rules {
		fmt.Fprintf(out, "  [%-7s] %s — %s\n", r.Status, r.Title, r.Evidence)
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(out, "note:", n.Message)
	}
	return nil
}

func cmdLQ(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lq")
	in := fs.String("in", "", "employment CSV")
	group := fs.String("group", "", "column whose values group industries (totals are taken inside each group), e.g. group or traded_b")
	format := fs.String("format", "json", "output: json or table")
	regionCol := fs.String("region-col", "region", "column with the region")
	industryCol := fs.String("industry-col", "industry", "column with the industry")
	employeesCol := fs.String("employees-col", "employees", "column with the number of employees")
	yearCol := fs.String("year-col", "year", "column with the year (optional)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return usageError{"usage: coopchain lq --in employment.csv [--group COLUMN] [--format json|table]"}
	}
	if *format != "json" && *format != "table" {
		return usageError{fmt.Sprintf("--format %q: use json or table", *format)}
	}
	f, err := os.Open(*in)
	if err != nil {
		return gm.Errorf(gm.EINVALID, "cannot open %s: %v", *in, err)
	}
	defer f.Close()
	rows, err := tabular.ReadEmployment(f, *in, tabular.EmploymentColumns{Region: *regionCol, Industry: *industryCol, Group: *group, Employees: *employeesCol, Year: *yearCol}, tabular.Limits{})
	if err != nil {
		return err
	}
	lqs := analysis.LocationQuotients(rows)
	if *format == "json" {
		return writeJSON(e.stdout, lqs)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "region\tindustry\tgroup\temployees\tlq\t")
	for _, l := range lqs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%s\t\n", l.Region, l.Industry, l.Group, l.Employees, f3(l.LQ))
	}
	return tw.Flush()
}
