package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/coopchain/coopchain/server/i18n"
)

// untranslated are the words a template may carry as they are: the product's
// name and the rating's block labels (named in the rating chart's legend).
var untranslated = map[string]bool{"coopchain": true, "S1": true, "S2": true, "S3": true, "S4": true, "S5": true}

// TestMessageCatalogue checks that every message has both languages, that
// every key the templates ask for exists, and that the templates carry no
// text of their own (all of it comes from the catalogue).
func TestMessageCatalogue(t *testing.T) {
	for k, m := range i18n.Keys() {
		if m["ru"] == "" || m["en"] == "" {
			t.Errorf("message %q lacks a language: %v", k, m)
		}
	}
	keyRe := regexp.MustCompile(`\bt \$?\.Lang "([^"]+)"`)
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tag := regexp.MustCompile(`(?s)<[^>]*>`)
	entity := regexp.MustCompile(`&[a-z]+;|&#[0-9]+;`)
	files, err := fs.Glob(webFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, f := range files {
		b, _ := fs.ReadFile(webFS, f)
		src := string(b)
		for _, m := range keyRe.FindAllStringSubmatch(src, -1) {
			if !i18n.Has(m[1]) {
				t.Errorf("%s: message %q is not in the catalogue", f, m[1])
			}
		}
		// What is left outside actions and tags is text a reader sees.
		text := entity.ReplaceAllString(tag.ReplaceAllString(action.ReplaceAllString(src, " "), " "), " ")
		for _, word := range strings.Fields(text) {
			if strings.IndexFunc(word, unicode.IsLetter) >= 0 && !untranslated[strings.Trim(word, " /·:()")] {
				t.Errorf("%s: hard-coded text %q (put it in the message catalogue)", f, word)
			}
		}
	}
	// Keys made at run time: kinds, roles, statuses.
	for _, k := range []string{"kind.enterprise", "kind.sopc", "kind.university", "kind.research", "kind.infrastructure", "kind.finance", "kind.foreign_supplier",
		"role.admin", "role.editor", "role.viewer", "role.investor", "status.pass", "status.fail", "status.unknown"} {
		if !i18n.Has(k) {
			t.Errorf("message %q is missing", k)
		}
	}
}
