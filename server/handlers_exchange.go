package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/exchange"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/labstack/echo/v4"
)

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeZip  = "application/zip"
)

// handleImport accepts a workbook, a zip of CSV files or CSV files, as a
// multipart form (field "file", repeatable) or as the raw body, and stores
// them all or nothing. ?dry_run=true only validates; ?replace_year=Y
// replaces that year's figures.
func (s *Server) handleImport() echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if !gm.ValidID(id) {
			return gm.Errorf(gm.EINVALID, "invalid cluster id %q", id)
		}
		opt := gm.ImportOptions{}
		if v := c.QueryParam("dry_run"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return gm.Invalid("invalid dry_run", []gm.Problem{{Column: "dry_run", Value: v, Message: "must be true or false", MessageRU: "должно быть true или false"}})
			}
			opt.DryRun = b
		}
		if v := c.QueryParam("replace_year"); v != "" {
			y, err := strconv.Atoi(v)
			if err != nil || y < 1900 || y > 2100 {
				return gm.Invalid("invalid replace_year", []gm.Problem{{Column: "replace_year", Value: v, Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
			}
			opt.ReplaceYear = y
		}
		r := c.Request()
		if r.ContentLength > s.cfg.UploadLimit {
			return gm.Errorf(gm.ETOOLARGE, "the upload is larger than %d bytes", s.cfg.UploadLimit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, s.cfg.UploadLimit)
		res, err := s.readUpload(c)
		if err != nil {
			return err
		}
		out, err := s.store.Import(r.Context(), id, res.Dataset, opt)
		if err != nil {
			return err
		}
		out.Warnings = res.Warnings
		status := http.StatusOK
		if out.CreatedCluster && !out.DryRun {
			status = http.StatusCreated
		}
		return c.JSON(status, out)
	}
}

// readUpload reads the dataset from the request body, whatever its form.
func (s *Server) readUpload(c echo.Context) (*tabular.Result, error) {
	r := c.Request()
	lim := tabular.Limits{MaxFileBytes: s.cfg.UploadLimit, MaxRows: s.cfg.UploadMaxRows, MaxUnzipBytes: s.cfg.UploadUnzipLimit}
	ct, params, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return gm.Errorf(gm.ETOOLARGE, "the upload is larger than %d bytes", s.cfg.UploadLimit)
		}
		return gm.Errorf(gm.EINVALID, "cannot read the upload: %v", err)
	}
	switch ct {
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, gm.Errorf(gm.EINVALID, "multipart body without a boundary")
		}
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return nil, tooLarge(err)
		}
		files := r.MultipartForm.File["file"]
		if len(files) == 0 {
			return nil, gm.Errorf(gm.EINVALID, "no file in the form: send it in the field \"file\"")
		}
		csvs := map[string]io.Reader{}
		for _, fh := range files {
			name := filepath.Base(fh.Filename)
			ext := strings.ToLower(filepath.Ext(name))
			switch {
			case ext != ".xlsx" && ext != ".xlsm" && ext != ".zip" && ext != ".csv" && ext != ".txt":
				return nil, gm.Errorf(gm.EUNSUPPORTED, "%s: send an .xlsx workbook, a .zip of CSV files or .csv files", name)
			case ext != ".csv" && ext != ".txt" && len(files) > 1:
				return nil, gm.Errorf(gm.EINVALID, "send one workbook or zip, or CSV files, not both")
			}
			f, err := fh.Open()
			if err != nil {
				return nil, tooLarge(err)
			}
			defer f.Close()
			switch ext {
			case ".csv", ".txt":
				csvs[name] = f // read as a stream by the parser
				continue
			}
			data, err := io.ReadAll(f)
			if err != nil {
				return nil, tooLarge(err)
			}
			if ext == ".zip" {
				return tabular.ReadZip(bytes.NewReader(data), int64(len(data)), name, lim)
			}
			return tabular.ReadXLSXBytes(data, name, lim)
		}
		return tabular.ReadCSVFiles(csvs, lim)
	case mimeXLSX:
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, tooLarge(err)
		}
		return tabular.ReadXLSXBytes(data, "upload.xlsx", lim)
	case mimeZip, "application/x-zip-compressed":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, tooLarge(err)
		}
		return tabular.ReadZip(bytes.NewReader(data), int64(len(data)), "upload.zip", lim)
	case "text/csv":
		sheet := c.QueryParam("sheet")
		if _, ok := tabular.SheetByName(sheet); !ok {
			return nil, gm.Errorf(gm.EINVALID, "a single CSV body needs ?sheet= (participants, links, products, imports, capacities, projects, employment, clusters)")
		}
		// Read as a stream: the parser stops at the row limit without the
		// rest of the body ever being held in memory.
		return tabular.ReadCSVFiles(map[string]io.Reader{sheet + ".csv": bodyReader{r.Body, tooLarge}}, lim)
	}
	return nil, gm.Errorf(gm.EUNSUPPORTED, "unsupported content type %q: send multipart/form-data, %s, %s or text/csv", ct, mimeXLSX, mimeZip)
}

// handleExport serves the cluster's data in a format of exchange.Formats.
func (s *Server) handleExport() echo.HandlerFunc {
	return func(c echo.Context) error {
		format := c.QueryParam("format")
		if format == "" {
			format = "xlsx"
		}
		if !exchange.Valid(format) {
			return gm.Invalid("invalid format", []gm.Problem{{Column: "format", Value: format, Message: "use " + strings.Join(exchange.Formats, ", "), MessageRU: "допустимы " + strings.Join(exchange.Formats, ", ")}})
		}
		ctx := c.Request().Context()
		cl, err := s.store.GetCluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		var ds *gm.Dataset
		var extra []tabular.Table
		if format == "xlsx" {
			var rep *analysis.Report
			if rep, ds, err = s.analyzer.report(ctx, cl, 0); err != nil {
				return err
			}
			extra = exchange.ReportSheets(rep)
		} else if ds, err = s.store.ClusterData(ctx, cl.ID); err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := exchange.Write(&buf, format, ds, extra); err != nil {
			return err
		}
		mt, ext := exchange.ContentType(format)
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.%s"`, cl.ID, ext))
		return c.Blob(http.StatusOK, mt, buf.Bytes())
	}
}

func (s *Server) handleTemplate(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var buf bytes.Buffer
		mt := mimeXLSX
		var err error
		if format == "xlsx" {
			err = exchange.WriteTemplateXLSX(&buf)
		} else {
			mt = mimeZip
			err = exchange.WriteTemplateZip(&buf)
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="coopchain-dataset.`+format+`"`)
		return c.Blob(http.StatusOK, mt, buf.Bytes())
	}
}

// bodyReader turns a body read error (over the upload limit, cut off) into
// the domain error the parser passes on.
type bodyReader struct {
	r    io.Reader
	fail func(error) error
}

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = b.fail(err)
	}
	return n, err
}
