package netio

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis/kernel"
)

// loadBoth loads dir sequentially and in byte ranges on cores cores; it
// tells whether the ranges were used.
func loadBoth(t *testing.T, dir string, cores int, opt LoadOptions) (seq, par *kernel.Snapshot, seqErr, parErr error, ranged bool) {
	t.Helper()
	defer func(m int64, p int) { parallelMin = m; runtime.GOMAXPROCS(p) }(parallelMin, runtime.GOMAXPROCS(cores))
	parallelMin = 1 << 62
	seq, seqErr = LoadPath(dir, opt)
	parallelMin = 0
	before := parallelReads.Load()
	par, parErr = LoadPath(dir, opt)
	return seq, par, seqErr, parErr, parallelReads.Load() > before
}

func sameSnapshot(t *testing.T, a, b *kernel.Snapshot) {
	t.Helper()
	if !reflect.DeepEqual(a.IDs, b.IDs) || a.Weighted != b.Weighted || a.Year != b.Year || a.Rows != b.Rows || a.RowsUsed != b.RowsUsed {
		t.Fatalf("snapshots differ: %d/%d ids, weighted %v/%v, year %d/%d, rows %d/%d, used %d/%d",
			len(a.IDs), len(b.IDs), a.Weighted, b.Weighted, a.Year, b.Year, a.Rows, b.Rows, a.RowsUsed, b.RowsUsed)
	}
	if !reflect.DeepEqual(a.Graph.CSR(), b.Graph.CSR()) {
		t.Fatal("graphs differ")
	}
}

// folder is a generated dataset folder in a dialect: links with parallel
// rows, blank lines, years, values written as spreadsheets write them.
type folder struct {
	n, m              int
	crlf, bom, semi   bool
	years, values     bool
	blank             bool // empty and whitespace-only lines
	longIDs           bool // ids longer than the table's inline key
	quoteAt, rawAt    int  // a quoted row / a replaced row at this link (0: none)
	raw               string
	participantsExtra string
}

func (f folder) files(seed uint64) map[string]string {
	rnd := rand.New(rand.NewPCG(seed, 1))
	nl, d := "\n", ","
	if f.crlf {
		nl = "\r\n"
	}
	if f.semi {
		d = ";"
	}
	id := func(i int) string {
		if f.longIDs && i%3 == 0 {
			return fmt.Sprintf("participant-with-a-long-id-%06d", i)
		}
		return fmt.Sprintf("f%d", i)
	}
	var p, l strings.Builder
	if f.bom {
		p.WriteString("\ufeff")
		l.WriteString("\ufeff")
	}
	p.WriteString("id" + d + "name" + nl)
	for i := 0; i < f.n; i++ {
		p.WriteString(id(i) + d + "Firm " + fmt.Sprint(i) + nl)
	}
	p.WriteString(f.participantsExtra)
	l.WriteString("supplier_id" + d + "buyer_id" + d + "year" + d + "value_rub" + nl)
	for k := 1; k <= f.m; k++ {
		if k == f.rawAt {
			l.WriteString(f.raw + nl)
			continue
		}
		u := rnd.IntN(f.n)
		v := (u + 1 + rnd.IntN(f.n-1)) % f.n
		if k%7 == 0 {
			u, v = 0, 1 // many parallel rows
		}
		year, value := "", ""
		if f.years && k%5 != 0 {
			year = fmt.Sprint(2021 + rnd.IntN(4))
		}
		if f.values && k%11 != 0 {
			value = fmt.Sprintf("%d.%02d", rnd.IntN(1e7), rnd.IntN(100))
			if f.semi {
				value = fmt.Sprintf("%d %03d,%d", 1+rnd.IntN(999), rnd.IntN(1000), rnd.IntN(10))
			}
		}
		su := id(u)
		if k == f.quoteAt {
			su = `"` + su + `"`
		}
		l.WriteString(su + d + id(v) + d + year + d + value + nl)
		if f.blank && k%97 == 0 {
			l.WriteString(nl + "  " + nl)
		}
	}
	return map[string]string{"participants.csv": p.String(), "links.csv": l.String()}
}

