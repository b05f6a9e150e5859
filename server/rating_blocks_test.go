package server_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/internal/testenv"
)

// Issue #17, point 7: the rating's columns carry the Atlas's block names
// and unit: «БЛОК S1 КОЛИЧЕСТВЕННЫЕ ПОКАЗАТЕЛИ» … «БЛОК S5 ПОВЫШЕНИЕ
// КОМПЕТЕНЦИЙ» (001:968-1045), values printed in % (001:1055-1057).
func TestRatingBlockNames001L968(t *testing.T) {
	b, err := os.ReadFile(testenv.Shared(t, "../../shared/seeds/001_*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	atlas := strings.Join(lines[967:1057], "\n") // lines 968–1057
	s, _ := newRefServer(t, registrySeed())
	body := call(s, http.MethodGet, "/", "", "").Body.String()
	for _, block := range []struct{ code, name string }{{"S1", "КОЛИЧЕСТВЕННЫЕ ПОКАЗАТЕЛИ"}, {"S2", "МЕРЫ ПОДДЕРЖКИ"}, {"S3", "ИНВЕСТИЦИОННЫЕ НИШИ"},
		{"S4", "ИНФРАСТРУКТУРА ПРОМЫШЛЕННОГО КЛАСТЕРА"}, {"S5", "ПОВЫШЕНИЕ КОМПЕТЕНЦИЙ"}} {
		if i := strings.Index(atlas, "БЛОК "+block.code); i < 0 || !strings.Contains(atlas[i:min(len(atlas), i+120)], block.name) {
			t.Errorf("001:968-1045 does not head block %s %q", block.code, block.name)
		}
		want := "Блок " + block.code + ": " + strings.ToLower(block.name) + ", %"
		if !strings.Contains(body, want) {
			t.Errorf("the registry page lacks %q", want)
		}
	}
	if !strings.Contains(atlas, "37,8%") || !strings.Contains(body, "Итоговый балл, %") {
		t.Error("unit")
	}
}
