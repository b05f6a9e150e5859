// Package httpx is the HTTP plumbing the JSON API (server) and the web
// pages (server/web) share: who is calling, errors as status and body, the
// permission check, and one parser per query parameter.
package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// Caller is who is calling and, when signed in by cookie, the session.
type Caller struct {
	app.Principal
	Session string // hash of the session id when signed in by cookie
	CSRF    string
}

const ctxCaller = "caller"

// Who returns the caller the authentication middleware found.
func Who(c echo.Context) Caller {
	p, _ := c.Get(ctxCaller).(Caller)
	return p
}

// SetWho records the caller for the rest of the request.
func SetWho(c echo.Context, p Caller) { c.Set(ctxCaller, p) }

// CSRFHeader carries the CSRF token of a cookie session's changes.
const CSRFHeader = "X-CSRF-Token"

// Require checks a route's permission against the caller and, for requests
// signed in by cookie that change something, the CSRF token (header, or
// the form field "csrf" of a page's form). The target is the path's :id
// (the cluster) and :pid (a participant, for a participant's own
// submission).
func Require(p app.Perm) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := Check(c, p); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// Check is Require's test without calling the handler.
func Check(c echo.Context, p app.Perm) error {
	me := Who(c)
	if me.Session != "" && UnsafeMethod(c.Request().Method) {
		// The CSRF token comes in the header or, from the web UI's forms, in
		// the form's body (urlencoded or multipart); never in the URL, which
		// leaks into logs and Referer headers.
		got := c.Request().Header.Get(CSRFHeader)
		if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); got == "" && (mt == echo.MIMEApplicationForm || mt == echo.MIMEMultipartForm) {
			got = c.Request().PostFormValue("csrf") // a form's body (a workbook upload is multipart), never the URL
		}
		if got == "" || got != me.CSRF {
			return gm.Errorf(gm.EFORBIDDEN, "missing or wrong CSRF token (send the X-CSRF-Token header)")
		}
	}
	return p.CheckOn(me.Principal, app.Target{Cluster: c.Param("id"), Participant: c.Param("pid")})
}

// UnsafeMethod reports whether a method may change something.
func UnsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// ParseYear reads a year parameter: 0 when absent, else 1900..2100.
func ParseYear(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	y, err := gm.ParseYear(v)
	if err != nil {
		return 0, gm.Invalid("invalid "+name, []gm.Problem{{Column: name, Value: v, Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
	}
	return y, nil
}

// Year reads ?year=.
func Year(c echo.Context) (int, error) { return ParseYear("year", c.QueryParam("year")) }

// Paging reads limit and offset, rejecting bad values and capping the
// limit at max (def when absent).
func Paging(c echo.Context, def, max int) (limit, offset int, err error) {
	limit, offset = def, 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, gm.Invalid("invalid limit", []gm.Problem{{Column: "limit", Value: v, Message: "must be a whole number of at least 1", MessageRU: "должно быть целым числом не меньше 1"}})
		}
		limit = min(n, max)
	}
	if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, gm.Invalid("invalid offset", []gm.Problem{{Column: "offset", Value: v, Message: "must be a whole number of at least 0", MessageRU: "должно быть целым неотрицательным числом"}})
		}
		offset = n
	}
	return limit, offset, nil
}

// IfMatch reads the If-Match header as a record version (0 when absent).
func IfMatch(c echo.Context) (int64, error) {
	h := strings.Trim(strings.TrimPrefix(strings.TrimSpace(c.Request().Header.Get("If-Match")), "W/"), `"`)
	if h == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v < 1 {
		return 0, gm.Errorf(gm.EINVALID, "If-Match must be the record's version, e.g. \"3\"")
	}
	return v, nil
}

// BindJSON decodes a JSON body strictly: the content type must be JSON
// (415), unknown fields are refused (so nobody can set fields such as id,
// role or cluster_id that the body must not carry), size is capped (413).
func BindJSON(c echo.Context, v any) error {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEApplicationJSON {
		return gm.Errorf(gm.EUNSUPPORTED, "send application/json, not %q", mt)
	}
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, 1<<20)
	return DecodeJSON(r.Body, v)
}

// DecodeJSON decodes one JSON value, rejecting unknown fields and trailing data.
func DecodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return gm.Errorf(gm.ETOOLARGE, "request body too large")
		}
		return gm.Errorf(gm.EINVALID, "invalid JSON body: %v", err)
	}
	if dec.More() {
		return gm.Errorf(gm.EINVALID, "invalid JSON body: more than one value")
	}
	return nil
}

// Lang picks the page language: ?lang= (remembered in a cookie), the
// cookie, else Russian.
func Lang(c echo.Context) string {
	if l := c.QueryParam("lang"); l == "en" || l == "ru" {
		c.SetCookie(&http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if ck, err := c.Cookie("lang"); err == nil && (ck.Value == "en" || ck.Value == "ru") {
		return ck.Value
	}
	return "ru"
}

// SameOrigin refuses a sign-in posted from another site (login CSRF: being
// signed in, unknowingly, with someone else's token): a browser names the
// page's origin in Origin, and Sec-Fetch-Site says whether it is this site.
// Requests without either (non-browser clients) pass.
func SameOrigin(c echo.Context) error {
	r := c.Request()
	refused := gm.Errorf(gm.EFORBIDDEN, "sign-in refused: the form was sent from another site")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return refused
	}
	o := r.Header.Get("Origin")
	switch {
	case o == "":
		return nil
	case o == "null":
		// A page whose referrer policy is no-referrer (the sign-in page,
		// which carries invitation codes) posts with Origin "null"; then
		// Sec-Fetch-Site, checked above, must vouch for the site.
		if r.Header.Get("Sec-Fetch-Site") == "" {
			return refused
		}
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
		return refused
	}
	return nil
}
