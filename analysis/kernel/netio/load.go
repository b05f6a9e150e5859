// Package netio reads and writes the national-scale networks of package
// kernel: streaming CSV loading (a dataset folder or an edge list) and a
// binary snapshot file that is memory-mapped on reload. The algorithms stay
// in kernel; this package only moves bytes in and out.
package netio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coopchain/coopchain/analysis/kernel"
)

// LoadOptions tune LoadPath and Load.
type LoadOptions struct {
	// Year keeps the links of one year; 0 keeps the latest year found.
	// Links without a year count in every year (as in the analysis).
	Year int
	// Progress, when set, is told the bytes read so far and the total
	// (0 when unknown), every few megabytes and at the end (from the
	// reading goroutine: never twice at once).
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

// LoadPath streams a network from path into a kernel.Snapshot: a dataset
// folder (participants.csv, whose id column fixes the nodes and their
// order, and links.csv) or one CSV edge list (supplier_id, buyer_id and
// optionally value_rub and year; nodes in order of first appearance). Rows
// are read one at a time straight into the id table and the edge buckets
// (kernel.EdgeBuckets: chunks by buyer, so growing never copies them); the
// CSR arrays are then built once and the buckets dropped — the rows are
// never held twice. When participants.csv fixes the nodes, links.csv is
// read in byte ranges on every core (see readLinksParallel); the result
// is the same as reading it in one stream.
//
// Links: supplier→buyer, value_rub summed over parallel rows (different
// products or duplicates), every edge weight 1 when no row has a value; a
// link to an unknown participant (folder with participants.csv) or a
// self-link is a problem; an empty value adds 0.
func LoadPath(path string, opt LoadOptions) (*kernel.Snapshot, error) {
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
		if l.readParticipantsParallel(parts) {
			parallelIDReads.Add(1)
		} else {
			// The table sized once for the sequential read, not grown.
			l.ids.reserve(countLines(parts))
			var le *LoadError
			if err := l.readFile(parts, "participants.csv", true); err != nil && !errors.As(err, &le) {
				return nil, err
			}
		}
		l.fixed = true
		if ok, err := l.readLinksParallel(links, "links.csv"); ok {
			if err != nil {
				return nil, err
			}
			return l.finish()
		}
	}
	if err := l.readFile(links, "links.csv", false); err != nil {
		return nil, err
	}
	return l.finish()
}

// Load streams a CSV edge list (see LoadPath) from r.
func Load(r io.Reader, name string, opt LoadOptions) (*kernel.Snapshot, error) {
	l := newLoader(opt)
	if err := l.read(r, name, false); err != nil {
		return nil, err
	}
	return l.finish()
}

// countLines counts the line breaks of a file (0 when it cannot be read):
// the id table is sized once for participants.csv instead of growing.
func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			return n
		}
	}
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

type loader struct {
	opt      LoadOptions
	ids      *idTable
	fixed    bool // the nodes are those of participants.csv
	sink     edgeSink
	problems []Problem
	total    int64 // bytes of all input files
	before   int64 // bytes of the files already read
	meter    progressMeter
}

// edgeSink holds the links read so far: the edges in buckets by buyer
// (see kernel.EdgeBuckets), tagged with their year.
type edgeSink struct {
	edges    kernel.EdgeBuckets
	rows     int
	years    [2101 - 1900]int // links per year
	weighted bool
	maxYear  int
}

func (s *edgeSink) add(u, v int32, x float64, y int) {
	s.edges.Add(u, v, x, uint16(y))
	s.rows++
	if y != 0 {
		s.years[y-1900]++
		s.maxYear = max(s.maxYear, y)
	}
}

// merge moves the links of o after those of s.
func (s *edgeSink) merge(o *edgeSink) {
	s.edges.Append(&o.edges)
	s.rows += o.rows
	for i, c := range o.years {
		s.years[i] += c
	}
	s.weighted = s.weighted || o.weighted
	s.maxYear = max(s.maxYear, o.maxYear)
}

// progressMeter passes progress on, never twice at once and never
// backwards (a parallel read that falls back to a sequential one does not
// report the bytes again).
type progressMeter struct {
	mu       sync.Mutex
	reported int64
}

func (l *loader) report(done int64) {
	if l.opt.Progress == nil {
		return
	}
	l.meter.mu.Lock()
	defer l.meter.mu.Unlock()
	if done >= l.meter.reported {
		l.meter.reported = done
		l.opt.Progress(done, l.total)
	}
}

func newLoader(opt LoadOptions) *loader {
	if opt.MaxProblems <= 0 {
		opt.MaxProblems = 20
	}
	return &loader{opt: opt, ids: newIDTable(1 << 12)}
}

// problem records a problem and tells whether reading must stop.
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

// fileReader is one CSV file being read: its rows and the progress.
type fileReader struct {
	*csvReader
	name       string
	l          *loader
	lastReport int64
}

