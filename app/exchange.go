package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/exchange"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

// Content types of the data exchange.
const (
	MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MIMEZip  = "application/zip"
)

// UploadFile is one file of a dataset upload: its bytes, or for a CSV file
// a stream that the parser reads row by row (and stops at the row limit
// without holding the rest).
type UploadFile struct {
	Name string // the file name as sent (only its extension matters)
	Data []byte
	Body io.Reader // a CSV file's stream, instead of Data
}

// Upload is a dataset as sent: one workbook, one zip of CSV files, or CSV
// files (a single CSV body names its sheet).
type Upload struct {
	Files []UploadFile
}

// UploadKind checks a file name's extension: "xlsx", "zip" or "csv".
func UploadKind(name string) (string, error) {
	switch strings.ToLower(filepath.Ext(filepath.Base(name))) {
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".zip":
		return "zip", nil
	case ".csv", ".txt":
		return "csv", nil
	}
	return "", gm.Errorf(gm.EUNSUPPORTED, "%s: send an .xlsx workbook, a .zip of CSV files or .csv files", filepath.Base(name))
}

// read decodes the upload within the upload limits (size, rows, unpacked
// size).
func (a *App) read(u Upload) (*tabular.Result, error) {
	lim := tabular.Limits{MaxFileBytes: a.cfg.UploadLimit, MaxRows: a.cfg.UploadMaxRows, MaxUnzipBytes: a.cfg.UploadUnzipLimit}
	if len(u.Files) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "no file in the upload")
	}
	csvs := map[string]io.Reader{}
	for _, f := range u.Files {
		name := filepath.Base(f.Name)
		kind, err := UploadKind(name)
		if err != nil {
			return nil, err
		}
		if kind != "csv" && len(u.Files) > 1 {
			return nil, gm.Errorf(gm.EINVALID, "send one workbook or zip, or CSV files, not both")
		}
		switch kind {
		case "xlsx":
			return tabular.ReadXLSXBytes(f.Data, name, lim)
		case "zip":
			return tabular.ReadZip(bytes.NewReader(f.Data), int64(len(f.Data)), name, lim)
		}
		if f.Body != nil {
			csvs[name] = f.Body
		} else {
			csvs[name] = bytes.NewReader(f.Data)
		}
	}
	return tabular.ReadCSVFiles(csvs, lim)
}

// ValidSheet reports whether name is a sheet of the dataset format (for a
// single CSV body).
func ValidSheet(name string) bool {
	_, ok := tabular.SheetByName(name)
	return ok
}

// Import reads an upload and stores it into the cluster, all or nothing
// (opt.DryRun: validate only).
func (a *App) Import(ctx context.Context, me Principal, clusterID string, u Upload, opt gm.ImportOptions) (*gm.ImportResult, error) {
	if err := Write.Check(me, clusterID); err != nil {
		return nil, err
	}
	if !gm.ValidID(clusterID) {
		return nil, gm.Errorf(gm.EINVALID, "invalid cluster id %q", clusterID)
	}
	res, err := a.read(u)
	if err != nil {
		return nil, err
	}
	out, err := a.store.Import(as(ctx, me), clusterID, res.Dataset, opt)
	if err != nil {
		return nil, err
	}
	out.Warnings = res.Warnings
	return out, nil
}

// Download is a file to send: its bytes, content type and file name.
type Download struct {
	Data        []byte
	ContentType string
	FileName    string
}

// ExportOptions tune an export: Dialect is the CSV dialect ("" or
// "rfc4180": commas, decimal point, no byte order mark; "excel-ru": what a
// Russian Excel opens: semicolons, decimal comma, a UTF-8 byte order mark,
// CRLF); Lang the workbook's language ("ru": Russian sheet names, headers
// and values; "" or "en": the format's sheet and column names).
type ExportOptions struct {
	Dialect string
	Lang    string
}

// Export writes the cluster's data in a format of exchange.Formats
// (members); the workbook also carries the analysis sheets.
func (a *App) Export(ctx context.Context, me Principal, clusterID, format string) (*Download, error) {
	return a.ExportWith(ctx, me, clusterID, format, ExportOptions{})
}

