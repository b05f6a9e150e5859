package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LoadOptions tune LoadPath and Load.
type LoadOptions struct {
	// Year keeps the links of one year; 0 keeps the latest year found.
	// Links without a year count in every year (as in the analysis).
	Year int
	// Progress, when set, is told the bytes read so far and the total
	// (0 when unknown), every few megabytes and at the end.
	Progress func(done, total int64)
	// MaxProblems is how many problems are collected before reading stops
	// (default 20). Any problem fails the load: nothing half-read is used.
	MaxProblems int
}

// Problem is one thing wrong in the input.
type Problem struct {
	File string
	Row  int // data row, 1 = the first row after the header
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s row %d: %s", p.File, p.Row, p.Msg) }

// LoadError lists the problems that stopped a load.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) found; nothing was loaded", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// LoadPath streams a network from path into a Snapshot: a dataset folder
// (participants.csv, whose id column fixes the nodes and their order, and
// links.csv) or one CSV edge list (supplier_id, buyer_id and optionally
// value_rub and year; nodes in order of first appearance). Rows are read
// one at a time straight into the id map and int32/float64 edge arrays (in
// blocks, so growing never copies them); the CSR arrays are then built
// once and the edge arrays dropped — the rows are never held twice.
//
// Links: supplier→buyer, value_rub summed over parallel rows (different
// products or duplicates), every edge weight 1 when no row has a value; a
// link to an unknown participant (folder with participants.csv) or a
// self-link is a problem; an empty value adds 0.
func LoadPath(path string, opt LoadOptions) (*Snapshot, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	l := newLoader(opt)
	if !st.IsDir() {
		l.total = st.Size()
		if err := l.readFile(path, filepath.Base(path), false); err != nil {
			return nil, err
		}
		return l.finish()
	}
	parts, links := findCSV(path, "participants.csv"), findCSV(path, "links.csv")
	if links == "" {
		return nil, fmt.Errorf("%s: no links.csv", path)
	}
	for _, p := range []string{parts, links} {
		if p != "" {
			if s, err := os.Stat(p); err == nil {
				l.total += s.Size()
			}
		}
	}
	if parts != "" {
		// Problems of participants.csv are reported with those of links.csv.
		var le *LoadError
		if err := l.readFile(parts, "participants.csv", true); err != nil && !errors.As(err, &le) {
			return nil, err
		}
		l.fixed = true
	}
	if err := l.readFile(links, "links.csv", false); err != nil {
		return nil, err
	}
	return l.finish()
}

// Load streams a CSV edge list (see LoadPath) from r.
func Load(r io.Reader, name string, opt LoadOptions) (*Snapshot, error) {
	l := newLoader(opt)
	if err := l.read(r, name, false); err != nil {
		return nil, err
	}
	return l.finish()
}

// findCSV finds name in dir, ignoring case.
func findCSV(dir, name string) string {
	es, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range es {
		if !e.IsDir() && strings.EqualFold(e.Name(), name) {
			return filepath.Join(dir, e.Name())
		}
	}
	return ""
}

// blocks is an append-only array stored in fixed-size blocks: appending
// never copies what is stored.
type blocks[T any] struct {
	b [][]T
	n int
}

const blockSize = 1 << 16

func (a *blocks[T]) add(x T) {
	if a.n%blockSize == 0 {
		a.b = append(a.b, make([]T, 0, blockSize))
	}
	last := &a.b[len(a.b)-1]
	*last = append(*last, x)
	a.n++
}

func (a *blocks[T]) at(i int) T { return a.b[i/blockSize][i%blockSize] }

type loader struct {
	opt      LoadOptions
	ids      []string
	pos      map[string]int32
	fixed    bool // the nodes are those of participants.csv
	src, dst blocks[int32]
	val      blocks[float64]
	year     blocks[uint16] // 0: no year; kept only once a row has a year
	weighted bool
	maxYear  int
	problems []Problem
	total    int64 // bytes of all input files
	before   int64 // bytes of the files already read
}

func newLoader(opt LoadOptions) *loader {
	if opt.MaxProblems <= 0 {
		opt.MaxProblems = 20
	}
	return &loader{opt: opt, pos: map[string]int32{}}
}

func (l *loader) problem(file string, row int, format string, args ...any) bool {
	l.problems = append(l.problems, Problem{file, row, fmt.Sprintf(format, args...)})
	return len(l.problems) >= l.opt.MaxProblems
}

func (l *loader) readFile(path, name string, participants bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return l.read(f, name, participants)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func column(hdr []string, names ...string) int {
	for _, name := range names {
		for i, h := range hdr {
			if h == name {
				return i
			}
		}
	}
	return -1
}

func (l *loader) read(r io.Reader, name string, participants bool) error {
	cr := &countingReader{r: r}
	c := newCSVReader(cr)
	hdr, err := c.header()
	if err == io.EOF {
		l.problem(name, 0, "the file is empty or has no header row")
		return l.err()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	decimalComma := c.delim != ','
	progress := func() {
		if l.opt.Progress != nil {
			l.opt.Progress(l.before+cr.n, l.total)
		}
	}
	var lastReport int64
	defer func() {
		l.before += cr.n
	}()
	if participants {
		idc := column(hdr, "id")
		if idc < 0 {
			l.problem(name, 0, "no id column")
			return l.err()
		}
		for row := 1; ; row++ {
			rec, err := c.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("%s line %d: %w", name, c.line, err)
			}
			if len(rec) == 1 && len(bytes.TrimSpace(rec[0])) == 0 {
				continue // an empty line
			}
			if idc >= len(rec) {
				if l.problem(name, row, "the row has no id") {
					break
				}
				continue
			}
			id := bytes.TrimSpace(rec[idc])
			if len(id) == 0 {
				if l.problem(name, row, "the row has no id") {
					break
				}
				continue
			}
			if _, dup := l.pos[string(id)]; dup {
				if l.problem(name, row, "duplicate participant id %q", id) {
					break
				}
				continue
			}
			l.node(id)
			if cr.n-lastReport > 4<<20 {
				lastReport = cr.n
				progress()
			}
		}
		progress()
		return l.err()
	}
	sc, bc := column(hdr, "supplier_id", "source", "from"), column(hdr, "buyer_id", "target", "to")
	vc, yc := column(hdr, "value_rub", "value", "weight"), column(hdr, "year")
	if sc < 0 || bc < 0 {
		l.problem(name, 0, "needs the columns supplier_id and buyer_id (found: %s)", strings.Join(hdr, ", "))
		return l.err()
	}
	need := max(sc, bc)
	for row := 1; ; row++ {
		rec, err := c.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s line %d: %w", name, c.line, err)
		}
		if need >= len(rec) {
			if len(rec) == 1 && len(bytes.TrimSpace(rec[0])) == 0 {
				continue
			}
			if l.problem(name, row, "the row has %d fields, the header %d", len(rec), len(hdr)) {
				break
			}
			continue
		}
		su, bu := bytes.TrimSpace(rec[sc]), bytes.TrimSpace(rec[bc])
		u, okU := l.lookup(su)
		v, okV := l.lookup(bu)
		if !okU || !okV {
			bad := su
			if okU {
				bad = bu
			}
			stop := false
			if len(bad) == 0 {
				stop = l.problem(name, row, "empty supplier_id or buyer_id")
			} else {
				stop = l.problem(name, row, "unknown participant %q: add it to participants.csv", bad)
			}
			if stop {
				break
			}
			continue
		}
		if u == v {
			if l.problem(name, row, "self-link: supplier and buyer are the same participant (%s)", su) {
				break
			}
			continue
		}
		x := 0.0
		if vc >= 0 && vc < len(rec) {
			f, ok, err := parseValue(rec[vc], decimalComma)
			if err != nil {
				if l.problem(name, row, "value_rub %q: not a number", rec[vc]) {
					break
				}
				continue
			}
			if ok {
				if f < 0 {
					if l.problem(name, row, "value_rub %q: negative", rec[vc]) {
						break
					}
					continue
				}
				x, l.weighted = f, true
			}
		}
		y := 0
		if yc >= 0 && yc < len(rec) {
			if s := bytes.TrimSpace(rec[yc]); len(s) > 0 {
				yy, err := strconv.Atoi(string(s))
				if err != nil || yy < 1900 || yy > 2100 {
					if l.problem(name, row, "year %q: must be a year between 1900 and 2100", s) {
						break
					}
					continue
				}
				y = yy
			}
		}
		if y != 0 && l.year.n == 0 && l.src.n > 0 {
			for i := 0; i < l.src.n; i++ { // rows so far had no year
				l.year.add(0)
			}
		}
		l.src.add(u)
		l.dst.add(v)
		l.val.add(x)
		if y != 0 || l.year.n > 0 {
			l.year.add(uint16(y))
			l.maxYear = max(l.maxYear, y)
		}
		if cr.n-lastReport > 4<<20 {
			lastReport = cr.n
			progress()
		}
	}
	progress()
	return l.err()
}

// node adds a participant.
func (l *loader) node(id []byte) int32 {
	k := int32(len(l.ids))
	s := string(id)
	l.pos[s] = k
	l.ids = append(l.ids, s)
	return k
}

// lookup finds or (for a bare edge list) adds a participant.
func (l *loader) lookup(id []byte) (int32, bool) {
	if k, ok := l.pos[string(id)]; ok {
		return k, true
	}
	if l.fixed || len(id) == 0 {
		return -1, false
	}
	return l.node(id), true
}

func (l *loader) err() error {
	if len(l.problems) > 0 {
		return &LoadError{Problems: l.problems}
	}
	return nil
}

// finish builds the snapshot and drops the edge arrays.
func (l *loader) finish() (*Snapshot, error) {
	if err := l.err(); err != nil {
		return nil, err
	}
	year := l.opt.Year
	if year == 0 {
		year = l.maxYear
	}
	rows := l.src.n
	keep := func(i int) bool {
		if l.year.n == 0 || year == 0 {
			return true
		}
		y := int(l.year.at(i))
		return y == 0 || y == year
	}
	kept := 0
	g := buildFrom(len(l.ids), func(yield func(u, v int32, x float64)) {
		kept = 0
		for bi := range l.src.b {
			su, dv, vv := l.src.b[bi], l.dst.b[bi], l.val.b[bi]
			for j := range su {
				if !keep(bi*blockSize + j) {
					continue
				}
				kept++
				x := 1.0
				if l.weighted {
					x = vv[j]
				}
				yield(su[j], dv[j], x)
			}
		}
	}, func() {
		l.src, l.dst, l.val, l.year = blocks[int32]{}, blocks[int32]{}, blocks[float64]{}, blocks[uint16]{}
	})
	s := &Snapshot{Graph: g, IDs: l.ids, Weighted: l.weighted, Year: year, Rows: rows, RowsUsed: kept, Built: time.Now(), pos: l.pos}
	l.ids, l.pos = nil, nil
	return s, nil
}
