package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// Sign-in is refused from another site and allowed from this one,
// including a browser's Origin "null" (the sign-in page's referrer policy
// is no-referrer) when Sec-Fetch-Site vouches for it.
func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		name, origin, site string
		ok                 bool
	}{
		{"no headers (a script)", "", "", true},
		{"same origin", "http://example.test:8080", "same-origin", true},
		{"same origin, no fetch metadata", "http://example.test:8080", "", true},
		{"typed address", "", "none", true},
		{"null origin from this site", "null", "same-origin", true},
		{"null origin alone", "null", "", false},
		{"another site", "http://evil.example", "cross-site", false},
		{"another origin, no fetch metadata", "http://evil.example", "", false},
		{"same host, other site by fetch metadata", "http://example.test:8080", "same-site", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "http://example.test:8080/login", nil)
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.site != "" {
				req.Header.Set("Sec-Fetch-Site", tc.site)
			}
			err := SameOrigin(echo.New().NewContext(req, httptest.NewRecorder()))
			if tc.ok && err != nil || !tc.ok && gm.ErrorCode(err) != gm.EFORBIDDEN {
				t.Errorf("got %v", err)
			}
		})
	}
}
