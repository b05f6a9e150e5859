package graphmodel

import (
	"sort"
	"strings"
)

// Country is a country of origin of imports: its ISO 3166 alpha-2 code and
// its Russian and English names.
type Country struct {
	Code, NameRU, NameEN string
}

// Countries are the origins of imports a participant picks from, by
// Russian name; any other ISO code is accepted too.
var Countries = sortedCountries([]Country{
	{"CN", "Китай", "China"}, {"DE", "Германия", "Germany"}, {"TR", "Турция", "Turkey"}, {"IT", "Италия", "Italy"},
	{"BY", "Беларусь", "Belarus"}, {"KZ", "Казахстан", "Kazakhstan"}, {"IN", "Индия", "India"}, {"JP", "Япония", "Japan"},
	{"KR", "Республика Корея", "South Korea"}, {"US", "США", "United States"}, {"FR", "Франция", "France"},
	{"GB", "Великобритания", "United Kingdom"}, {"AT", "Австрия", "Austria"}, {"CH", "Швейцария", "Switzerland"},
	{"CZ", "Чехия", "Czechia"}, {"PL", "Польша", "Poland"}, {"FI", "Финляндия", "Finland"}, {"SE", "Швеция", "Sweden"},
	{"NL", "Нидерланды", "Netherlands"}, {"BE", "Бельгия", "Belgium"}, {"ES", "Испания", "Spain"},
	{"AM", "Армения", "Armenia"}, {"KG", "Киргизия", "Kyrgyzstan"}, {"UZ", "Узбекистан", "Uzbekistan"},
	{"AZ", "Азербайджан", "Azerbaijan"}, {"IR", "Иран", "Iran"}, {"AE", "ОАЭ", "United Arab Emirates"},
	{"TW", "Тайвань", "Taiwan"}, {"VN", "Вьетнам", "Vietnam"}, {"TH", "Таиланд", "Thailand"}, {"MY", "Малайзия", "Malaysia"},
	{"ID", "Индонезия", "Indonesia"}, {"BR", "Бразилия", "Brazil"}, {"IL", "Израиль", "Israel"}, {"SG", "Сингапур", "Singapore"},
	{"HU", "Венгрия", "Hungary"}, {"SK", "Словакия", "Slovakia"}, {"SI", "Словения", "Slovenia"}, {"RS", "Сербия", "Serbia"},
	{"DK", "Дания", "Denmark"}, {"NO", "Норвегия", "Norway"}, {"CA", "Канада", "Canada"}, {"MX", "Мексика", "Mexico"},
	{"EG", "Египет", "Egypt"}, {"PK", "Пакистан", "Pakistan"}, {"SA", "Саудовская Аравия", "Saudi Arabia"},
})

func sortedCountries(cs []Country) []Country {
	sort.Slice(cs, func(i, j int) bool { return cs[i].NameRU < cs[j].NameRU })
	return cs
}

var countryAliases = map[string]string{"кнр": "CN", "германия (фрг)": "DE", "фрг": "DE", "турецкая республика": "TR", "белоруссия": "BY",
	"республика беларусь": "BY", "корея": "KR", "южная корея": "KR", "сша": "US", "англия": "GB", "великобритания": "GB",
	"кыргызстан": "KG", "объединённые арабские эмираты": "AE", "объединенные арабские эмираты": "AE", "чешская республика": "CZ",
	"голландия": "NL", "korea": "KR", "usa": "US", "uk": "GB", "uae": "AE"}

// CountryCode reads a country as a participant types it: an ISO code
// ("cn", "CN") or a Russian or English name ("Китай", "China"). ok is false
// for anything else.
func CountryCode(s string) (code string, ok bool) {
	s = strings.TrimSpace(s)
	if u := strings.ToUpper(s); countryRe.MatchString(u) {
		return u, true
	}
	l := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if c, ok := countryAliases[l]; ok {
		return c, true
	}
	for _, c := range Countries {
		if strings.ToLower(c.NameRU) == l || strings.ToLower(c.NameEN) == l {
			return c.Code, true
		}
	}
	return s, false
}

// CountryName is the country's Russian name (or English with lang "en"),
// the code itself when it is not in Countries.
func CountryName(lang, code string) string {
	for _, c := range Countries {
		if c.Code == code {
			if lang == "en" {
				return c.NameEN
			}
			return c.NameRU
		}
	}
	return code
}