// row returns the next row; done at the end of the file.
func (f *fileReader) row() (rec [][]byte, done bool, err error) {
	rec, err = f.next()
	if err == io.EOF {
		return nil, true, nil
	}
	if err != nil {
		var ce *csvError
		if errors.As(err, &ce) {
			return nil, true, fmt.Errorf("%s %w", f.name, err)
		}
		return nil, true, fmt.Errorf("%s line %d: %w", f.name, f.line, err)
	}
	if f.consumed-f.lastReport > 4<<20 {
		f.lastReport = f.consumed
		f.progress()
	}
	return rec, false, nil
}

func (f *fileReader) progress() { f.l.report(f.l.before + f.consumed) }

// read reads one file: participants.csv or a list of links.
func (l *loader) read(r io.Reader, name string, participants bool) error {
	f := &fileReader{csvReader: newCSVReader(r), name: name, l: l}
	hdr, err := f.header()
	if err == io.EOF {
		l.problem(name, 0, "the file is empty or has no header row")
		return l.err()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer func() { l.before += f.consumed }()
	if participants {
		err = l.readParticipants(f, hdr)
	} else {
		err = l.readLinks(f, hdr)
	}
	if err != nil {
		return err
	}
	f.progress()
	return l.err()
}

// readParticipants numbers the ids of participants.csv in file order, a
// batch of rows at a time (their table slots prefetched together, see
// rowBatch).
func (l *loader) readParticipants(f *fileReader, hdr []string) error {
	idc := column(hdr, "id")
	if idc < 0 {
		l.problem(f.name, 0, "no id column")
		return nil
	}
	b := &idBatch{}
	for row := 1; ; row++ {
		rec, done, err := f.row()
		if done {
			if l.addIDs(b, f.name) {
				return nil
			}
			return err
		}
		if len(rec) == 1 && len(trimSpace(rec[0])) == 0 {
			continue // a blank line
		}
		var id []byte
		if idc < len(rec) {
			id = trimSpace(rec[idc])
		}
		a := len(b.arena)
		b.arena = append(b.arena, id...)
		r := idRow{row: row, a: a, b: len(b.arena)}
		if len(id) > 0 {
			r.k = l.ids.key(id)
		}
		b.rows = append(b.rows, r)
		if len(b.rows) == batchRows && l.addIDs(b, f.name) {
			return nil
		}
	}
}

// idBatch holds rows of participants.csv: their ids and hashes.
type idBatch struct {
	rows  []idRow
	arena []byte
}

type idRow struct {
	row, a, b int
	k         idKey
}

// addIDs numbers a batch's ids in row order; it tells whether reading
// must stop (too many problems).
func (l *loader) addIDs(b *idBatch, name string) bool {
	for _, r := range b.rows {
		l.ids.touch(r.k.h)
	}
	defer func() { b.rows, b.arena = b.rows[:0], b.arena[:0] }()
	for i := range b.rows {
		r := &b.rows[i]
		id := b.arena[r.a:r.b]
		if len(id) == 0 {
			if l.problem(name, r.row, "the row has no id") {
				return true
			}
			continue
		}
		node, added := l.ids.add(&r.k, id)
		switch {
		case node < 0:
			l.problem(name, r.row, tooManyIDs)
			return true
		case !added && l.problem(name, r.row, "duplicate participant id %q", id):
			return true
		}
	}
	return false
}

// linkColumns are the positions of a links file's columns (-1: absent).
type linkColumns struct {
	supplier, buyer, value, year int
	need                         int // the largest required position
	decimalComma                 bool
	header                       int // number of header columns
}

// columns finds the columns of a list of links (ok=false: supplier or
// buyer missing).
func columns(hdr []string, delim byte) (linkColumns, bool) {
	cols := linkColumns{
		supplier: column(hdr, "supplier_id", "source", "from"), buyer: column(hdr, "buyer_id", "target", "to"),
		value: column(hdr, "value_rub", "value", "weight"), year: column(hdr, "year"),
		decimalComma: delim != ',', header: len(hdr),
	}
	cols.need = max(cols.supplier, cols.buyer)
	return cols, cols.supplier >= 0 && cols.buyer >= 0
}

// linkReader turns rows of links into edges: the id lookups, the checks
// of a row, its problems (up to max, counting those before).
type linkReader struct {
	ids      *idTable
	fixed    bool // the nodes are those of participants.csv: the table is only read
	sink     edgeSink
	problems []Problem
	max      int
}

func (l *loader) linkReader() *linkReader {
	return &linkReader{ids: l.ids, fixed: l.fixed, problems: l.problems, max: l.opt.MaxProblems}
}

// problem records a problem and tells whether reading must stop.
func (r *linkReader) problem(file string, row int, msg string) bool {
	r.problems = append(r.problems, Problem{file, row, msg})
	return len(r.problems) >= r.max
}

// readLinks reads the rows of a list of links into the edge sink. Two
// goroutines share the work: one splits the rows into fields and hashes
// the ids (produce), this one looks the ids up and stores the links, in
// row order, a batch at a time (see rowBatch).
func (l *loader) readLinks(f *fileReader, hdr []string) error {
	cols, ok := columns(hdr, f.delim)
	if !ok {
		l.problem(f.name, 0, "needs the columns supplier_id and buyer_id (found: %s)", strings.Join(hdr, ", "))
		return nil
	}
	const batches = 4
	full, free, quit := make(chan *rowBatch, batches), make(chan *rowBatch, batches), make(chan struct{})
	for i := 0; i < batches; i++ {
		free <- &rowBatch{}
	}
	var readErr error
	go func() {
		defer close(full)
		readErr = l.produce(f, &cols, full, free, quit)
	}()
	lr := l.linkReader()
	stop := false
	for b := range full {
		if !stop && lr.links(b, f.name, &cols) {
			stop = true
			close(quit)
		}
		b.rows, b.arena = b.rows[:0], b.arena[:0]
		free <- b
	}
	l.problems = lr.problems
	l.sink.merge(&lr.sink)
	if stop {
		return nil
	}
	return readErr
}

// produce reads rows into batches until the end of the file, an error,
// or quit.
func (l *loader) produce(f *fileReader, cols *linkColumns, full, free chan *rowBatch, quit chan struct{}) error {
	row := 0
	for {
		var b *rowBatch
		select {
		case b = <-free:
		case <-quit:
			return nil
		}
		for len(b.rows) < batchRows {
			rec, done, err := f.row()
			if err != nil {
				return err
			}
			if done {
				if len(b.rows) > 0 {
					full <- b
				}
				return nil
			}
			row++
			b.add(row, rec, cols, l.ids)
		}
		select {
		case full <- b:
		case <-quit:
			return nil
		}
	}
}

// rowBatch holds rows of links copied out of the reader's buffer, so that
// the id lookups of many rows are issued together: the table is far
// larger than the cache, and a lookup waits on memory, but independent
// lookups wait in parallel.
type rowBatch struct {
	rows  []batchRow
	arena []byte
}

// batchRows is the rows of a batch whose slots are prefetched just before
// they are looked up; rangeBatchRows those of a batch prefetched while
// the batch before it is stored (see readRange), so that its slots are
// still cached when it is stored in turn.
const batchRows, rangeBatchRows = 512, 64

// batchRow is one row: the keys of its ids (a long id's bytes kept in
// the batch's arena: su, bu).
type batchRow struct {
	row, fields  int
	blank, short bool // a blank line; too few fields
	ksu, kbu     idKey
	su, bu       span
	// The value and year, read by the producer; their problems are
	// reported by the consumer in row order, after those of the ids.
	x        float64
	hasValue bool
	y        int
	msg      string
}

type span struct{ a, b int32 }

func (b *rowBatch) keep(f []byte) span {
	a := len(b.arena)
	b.arena = append(b.arena, f...)
	return span{int32(a), int32(len(b.arena))}
}

func (b *rowBatch) at(s span) []byte { return b.arena[s.a:s.b] }

// idKey returns the key of id f (empty: code 0) and, for a long id, where
// its bytes are kept (t's key function only reads its seed: safe beside
// lookups in another goroutine).
func (b *rowBatch) idKey(f []byte, t *idTable) (idKey, span) {
	if len(f) == 0 {
		return idKey{}, span{}
	}
	k := t.key(f)
	if k.code == longID<<28 {
		return k, b.keep(f)
	}
	return k, span{}
}

// text returns the bytes of an id of the batch (its key k, its span s).
func (b *rowBatch) text(k *idKey, s span) []byte {
	if k.code == longID<<28 {
		return b.at(s)
	}
	if k.code == 0 {
		return nil
	}
	return idBytes(nil, *k)
}

// add reads a row: the keys of its ids, its value and year.
func (b *rowBatch) add(row int, rec [][]byte, c *linkColumns, t *idTable) {
	r := batchRow{row: row, fields: len(rec)}
	if c.need >= len(rec) {
		r.short = true
		r.blank = len(rec) == 1 && len(trimSpace(rec[0])) == 0
		b.rows = append(b.rows, r)
		return
	}
	r.ksu, r.su = b.idKey(trimSpace(rec[c.supplier]), t)
	r.kbu, r.bu = b.idKey(trimSpace(rec[c.buyer]), t)
	if c.value >= 0 && c.value < len(rec) {
		r.x, r.hasValue, r.msg = value(rec[c.value], c.decimalComma)
	}
	if c.year >= 0 && c.year < len(rec) && r.msg == "" {
		if s := trimSpace(rec[c.year]); len(s) > 0 {
			yy, ok := parseYear(s)
			if !ok || yy < 1900 || yy > 2100 {
				r.msg = fmt.Sprintf("year %q: must be a year between 1900 and 2100", s)
			}
			r.y = yy
		}
	}
	b.rows = append(b.rows, r)
}

// links adds the batch's links in row order; it tells
// whether reading must stop (too many problems).
func (l *linkReader) links(b *rowBatch, name string, c *linkColumns) bool {
	l.touch(b)
	return l.store(b, name, c)
}

// touch starts loading the table slots of the batch's ids, so that their
// cache misses overlap.
func (l *linkReader) touch(b *rowBatch) {
	for i := range b.rows {
		if r := &b.rows[i]; !r.short {
			l.ids.touch(r.ksu.h)
			l.ids.touch(r.kbu.h)
		}
	}
}

// store adds the batch's links in row order (see links).
func (l *linkReader) store(b *rowBatch, name string, c *linkColumns) bool {
	for i := range b.rows {
		if msg := l.link(b, &b.rows[i], c); msg != "" && l.problem(name, b.rows[i].row, msg) {
			return true
		}
	}
	return false
}

// link adds the link of one row; it returns what is wrong with the row
// ("" when nothing, or for a blank line).
func (l *linkReader) link(b *rowBatch, r *batchRow, c *linkColumns) string {
	if r.short {
		if r.blank {
			return ""
		}
		return fmt.Sprintf("the row has %d fields, the header %d", r.fields, c.header)
	}
	u, v := l.node(&r.ksu, b, r.su), l.node(&r.kbu, b, r.bu)
	switch {
	case u == tooMany || v == tooMany:
		return tooManyIDs
	case u < 0 || v < 0:
		bad := b.text(&r.ksu, r.su)
		if u >= 0 {
			bad = b.text(&r.kbu, r.bu)
		}
		if len(bad) == 0 {
			return "empty supplier_id or buyer_id"
		}
		return fmt.Sprintf("unknown participant %q: add it to participants.csv", bad)
	case u == v:
		return fmt.Sprintf("self-link: supplier and buyer are the same participant (%s)", b.text(&r.ksu, r.su))
	}
	if r.msg != "" {
		return r.msg
	}
	if r.hasValue {
		l.sink.weighted = true
	}
	l.sink.add(u, v, r.x, r.y)
	return ""
}

// value reads a row's value_rub: ok=false when empty, msg when wrong.
func value(field []byte, decimalComma bool) (x float64, ok bool, msg string) {
	f, ok, err := parseValue(field, decimalComma)
	switch {
	case err != nil:
		return 0, false, fmt.Sprintf("value_rub %q: not a number", field)
	case !ok:
		return 0, false, ""
	case f < 0:
		return 0, false, fmt.Sprintf("value_rub %q: negative", field)
	}
	return f, true, ""
}

// tooMany is the node of an id past maxIDs.
const tooMany = -2

// node finds a participant (key k; a long id's bytes in b at s), or (for
// a bare edge list) adds it; -1 when unknown or empty, tooMany when the
// table is full.
func (l *linkReader) node(k *idKey, b *rowBatch, s span) int32 {
	switch {
	case k.code == 0:
		return -1
	case l.fixed:
		return l.ids.lookup(k, b.at(s))
	}
	n, _ := l.ids.add(k, b.at(s))
	if n < 0 {
		return tooMany
	}
	return n
}

func (l *loader) err() error {
	if len(l.problems) > 0 {
		return &LoadError{Problems: l.problems}
	}
	return nil
}

// finish builds the snapshot and drops the edge arrays.
func (l *loader) finish() (*kernel.Snapshot, error) {
	if err := l.err(); err != nil {
		return nil, err
	}
	year := l.opt.Year
	if year == 0 {
		year = l.sink.maxYear
	}
	rows, kept := l.sink.rows, l.sink.rows
	if year != 0 {
		// Rows of other years are left out (rows without a year count in
		// every year).
		for i, c := range l.sink.years {
			if i+1900 != year {
				kept -= c
			}
		}
	}
	// The table's slots are dropped before the build (which reuses their
	// memory) and the ids made strings after it: a million strings are a
	// million pointers for every collection during the build to follow.
	t := l.ids
	l.ids, t.slots = nil, nil
	keep := uint16(year)
	if year < 1900 || year > 2100 {
		keep = 1 // no link has that year: only those without one count
	}
	if year == 0 {
		keep = 0
	}
	g := kernel.BuildBuckets(len(t.ends), &l.sink.edges, keep, !l.sink.weighted)
	return &kernel.Snapshot{Graph: g, IDs: t.strings(), Weighted: l.sink.weighted, Year: year, Rows: rows, RowsUsed: kept, Built: time.Now()}, nil
}
