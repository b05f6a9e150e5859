package main

import (
	"context"
	"fmt"
	"os"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

func cmdRender(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "render")
	in := fs.String("in", "", "dataset: a CSV folder, a .zip of CSV files or an .xlsx workbook")
	view := fs.String("view", "cluster", "cluster, participant, product or niches")
	format := fs.String("format", "svg", "svg, png or dot")
	out := fs.String("out", "", "output file")
	participant := fs.String("participant", "", "participant id (view=participant)")
	product := fs.String("product", "", "product code (view=product)")
	hops := fs.Int("hops", 2, "steps up and down the chain (view=participant)")
	lang := fs.String("lang", "ru", "labels: ru or en")
	year := fs.Int("year", 0, "year of the figures (default: the latest)")
	cluster := fs.String("cluster", "", "cluster id for participant links (default: the dataset's first cluster)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usageError{"usage: coopchain render --in PATH --view cluster|participant|product|niches --format svg|png|dot --out FILE"}
	}
	if *format != diagram.SVG && *format != diagram.PNG && *format != diagram.DOT {
		return usageError{fmt.Sprintf("--format %q: use svg, png or dot", *format)}
	}
	if *lang != "ru" && *lang != "en" {
		return usageError{fmt.Sprintf("--lang %q: use ru or en", *lang)}
	}
	res, err := tabular.ReadPath(*in, tabular.Limits{})
	if err != nil {
		return err
	}
	ds := res.Dataset
	if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
		return gm.Invalid(fmt.Sprintf("%s: %d problem(s) found", *in, len(p)), p)
	}
	rep, err := analysis.Analyze(ctx, ds, analysis.Options{Year: *year, ClusterID: *cluster})
	if err != nil {
		return err
	}
	cid := *cluster
	if cid == "" {
		cid = rep.ClusterID
	}
	m, err := diagram.Build(*view, rep, ds.ForYear(rep.Year), diagram.ViewOptions{ClusterID: cid, Lang: *lang, Participant: *participant, Product: *product, Hops: *hops})
	if err != nil {
		return err
	}
	r, err := workerRenderer(0)
	if err != nil {
		// No worker process: draw in this one (one render, no growth to fear).
		if r, err = diagram.NewRenderer(diagram.Options{}); err != nil {
			return err
		}
	}
	defer r.Close()
	data, err := r.Render(ctx, "cli", m, *format)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d participants, %d links)\n", *out, len(m.Nodes), len(m.Edges))
	return nil
}