// Reading links.csv in byte ranges gives the very snapshot of the
// sequential read (node order, rows, years, weights summed bit for bit in
// input order), in every dialect and on any number of cores.
func TestParallelLoadMatchesSequential(t *testing.T) {
	cases := []folder{
		{n: 300, m: 5000, values: true},
		{n: 1000, m: 20000, years: true, values: true, crlf: true, bom: true},
		{n: 500, m: 8000, semi: true, values: true, years: true, blank: true, longIDs: true},
		{n: 50, m: 3000, years: true},  // unweighted
		{n: 200, m: 4000, blank: true}, // rows of whitespace count as rows
	}
	idsBefore := parallelIDReads.Load()
	for i, c := range cases {
		for _, cores := range []int{2, 3, 7} {
			for _, year := range []int{0, 2022, 1800, 1<<16 + 2024} {
				dir := writeFiles(t, c.files(uint64(i)))
				seq, par, e1, e2, ranged := loadBoth(t, dir, cores, LoadOptions{Year: year})
				if e1 != nil || e2 != nil {
					t.Fatalf("case %d: %v / %v", i, e1, e2)
				}
				if !ranged {
					t.Fatalf("case %d: links.csv was not read in ranges", i)
				}
				if idsRanged := parallelIDReads.Load(); idsRanged == idsBefore {
					t.Fatalf("case %d: participants.csv was not read in ranges", i)
				} else {
					idsBefore = idsRanged
				}
				sameSnapshot(t, seq, par)
				if year > 2100 {
					// No link has that year: only those without one count,
					// as for 1800.
					ref, err := LoadPath(dir, LoadOptions{Year: 1800})
					if err != nil || par.RowsUsed != ref.RowsUsed || !reflect.DeepEqual(par.Graph.CSR(), ref.Graph.CSR()) {
						t.Fatalf("case %d, year %d: not the graph of the links without a year (%v)", i, year, err)
					}
				}
			}
		}
	}
}

// A quote in participants.csv (a name with a comma, say) sends it to the
// sequential reader; links.csv is still read in ranges.
func TestParallelLoadQuotedParticipants(t *testing.T) {
	c := folder{n: 400, m: 8000, values: true, participantsExtra: "\"q1\",\"Firm, \"\"Q\"\"\"\n"}
	before := parallelIDReads.Load()
	seq, par, e1, e2, ranged := loadBoth(t, writeFiles(t, c.files(5)), 2, LoadOptions{})
	if e1 != nil || e2 != nil || !ranged || parallelIDReads.Load() != before {
		t.Fatalf("%v / %v, links ranged %v, participants ranged %v", e1, e2, ranged, parallelIDReads.Load() != before)
	}
	sameSnapshot(t, seq, par)
	if _, ok := par.Node("q1"); !ok {
		t.Fatal("q1 missing")
	}
}

// A quote anywhere in links.csv (a line break inside a quoted field could
// sit on a cut) sends the file back to the sequential reader.
func TestParallelLoadFallsBackOnQuotes(t *testing.T) {
	for _, at := range []int{2, 2500, 4999} {
		c := folder{n: 300, m: 5000, values: true, crlf: true, quoteAt: at}
		dir := writeFiles(t, c.files(1))
		seq, par, e1, e2, ranged := loadBoth(t, dir, 2, LoadOptions{})
		if e1 != nil || e2 != nil {
			t.Fatalf("%v / %v", e1, e2)
		}
		if ranged {
			t.Fatalf("quote at link %d: read in ranges", at)
		}
		sameSnapshot(t, seq, par)
	}
	// A quoted field with a line break inside, in the second half.
	c := folder{n: 300, m: 5000, rawAt: 4000, raw: "f1,\"f\n2\",2024,1"}
	seq, par, e1, e2, ranged := loadBoth(t, writeFiles(t, c.files(2)), 2, LoadOptions{})
	if ranged || seq != nil || par != nil || e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Fatalf("ranged %v, errors %v / %v", ranged, e1, e2)
	}
}

