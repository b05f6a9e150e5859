package graphmodel

import (
	"math"
	"strconv"
	"strings"
)

// GroupDigits separates the thousands of a whole number written in digits
// with no-break spaces, as Russian (and the UI's English) writes them.
func GroupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatNumber writes v with prec decimals: a decimal comma in Russian.
func FormatNumber(lang string, v float64, prec int) string {
	x := strconv.FormatFloat(v, 'f', prec, 64)
	if lang == "en" {
		return x
	}
	return strings.Replace(x, ".", ",", 1)
}

// FormatPercent writes a share as a percentage: "40,4 %" in Russian,
// "40.4%" in English.
func FormatPercent(lang string, v float64) string {
	if lang == "en" {
		return FormatNumber(lang, 100*v, 1) + "%"
	}
	return FormatNumber(lang, 100*v, 1) + "\u00a0%"
}

// FormatMoney writes an amount of roubles for people, without the unit:
// "1,85 млрд", "23,0 млн", "950 000" (English: "1.85 bn", "23.0 mln").
func FormatMoney(lang string, v float64) string {
	switch {
	case math.Abs(v) >= 1e9:
		return FormatNumber(lang, v/1e9, 2) + map[bool]string{true: " bn", false: " млрд"}[lang == "en"]
	case math.Abs(v) >= 1e6:
		return FormatNumber(lang, v/1e6, 1) + map[bool]string{true: " mln", false: " млн"}[lang == "en"]
	}
	return GroupDigits(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}

// PluralRU picks the Russian form of a word for the number n: one
// («1 участник», «21 участник»), few («2 участника») or many
// («5 участников», «11 участников»).
func PluralRU(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return few
	}
	return many
}

// ParseYear reads a year as every input of coopchain takes it: a whole
// number from 1900 to 2100.
func ParseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 1900 || y > 2100 {
		return 0, Errorf(EINVALID, "%q is not a year between 1900 and 2100", s)
	}
	return y, nil
}
