package i18n

import (
	"strconv"
	"strings"
	"time"
)

var monthsGenitive = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// Date writes a day as people write it: «30 ноября 2026 г.» in Russian,
// "30 November 2026" in English.
func Date(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + "\u00a0" + monthsGenitive[t.Month()-1] + " " + strconv.Itoa(t.Year()) + "\u00a0г."
}

// DateTime writes a moment: «30 ноября 2026 г., 17:05».
func DateTime(lang string, t time.Time) string {
	return Date(lang, t) + ", " + t.Format("15:04")
}

// DateText rewrites a date or moment stored as text (2026-11-30,
// 2026-11-30 17:05:00, RFC 3339) as Date or DateTime does; text that is not
// a date is returned as it is, and an empty text stays empty.
func DateText(lang, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return Date(lang, t)
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateTime(lang, t)
		}
	}
	return s
}