// Problems found in any range are reported with their exact rows, in row
// order, up to MaxProblems, as the sequential read reports them; so are
// the problems of participants.csv before them and a line too long.
func TestParallelLoadProblems(t *testing.T) {
	cases := []struct {
		f   folder
		max int
	}{
		{folder{n: 300, m: 6000, blank: true, rawAt: 5800, raw: "f1,nobody,2024,1"}, 0},
		{folder{n: 300, m: 6000, crlf: true, rawAt: 5999, raw: "f3,f3,,"}, 0},
		{folder{n: 300, m: 6000, rawAt: 4000, raw: "f1,f2,2024,12abc"}, 0},
		{folder{n: 300, m: 6000, rawAt: 3500, raw: "f1"}, 0},
		{folder{n: 300, m: 6000, rawAt: 3001, raw: "f1,f2,1850,"}, 0},
		{folder{n: 300, m: 6000, participantsExtra: "f5,dup\n"}, 0},
		{folder{n: 300, m: 6000, participantsExtra: "f5,dup\n,none\n", rawAt: 5000, raw: "x,f2,,"}, 0},
		{folder{n: 300, m: 6000, participantsExtra: "f5,dup\n,none\n", rawAt: 5000, raw: "x,f2,,"}, 2},
		{folder{n: 300, m: 6000, participantsExtra: "f5,dup\n,none\n", rawAt: 5000, raw: "x,f2,,"}, 3},
		{folder{n: 300, m: 300000, rawAt: 290000, raw: "f1," + strings.Repeat("x", 5<<19)}, 0},
	}
	for i, c := range cases {
		seq, par, e1, e2, ranged := loadBoth(t, writeFiles(t, c.f.files(uint64(i))), 2, LoadOptions{MaxProblems: c.max})
		if !ranged || seq != nil || par != nil || e1 == nil || e2 == nil {
			t.Fatalf("case %d: ranged %v, errors %v / %v", i, ranged, e1, e2)
		}
		if e1.Error() != e2.Error() {
			t.Fatalf("case %d: sequential %.300q, ranges %.300q", i, e1, e2)
		}
		if i == len(cases)-1 && !strings.Contains(e1.Error(), "line too long") {
			t.Fatalf("case %d: %.300q", i, e1)
		}
		var l1, l2 *LoadError
		if errors.As(e1, &l1) != errors.As(e2, &l2) || l1 != nil && !reflect.DeepEqual(l1.Problems, l2.Problems) {
			t.Fatalf("case %d: problems differ: %v / %v", i, e1, e2)
		}
	}
	// A malformed participants.csv stops the load while the ranges read
	// ahead: the same error, nothing left running.
	bad := folder{n: 300, m: 6000, participantsExtra: "f\"x,bad\n"}
	_, _, e1, e2, _ := loadBoth(t, writeFiles(t, bad.files(1)), 2, LoadOptions{})
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() || !strings.Contains(e1.Error(), "participants.csv") {
		t.Fatalf("malformed participants.csv: %v / %v", e1, e2)
	}
	// Many problems in every range: the first MaxProblems in row order.
	var b strings.Builder
	b.WriteString("supplier_id,buyer_id\n")
	for k := 0; k < 20000; k++ {
		if k%1500 == 0 {
			fmt.Fprintf(&b, "f1,ghost%d\n", k)
		} else {
			fmt.Fprintf(&b, "f1,f%d\n", 2+k%50)
		}
	}
	dir := writeFiles(t, map[string]string{"participants.csv": folder{n: 60}.files(0)["participants.csv"], "links.csv": b.String()})
	for _, max := range []int{1, 5, 13, 14, 100} {
		_, _, e1, e2, ranged := loadBoth(t, dir, 4, LoadOptions{MaxProblems: max})
		var l1, l2 *LoadError
		if !ranged || !errors.As(e1, &l1) || !errors.As(e2, &l2) || !reflect.DeepEqual(l1.Problems, l2.Problems) {
			t.Fatalf("max %d: ranged %v, %v / %v", max, ranged, e1, e2)
		}
	}
}

// Progress goes forward only and ends at the size of both files, in
// ranges as sequentially.
func TestParallelLoadProgress(t *testing.T) {
	dir := writeFiles(t, folder{n: 2000, m: 400000, values: true}.files(3))
	defer func(m int64) { parallelMin = m }(parallelMin)
	for _, min := range []int64{1 << 62, 0} {
		parallelMin = min
		var last, total int64
		calls := 0
		_, err := LoadPath(dir, LoadOptions{Progress: func(d, tot int64) {
			if d < last {
				t.Errorf("progress went back from %d to %d", last, d)
			}
			last, total = d, tot
			calls++
		}})
		if err != nil {
			t.Fatal(err)
		}
		if calls < 3 || last != total || total == 0 {
			t.Fatalf("parallelMin %d: %d calls, last %d of %d", min, calls, last, total)
		}
	}
}
