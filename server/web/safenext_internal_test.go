package web

import "testing"

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/clusters/ru-017":            "/clusters/ru-017",
		"/clusters/ru-017?year=2024":  "/clusters/ru-017?year=2024",
		"/clusters/ru-017#niches":     "/clusters/ru-017",
		"/a/../b":                     "/b",
		"/%2F%2Fevil.example":         "/", // decodes to //evil.example: refused too
		"":                            "/",
		"clusters":                    "/",
		"//evil.example":              "/",
		"///evil.example":             "/",
		"/\t/evil.example":            "/",
		"/\n/evil.example":            "/",
		"/\\evil.example":             "/",
		"/ /evil.example":             "/",
		"https://evil.example/":       "/",
		"/\x00":                       "/",
		"/\u00a0/evil.example":        "/",
		"/..//evil.example":           "/evil.example",
		"/.//evil.example":            "/",
		"javascript:alert(1)":         "/",
		"/clusters/ru-017?next=//bad": "/clusters/ru-017?next=//bad",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
