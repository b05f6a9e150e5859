package i18n

import (
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Plural picks the form of a word for the number n. In Russian forms are
// the three of «1 участник», «2 участника», «5 участников» (one, few,
// many); in English "one" and "other" — the first and the last form given.
//
//	i18n.Plural("ru", 21, "участник", "участника", "участников") // участник
//	i18n.Plural("en", 2, "participant", "participants")           // participants
func Plural(lang string, n int, forms ...string) string {
	if len(forms) == 0 {
		return ""
	}
	last := forms[len(forms)-1]
	if lang == "en" {
		if n == 1 || n == -1 {
			return forms[0]
		}
		return last
	}
	few := last
	if len(forms) > 1 {
		few = forms[1]
	}
	return gm.PluralRU(n, forms[0], few, last)
}

// N writes a count with its word, the forms taken from the catalogue entry
// key ("участник|участника|участников"; "participant|participants"):
// N("ru", 3, "n.participant") = "3 участника". Thousands are grouped.
func N(lang string, n int, key string) string {
	return gm.GroupDigits(strconv.Itoa(n)) + "\u00a0" + Plural(lang, n, strings.Split(T(lang, key), "|")...)
}
