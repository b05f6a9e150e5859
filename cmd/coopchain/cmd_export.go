package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/exchange"
	"github.com/coopchain/coopchain/tabular"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export")
	dsn := dbFlag(e, fs)
	cluster := fs.String("cluster", "", "cluster id")
	format := fs.String("format", "", "csv (a folder), xlsx, json, graphml, gexf or dot")
	out := fs.String("out", "", "output path (a folder for csv)")
	dialectName := fs.String("csv-dialect", "rfc4180", "CSV dialect: rfc4180 (commas, decimal point) or excel-ru (semicolons, decimal comma, UTF-8 BOM, CRLF: what a Russian Excel opens)")
	lang := fs.String("lang", "", "workbook language: ru (Russian sheet names, headers and values) or en (the format's names, the default)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *cluster == "" || *out == "" || *format == "" {
		return usageError{"usage: coopchain export --db PATH --cluster ID --format csv|xlsx|json|graphml|gexf|dot [--csv-dialect rfc4180|excel-ru] [--lang ru|en] --out PATH"}
	}
	if !exchange.Valid(*format) {
		return usageError{fmt.Sprintf("--format %q: use %s", *format, strings.Join(exchange.Formats, ", "))}
	}
	dialect, err := tabular.ParseDialect(*dialectName)
	if err != nil {
		return usageError{fmt.Sprintf("--csv-dialect %q: use rfc4180 or excel-ru", *dialectName)}
	}
	if *lang != "" && *lang != "ru" && *lang != "en" {
		return usageError{fmt.Sprintf("--lang %q: use ru or en", *lang)}
	}
	st, err := openExisting(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := st.ClusterData(ctx, *cluster)
	if err != nil {
		return err
	}
	if *format == "csv" {
		if err := tabular.WriteDirDialect(*out, tabular.Tables(ds), dialect); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "exported cluster %s: %d rows to %s/\n", *cluster, ds.Rows(), *out)
		return nil
	}
	var extra []tabular.Table
	if *format == "xlsx" {
		emp, err := st.Employment(ctx)
		if err != nil {
			return err
		}
		rep, err := analysis.Analyze(ctx, ds, analysis.Options{ClusterID: *cluster, Employment: emp})
		if err != nil {
			return err
		}
		extra = exchange.ReportSheets(rep)
	}
	var buf bytes.Buffer
	if err := exchange.WriteWith(&buf, *format, ds, extra, exchange.Options{Dialect: dialect, Lang: *lang}); err != nil {
		return err
	}
	if dir := filepath.Dir(*out); dir != "" {
		os.MkdirAll(dir, 0o755)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported cluster %s: %d rows to %s\n", *cluster, ds.Rows(), *out)
	return nil
}

func cmdTemplate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "template")
	format := fs.String("format", "xlsx", "xlsx or zip (CSV files)")
	out := fs.String("out", "", "output file")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"usage: coopchain template --format xlsx|zip --out FILE"}
	}
	var buf bytes.Buffer
	switch *format {
	case "xlsx":
		if err := exchange.WriteTemplateXLSX(&buf); err != nil {
			return err
		}
	case "zip":
		if err := exchange.WriteTemplateZip(&buf); err != nil {
			return err
		}
	default:
		return usageError{fmt.Sprintf("--format %q: use xlsx or zip", *format)}
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the dataset template to %s\n", *out)
	return nil
}