// ExportWith is Export with options.
func (a *App) ExportWith(ctx context.Context, me Principal, clusterID, format string, opt ExportOptions) (*Download, error) {
	if format == "" {
		format = "xlsx"
	}
	if !exchange.Valid(format) {
		return nil, gm.Invalid("invalid format", []gm.Problem{{Column: "format", Value: format, Message: "use " + strings.Join(exchange.Formats, ", "), MessageRU: "допустимы " + strings.Join(exchange.Formats, ", ")}})
	}
	dialect, err := tabular.ParseDialect(opt.Dialect)
	if err != nil {
		return nil, err
	}
	if opt.Lang != "" && opt.Lang != "ru" && opt.Lang != "en" {
		return nil, gm.Invalid("invalid language", []gm.Problem{{Column: "lang", Value: opt.Lang, Message: "use ru or en", MessageRU: "допустимы ru и en"}})
	}
	if err := Read.Check(me, clusterID); err != nil {
		return nil, err
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	var ds *gm.Dataset
	var extra []tabular.Table
	if format == "xlsx" {
		x, err := a.Analysis(ctx, me, Read, cl, 0)
		if err != nil {
			return nil, err
		}
		ds, extra = x.Data, exchange.ReportSheets(x.Report)
	} else if ds, err = a.store.ClusterData(ctx, cl.ID); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := exchange.WriteWith(&buf, format, ds, extra, exchange.Options{Dialect: dialect, Lang: opt.Lang}); err != nil {
		return nil, err
	}
	mt, ext := exchange.ContentType(format)
	return &Download{Data: buf.Bytes(), ContentType: mt, FileName: fmt.Sprintf("%s.%s", cl.ID, ext)}, nil
}

// Template is the empty dataset template, as a workbook ("xlsx") or a zip
// of CSV files ("zip").
func (a *App) Template(format string) (*Download, error) {
	var buf bytes.Buffer
	d := &Download{ContentType: MIMEXLSX, FileName: "coopchain-dataset." + format}
	var err error
	if format == "xlsx" {
		err = exchange.WriteTemplateXLSX(&buf)
	} else {
		d.ContentType = MIMEZip
		err = exchange.WriteTemplateZip(&buf)
	}
	if err != nil {
		return nil, err
	}
	d.Data = buf.Bytes()
	return d, nil
}

// ReportWorkbook is the session report as a Russian workbook (see
// ReportWorkbookLang).
func (a *App) ReportWorkbook(x *Analysed, scenarios []ScenarioSummary) (*Download, error) {
	return a.ReportWorkbookLang(x, scenarios, "ru")
}

// ReportWorkbookLang is the session report as a workbook in language lang:
// the analysis sheets, the scenarios compared with the base, and the
// cluster's data (Russian sheet names, headers and values when lang is ru).
func (a *App) ReportWorkbookLang(x *Analysed, scenarios []ScenarioSummary, lang string) (*Download, error) {
	tables := exchange.ReportSheets(x.Report)
	sc := tabular.Table{Name: "scenarios", Header: []string{"scenario", "compliance_base", "compliance", "total_gap_base_rub", "total_gap_rub", "niches_closed"},
		TitleRU:  "Сценарии",
		HeaderRU: []string{"Сценарий", "Соответствие ПП-779 без сценария", "Соответствие ПП-779 по сценарию", "Суммарный разрыв без сценария, руб.", "Суммарный разрыв по сценарию, руб.", "Закрыто ниш"},
		Text:     map[int]bool{0: true}, Numeric: map[int]bool{3: true, 4: true, 5: true},
		Format:   map[int]string{3: tabular.FormatRUB, 4: tabular.FormatRUB, 5: tabular.FormatInt},
		ValuesRU: map[int]map[string]string{1: exchange.StatusRU, 2: exchange.StatusRU}}
	for _, s := range scenarios {
		if s.Cmp == nil {
			sc.Rows = append(sc.Rows, []string{s.Name, "", "", "", "", ""})
			continue
		}
		sc.Rows = append(sc.Rows, []string{s.Name, s.Cmp.BaseCompliance, s.Cmp.Compliance, num(s.Cmp.BaseTotalGapRUB), num(s.Cmp.TotalGapRUB), fmt.Sprint(s.Closed)})
	}
	var buf bytes.Buffer
	if err := tabular.WriteXLSXLang(&buf, append(append(tables, sc), tabular.Tables(x.Data)...), nil, lang); err != nil {
		return nil, err
	}
	return &Download{Data: buf.Bytes(), ContentType: MIMEXLSX, FileName: x.Cluster.ID + "-report.xlsx"}, nil
}

// LocationQuotients computes location quotients from employment rows
// (validated) or, when csv is not nil, from a CSV employment table whose
// group column is named group.
func (a *App) LocationQuotients(rows []gm.Employment, csv io.Reader, group string) ([]analysis.LQ, error) {
	if csv != nil {
		cols := tabular.DefaultEmploymentColumns
		cols.Group = group
		var err error
		if rows, err = tabular.ReadEmployment(csv, "employment.csv", cols, tabular.Limits{MaxFileBytes: 32 << 20}); err != nil {
			return nil, err
		}
	} else {
		ds := &gm.Dataset{Employment: rows}
		for i := range ds.Employment {
			ds.Employment[i].Pos = gm.Pos{File: "employment", Row: i + 1}
		}
		if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
			return nil, gm.Invalid("invalid employment rows", p)
		}
	}
	if len(rows) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "no employment rows")
	}
	return analysis.LocationQuotients(rows), nil
}

// ExportURL is the address of a cluster's export in format for a page in
// language lang: CSV downloads from the Russian UI ask for the excel-ru
// dialect (what a Russian Excel opens) and workbooks for Russian sheets;
// the API's defaults stay those of scripts.
func ExportURL(clusterID, format, lang string) string {
	q := url.Values{"format": {format}}
	if lang == "ru" {
		switch format {
		case "csv":
			q.Set("dialect", string(tabular.DialectExcelRU))
		case "xlsx":
			q.Set("lang", "ru")
		}
	}
	return "/api/v1/clusters/" + url.PathEscape(clusterID) + "/export?" + q.Encode()
}
