package analysis

import "testing"

func TestFederalDistrict(t *testing.T) {
	for region, want := range map[string]string{
		"Ямало-Ненецкий автономный округ":          "УФО",
		"Ненецкий автономный округ":                "СЗФО",
		"Республика Ингушетия":                     "СКФО",
		"Московская область":                       "ЦФО",
		"Нижегородская область":                    "ПФО",
		"Новгородская область":                     "СЗФО",
		"Ханты-Мансийский автономный округ — Югра": "УФО",
		"Атлантида":                                "",
	} {
		if got := FederalDistrict(region); got != want {
			t.Errorf("FederalDistrict(%q) = %q, want %q", region, got, want)
		}
	}
}
