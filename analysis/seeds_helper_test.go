package analysis_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/internal/testenv"
)

// seedLines returns the text of a source reference such as "001:273-281"
// or "004:343-353;001:323" from ../shared/seeds: the lines joined with
// spaces, every kind of space folded into one and words broken by a hyphen
// at a line's end joined again. The test is skipped when the documents are
// absent.
func seedLines(t *testing.T, ref string) string {
	t.Helper()
	var parts []string
	doc := ""
	for _, seg := range strings.Split(ref, ";") {
		if d, r, ok := strings.Cut(seg, ":"); ok {
			doc, seg = d, r
		}
		b, err := os.ReadFile(testenv.Shared(t, "../../shared/seeds/"+doc+"_*.txt"))
		if err != nil {
			t.Fatal(err)
		}
		lines := append([]string{""}, strings.Split(string(b), "\n")...)
		from, to, _ := strings.Cut(seg, "-")
		a, err1 := strconv.Atoi(from)
		z := a
		var err2 error
		if to != "" {
			z, err2 = strconv.Atoi(to)
		}
		if err1 != nil || err2 != nil || a < 1 || z < a || z >= len(lines) {
			t.Fatalf("bad reference %q", ref)
		}
		parts = append(parts, lines[a:z+1]...)
	}
	s := spaces.ReplaceAllString(strings.Join(parts, " "), " ")
	return strings.TrimSpace(hyphenBreak.ReplaceAllString(s, "$1$2"))
}

var (
	spaces      = regexp.MustCompile(`[\s\p{Zs}]+`)
	hyphenBreak = regexp.MustCompile(`(\p{Ll})- (\p{Ll})`)
)

// seedSays fails the test unless the reference's text contains every phrase.
func seedSays(t *testing.T, ref string, phrases ...string) {
	t.Helper()
	text := seedLines(t, ref)
	for _, p := range phrases {
		if !strings.Contains(text, p) {
			t.Errorf("%s does not say %q: %s", ref, p, text)
		}
	}
}
