package i18n

import (
	"testing"
	"time"
)

func TestPlural(t *testing.T) {
	forms := []string{"участник", "участника", "участников"}
	for n, want := range map[int]string{0: "участников", 1: "участник", 2: "участника", 4: "участника", 5: "участников", 11: "участников", 12: "участников",
		14: "участников", 21: "участник", 22: "участника", 25: "участников", 101: "участник", 111: "участников", 112: "участников", 1004: "участника", -3: "участника"} {
		if got := Plural("ru", n, forms...); got != want {
			t.Errorf("Plural(ru, %d) = %s, want %s", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "participants", 1: "participant", 2: "participants", 21: "participants"} {
		if got := Plural("en", n, "participant", "participants"); got != want {
			t.Errorf("Plural(en, %d) = %s, want %s", n, got, want)
		}
	}
	if got := Plural("en", 3, "participant", "…", "participants"); got != "participants" {
		t.Errorf("three forms in English: %s", got)
	}
}

func TestCountryName(t *testing.T) {
	for _, tc := range []struct{ lang, code, want string }{
		{"ru", "CN", "Китай"}, {"ru", "tr", "Турция"}, {"ru", " DE ", "Германия"}, {"ru", "US", "США"}, {"en", "CN", "China"},
		{"ru", "BY", "Беларусь"}, {"ru", "KZ", "Казахстан"}, {"ru", "XX", "XX"}, {"ru", "", ""}, {"ru", "Китай", "Китай"},
	} {
		if got := CountryName(tc.lang, tc.code); got != tc.want {
			t.Errorf("CountryName(%s, %q) = %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
	if len(countries) != 249 {
		t.Errorf("%d countries, ISO 3166-1 has 249 codes", len(countries))
	}
	for code, names := range countries {
		if len(code) != 2 || names[0] == "" || names[1] == "" {
			t.Errorf("%q: %v", code, names)
		}
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2026, 11, 30, 17, 5, 0, 0, time.UTC)
	if got := Date("ru", d); got != "30\u00a0ноября 2026\u00a0г." {
		t.Errorf("Date(ru) = %q", got)
	}
	if got := Date("en", d); got != "30 November 2026" {
		t.Errorf("Date(en) = %q", got)
	}
	for in, want := range map[string]string{"2026-03-01": "1\u00a0марта 2026\u00a0г.", "2026-11-30 17:05:00": "30\u00a0ноября 2026\u00a0г., 17:05",
		"2026-11-30T17:05:00Z": "30\u00a0ноября 2026\u00a0г., 17:05", "": "", "не дата": "не дата"} {
		if got := DateText("ru", in); got != want {
			t.Errorf("DateText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestN(t *testing.T) {
	if got := N("ru", 3, "n.participant"); got != "3\u00a0участника" {
		t.Errorf("N = %q", got)
	}
	if got := N("en", 1, "n.participant"); got != "1\u00a0participant" {
		t.Errorf("N = %q", got)
	}
}
