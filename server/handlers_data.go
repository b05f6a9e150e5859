package server

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
)

func setVersion(c echo.Context, v int64) {
	c.Response().Header().Set("ETag", `"`+strconv.FormatInt(v, 10)+`"`)
}

// recordFilter reads the list filters of links, imports and capacities.
func recordFilter(c echo.Context) (app.RecordFilter, error) {
	y, err := httpx.Year(c)
	return app.RecordFilter{Participant: c.QueryParam("participant"), Supplier: c.QueryParam("supplier"), Buyer: c.QueryParam("buyer"),
		Product: c.QueryParam("product"), Year: y}, err
}

func (s *Server) handleParticipants() echo.HandlerFunc {
	return func(c echo.Context) error {
		f := app.ParticipantFilter{Kind: c.QueryParam("kind"), Region: c.QueryParam("region"), Query: c.QueryParam("q")}
		ps, err := s.app.Participants(c.Request().Context(), who(c), c.Param("id"), f)
		return list(s, c, ps, err)
	}
}

func (s *Server) handleParticipant() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, v, err := s.app.Participant(c.Request().Context(), who(c), c.Param("id"), c.Param("pid"))
		if err != nil {
			return err
		}
		setVersion(c, v)
		return c.JSON(http.StatusOK, map[string]any{"participant": p, "version": v})
	}
}

func (s *Server) handleSaveParticipant(replace bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in app.ParticipantInput
		if err := httpx.BindJSON(c, &in); err != nil {
			return err
		}
		ver, err := httpx.IfMatch(c)
		if err != nil {
			return err
		}
		p, v, err := s.app.SaveParticipant(c.Request().Context(), who(c), c.Param("id"), c.Param("pid"), in, replace, ver)
		if err != nil {
			return err
		}
		setVersion(c, v)
		status := http.StatusOK
		if !replace {
			status = http.StatusCreated
		}
		return c.JSON(status, map[string]any{"participant": p, "version": v})
	}
}

func (s *Server) handleSaveRecord(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in app.RecordInput
		if err := httpx.BindJSON(c, &in); err != nil {
			return err
		}
		ver, err := httpx.IfMatch(c)
		if err != nil {
			return err
		}
		v, created, err := s.app.SaveRecord(c.Request().Context(), who(c), c.Param("id"), kind, in, ver)
		if err != nil {
			return err
		}
		setVersion(c, v)
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return c.JSON(status, map[string]any{kind: in, "version": v})
	}
}

func (s *Server) handleDeleteRecord(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ver, err := httpx.IfMatch(c)
		if err != nil {
			return err
		}
		k := gm.RecordKey{Kind: kind, ParticipantID: c.Param("pid")}
		if kind != "participant" {
			f, err := recordFilter(c)
			if err != nil {
				return err
			}
			k = gm.RecordKey{Kind: kind, ParticipantID: f.Participant, SupplierID: f.Supplier, BuyerID: f.Buyer, ProductCode: f.Product, Year: f.Year,
				Country: strings.ToUpper(c.QueryParam("country"))}
		}
		if err := s.app.DeleteRecord(c.Request().Context(), who(c), c.Param("id"), k, ver); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) handleLinks() echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := recordFilter(c)
		if err != nil {
			return err
		}
		ls, err := s.app.Links(c.Request().Context(), who(c), c.Param("id"), f)
		return list(s, c, ls, err)
	}
}

func (s *Server) handleImports() echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := recordFilter(c)
		if err != nil {
			return err
		}
		ms, err := s.app.Imports(c.Request().Context(), who(c), c.Param("id"), f)
		return list(s, c, ms, err)
	}
}

func (s *Server) handleCapacities() echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := recordFilter(c)
		if err != nil {
			return err
		}
		ms, err := s.app.Capacities(c.Request().Context(), who(c), c.Param("id"), f)
		return list(s, c, ms, err)
	}
}

// handleImport accepts a workbook, a zip of CSV files or CSV files, as a
// multipart form (field "file", repeatable) or as the raw body, and stores
// them all or nothing. ?dry_run=true only validates; ?replace_year=Y
// replaces that year's figures.
func (s *Server) handleImport() echo.HandlerFunc {
	return func(c echo.Context) error {
		opt := gm.ImportOptions{}
		if v := c.QueryParam("dry_run"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return gm.Invalid("invalid dry_run", []gm.Problem{{Column: "dry_run", Value: v, Message: "must be true or false", MessageRU: "должно быть true или false"}})
			}
			opt.DryRun = b
		}
		y, err := httpx.ParseYear("replace_year", c.QueryParam("replace_year"))
		if err != nil {
			return err
		}
		opt.ReplaceYear = y
		if !gm.ValidID(c.Param("id")) {
			return gm.Errorf(gm.EINVALID, "invalid cluster id %q", c.Param("id"))
		}
		r := c.Request()
		if r.ContentLength > s.cfg.UploadLimit {
			return gm.Errorf(gm.ETOOLARGE, "the upload is larger than %d bytes", s.cfg.UploadLimit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, s.cfg.UploadLimit)
		up, err := s.readUpload(c)
		if err != nil {
			return err
		}
		out, err := s.app.Import(r.Context(), who(c), c.Param("id"), up, opt)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if out.CreatedCluster && !out.DryRun {
			status = http.StatusCreated
		}
		return c.JSON(status, out)
	}
}

