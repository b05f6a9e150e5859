package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// One table: a total (cell 0) over five parts. The rule hides the parts
// of fewer than 3 participants and, when one part alone is hidden, the
// smallest other part; when the hidden parts sum fewer than 3
// participants, more parts until they reach 3.
func TestSuppressCells(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     []int
		value []float64
		want  []bool
	}{
		{"nothing to hide", []int{15, 3, 3, 4, 5, 0}, []float64{150, 30, 31, 40, 49, 0}, []bool{false, false, false, false, false, false}},
		{"one small part: the smallest other goes too", []int{14, 2, 3, 4, 5, 0}, []float64{140, 20, 30, 40, 50, 0}, []bool{false, true, true, false, false, false}},
		{"tie on participants: the smaller value", []int{14, 2, 4, 4, 4, 0}, []float64{140, 20, 41, 39, 40, 0}, []bool{false, true, false, true, false, false}},
		{"two parts of one participant: a third", []int{11, 1, 1, 4, 5, 0}, []float64{110, 10, 10, 40, 50, 0}, []bool{false, true, true, true, false, false}},
		{"two small parts of 2 + 2: enough", []int{13, 2, 2, 4, 5, 0}, []float64{130, 20, 20, 40, 50, 0}, []bool{false, true, true, false, false, false}},
		{"the total of 2: everything", []int{2, 1, 1, 0, 0, 0}, []float64{20, 10, 10, 0, 0, 0}, []bool{true, true, true, false, false, false}},
		{"no data is no secret", []int{9, 0, 3, 3, 3, 0}, []float64{90, 0, 30, 30, 30, 0}, []bool{false, false, false, false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SuppressCells(tc.n, tc.value, nil, [][]int{{1, 2, 3, 4, 5}}, []int{0}, 3)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
	// A forced cell (its item is hidden) counts as hidden.
	got := SuppressCells([]int{12, 3, 4, 5}, []float64{120, 30, 40, 50}, []bool{false, false, false, true}, [][]int{{1, 2, 3}}, []int{0}, 3)
	if d := cmp.Diff([]bool{false, true, false, true}, got); d != "" {
		t.Errorf("forced (-want +got)\n%s", d)
	}
}

func TestNicheDemandPublished(t *testing.T) {
	for _, tc := range []struct {
		buyers []int
		want   bool
	}{
		{[]int{3, 4}, true},     // both published in their clusters
		{[]int{1, 1}, false},    // 2 importers
		{[]int{1, 1, 1}, false}, // 3, but one cluster's members would learn the other two's
		{[]int{2, 2, 2}, true},  // knowing any one cluster leaves 4 importers
		{[]int{5, 1}, false},    // the sum minus the published 5 is one company
		{[]int{5, 2, 2}, false}, // minus 5, minus one 2: the other 2
		{[]int{5, 2, 2, 2}, true},
		{[]int{}, false},
	} {
		if got := NicheDemandPublished(tc.buyers, 3); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.buyers, got, tc.want)
		}
	}
}
