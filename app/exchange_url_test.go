package app

import "testing"

func TestExportURL(t *testing.T) {
	for _, tc := range []struct{ format, lang, want string }{
		{"csv", "ru", "/api/v1/clusters/a%2Fb/export?dialect=excel-ru&format=csv"},
		{"csv", "en", "/api/v1/clusters/a%2Fb/export?format=csv"},
		{"xlsx", "ru", "/api/v1/clusters/a%2Fb/export?format=xlsx&lang=ru"},
		{"json", "ru", "/api/v1/clusters/a%2Fb/export?format=json"},
	} {
		if got := ExportURL("a/b", tc.format, tc.lang); got != tc.want {
			t.Errorf("ExportURL(%s, %s) = %s, want %s", tc.format, tc.lang, got, tc.want)
		}
	}
}