// readUpload reads the files of the request body, whatever its form: CSV
// files as streams, workbooks and zips whole (their limits are checked
// before anything is unpacked).
func (s *Server) readUpload(c echo.Context) (app.Upload, error) {
	r := c.Request()
	ct, params, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return gm.Errorf(gm.ETOOLARGE, "the upload is larger than %d bytes", s.cfg.UploadLimit)
		}
		return gm.Errorf(gm.EINVALID, "cannot read the upload: %v", err)
	}
	whole := func(name string, rd io.Reader) (app.UploadFile, error) {
		data, err := io.ReadAll(rd)
		if err != nil {
			return app.UploadFile{}, tooLarge(err)
		}
		return app.UploadFile{Name: name, Data: data}, nil
	}
	one := func(f app.UploadFile, err error) (app.Upload, error) {
		return app.Upload{Files: []app.UploadFile{f}}, err
	}
	switch ct {
	case "multipart/form-data":
		return s.readMultipart(c, params["boundary"], whole, tooLarge)
	case app.MIMEXLSX:
		return one(whole("upload.xlsx", r.Body))
	case app.MIMEZip, "application/x-zip-compressed":
		return one(whole("upload.zip", r.Body))
	case "text/csv":
		sheet := c.QueryParam("sheet")
		if !app.ValidSheet(sheet) {
			return app.Upload{}, gm.Errorf(gm.EINVALID, "a single CSV body needs ?sheet= (participants, links, products, imports, capacities, projects, employment, clusters)")
		}
		// Read as a stream: the parser stops at the row limit without the
		// rest of the body ever being held in memory.
		return one(app.UploadFile{Name: sheet + ".csv", Body: bodyReader{r.Body, tooLarge}}, nil)
	}
	return app.Upload{}, gm.Errorf(gm.EUNSUPPORTED, "unsupported content type %q: send multipart/form-data, %s, %s or text/csv", ct, app.MIMEXLSX, app.MIMEZip)
}

// readMultipart reads the form's "file" fields; the files stay open (CSV
// files are streamed) until the request ends.
func (s *Server) readMultipart(c echo.Context, boundary string, whole func(string, io.Reader) (app.UploadFile, error), tooLarge func(error) error) (app.Upload, error) {
	r := c.Request()
	if boundary == "" {
		return app.Upload{}, gm.Errorf(gm.EINVALID, "multipart body without a boundary")
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return app.Upload{}, tooLarge(err)
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return app.Upload{}, gm.Errorf(gm.EINVALID, "no file in the form: send it in the field \"file\"")
	}
	var up app.Upload
	for _, fh := range files {
		kind, err := app.UploadKind(fh.Filename)
		if err != nil {
			return app.Upload{}, err
		}
		if kind != "csv" && len(files) > 1 {
			return app.Upload{}, gm.Errorf(gm.EINVALID, "send one workbook or zip, or CSV files, not both")
		}
		f, err := fh.Open()
		if err != nil {
			return app.Upload{}, tooLarge(err)
		}
		context.AfterFunc(r.Context(), func() { f.Close() })
		if kind == "csv" {
			up.Files = append(up.Files, app.UploadFile{Name: fh.Filename, Body: f})
			continue
		}
		uf, err := whole(fh.Filename, f)
		if err != nil {
			return app.Upload{}, err
		}
		up.Files = append(up.Files, uf)
	}
	return up, nil
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

// handleExport serves the cluster's data in a format of exchange.Formats.
// handleExport sends the cluster's data in ?format= (default xlsx).
// ?dialect=excel-ru writes the CSV files for a Russian Excel (semicolons,
// decimal comma, UTF-8 byte order mark, CRLF; the web UI's Russian links
// ask for it); the default, rfc4180, is unchanged for scripts. ?lang=ru
// gives a workbook Russian sheet names, headers and values.
func (s *Server) handleExport() echo.HandlerFunc {
	return func(c echo.Context) error {
		opt := app.ExportOptions{Dialect: c.QueryParam("dialect"), Lang: c.QueryParam("lang")}
		d, err := s.app.ExportWith(c.Request().Context(), who(c), c.Param("id"), c.QueryParam("format"), opt)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}
