package seeds_test

import (
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
)

// atlasNames lists the Atlas's lines from..to (001) as text, for finding
// participants' names in a section.
func atlasLines(t *testing.T, from, to int) string {
	t.Helper()
	atlas := sourceDoc(t, "001")
	return norm(strings.Join(atlas[from:to+1], " "))
}

func participantsOf(t *testing.T, cluster string) map[string]gm.Participant {
	t.Helper()
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]gm.Participant{}
	for _, p := range s.Data[cluster].Participants {
		out[p.ID] = p
	}
	return out
}

// Issue #17, point 2: every built-in participant's kind follows the
// section of the Atlas it is listed under.
func TestParticipantKindsFollowTheAtlasSections(t *testing.T) {
	tests := []struct {
		name, cluster string
		from, to      int    // the section's lines in 001
		heading       string // the section's heading, as printed
		kind          gm.ParticipantKind
		ids           []string
	}{
		// NCG: «Предприятия кластера» — five enterprises, ТСМАРТ among them
		// (it was typed research, so NCG failed «не менее 5 предприятий»).
		{"NCG enterprises", "ru-035", 1467, 1487, "Предприятия кластера", gm.KindEnterprise, []string{"ncg-ekohit", "ncg-crgt", "ncg-tsmart", "ncg-tehnohit", "ncg-selz"}},
		// KEMZ: «Участники кластера КЭМЗ» — six companies, the engineering
		// centre ИЦ «АСИ» among them, as NCG's ТСМАРТ.
		{"KEMZ participants", "ru-017", 1219, 1243, "Участники кластера КЭМЗ:", gm.KindEnterprise, []string{"kemz-torginvest", "kemz-npo-yamz", "kemz-gsho", "kemz-profit", "kemz-ilma", "kemz-ic-asi"}},
		// Kolomna: «УЧАСТНИКИ КЛАСТЕРА»; ВНИКТИ is a research institute
		// (разработка … и испытания опытных образцов).
		{"Kolomna participants", "ru-006", 1287, 1381, "УЧАСТНИКИ КЛАСТЕРА", gm.KindEnterprise, []string{"kol-kz", "kol-adl", "kol-dimikros", "kol-tehnokompleks", "kol-kz-rti"}},
		{"Kolomna research", "ru-006", 1373, 1376, "ООО «Торговый дом АДЛ»", gm.KindResearch, []string{"kol-vnikti"}},
		// Aluminium: «объединение производственных и инжиниринговых компаний».
		{"aluminium companies", "ru-031", 1538, 1622, "Алюминиевый промышленный кластер Республики Ингушетия", gm.KindEnterprise,
			[]string{"alu-riak", "alu-alroks", "alu-revaluks", "alu-envol", "alu-arhstroy", "alu-almaz", "alu-inkolor", "alu-amk", "alu-pk-ama", "alu-zas-rial", "alu-ptz", "alu-elektrotsit", "alu-fasad", "alu-elektron"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := atlasLines(t, tc.from, tc.to)
			if !strings.HasPrefix(text, tc.heading) {
				t.Fatalf("001:%d is not %q: %.80s", tc.from, tc.heading, text)
			}
			ps := participantsOf(t, tc.cluster)
			for _, id := range tc.ids {
				p, ok := ps[id]
				if !ok {
					t.Errorf("%s missing", id)
					continue
				}
				// The name as printed (without the words the data adds in brackets).
				name := strings.TrimSpace(strings.Split(p.Name, " (")[0])
				if !strings.Contains(strings.ToLower(text), strings.ToLower(name)) {
					t.Errorf("%s %q is not listed in 001:%d-%d", id, name, tc.from, tc.to)
				}
				if p.Kind != tc.kind {
					t.Errorf("%s is %s, want %s", id, p.Kind, tc.kind)
				}
			}
		})
	}
}

// The Kolomna cluster's partners («ПАРТНЕРЫ КЛАСТЕРА», 001:1383-1401) are not
// its participants: the college that was loaded as a university is not.
func TestKolomnaPartnersAreNotParticipants001L1383(t *testing.T) {
	partners := atlasLines(t, 1383, 1401)
	if !strings.HasPrefix(partners, "ПАРТНЕРЫ КЛАСТЕРА") || !strings.Contains(partners, "ГБПОУ МО «КОЛОМНА»") {
		t.Fatalf("001:1383-1401: %.120s", partners)
	}
	for id, p := range participantsOf(t, "ru-006") {
		if p.Kind != gm.KindSOPC && strings.Contains(partners, strings.Split(p.Name, " (")[0]) {
			t.Errorf("%s (%s) is a partner of the cluster, not a participant", id, p.Name)
		}
	}
}

// Issue #17, point 7: a participant whose region the Atlas does not state
// is illustrative, and its source says the region is assumed. KEMZ's list
// gives each participant's region (001:1221-1243); the aluminium cluster's
// section is Ingushetia's (001:1538).
func TestAssumedRegionsAreIllustrative(t *testing.T) {
	kemz := atlasLines(t, 1219, 1243)
	for _, cluster := range []string{"ru-006", "ru-017", "ru-031", "ru-035"} {
		for id, p := range participantsOf(t, cluster) {
			stated := false
			switch cluster {
			case "ru-017":
				// The line after the name gives the region.
				name := strings.Split(p.Name, " (")[0]
				if i := strings.Index(kemz, name); i >= 0 {
					stated = strings.HasPrefix(strings.TrimSpace(kemz[i+len(name):]), strings.Split(p.Region, " ")[0])
				}
				stated = stated || p.Kind == gm.KindSOPC // «650000, Кемеровская область - Кузбасс» (001:1255)
			case "ru-031":
				stated = p.Region == "Республика Ингушетия"
			}
			if !stated && (!p.Illustrative || !strings.Contains(p.Source, "region not stated") && !strings.Contains(p.Source, "placeholder")) {
				t.Errorf("%s/%s: region %q is not in the Atlas, but the participant is not marked illustrative with the region assumed: %s", cluster, id, p.Region, p.Source)
			}
		}
	}
}
