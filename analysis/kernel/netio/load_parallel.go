package netio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// parallelMin is the smallest list of links read in byte ranges (smaller
// files are not worth the goroutines; tests lower it).
var parallelMin int64 = 8 << 20

// parallelReads and parallelIDReads count the lists of links and the
// participants.csv files read in ranges (for the tests).
var parallelReads, parallelIDReads atomic.Int64

// rangeResult is what one byte range of a list of links gave.
type rangeResult struct {
	lr           *linkReader
	rows, lines  int   // rows read, physical lines read
	consumed     int64 // bytes read
	err          error // a read error or a line too long, at line errLine
	errLine      int
	quoted, stop bool // a quote seen (the range cannot be trusted); too many problems
}

// readLinksParallel reads a list of links whose nodes are fixed (the id
// table is only read) in byte ranges cut at line breaks, one per core.
// Without quotes every line break ends a row, so the ranges parse alone;
// a range that meets a quote stops them all and handled=false tells the
// caller to read the file sequentially instead (as for a small file or
// an unusual header). Rows and lines are numbered per range and shifted
// by those of the ranges before, problems merged in row order: errors,
// problems and the edges (their order, hence the summed weights) are
// those of the sequential read.
func (l *loader) readLinksParallel(path, name string) (handled bool, err error) {
	parts := runtime.GOMAXPROCS(0)
	f, err := os.Open(path)
	if err != nil {
		return false, nil // the sequential read reports it
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || parts < 2 || st.Size() < parallelMin {
		return false, nil
	}
	hc := newCSVReaderSize(io.NewSectionReader(f, 0, st.Size()), 64<<10)
	hdr, err := hc.header()
	if err != nil {
		return false, nil
	}
	cols, ok := columns(hdr, hc.delim)
	if !ok {
		return false, nil
	}
	cuts := splitRanges(f, hc.consumed, st.Size(), parts)
	res := make([]rangeResult, len(cuts)-1)
	var quoted atomic.Bool
	var done atomic.Int64
	done.Store(hc.consumed)
	inRanges(f, cuts, hc.delim, func(k int, c *csvReader) { res[k] = l.readRange(c, name, &cols, &quoted, &done) })
	if quoted.Load() {
		return false, nil
	}
	parallelReads.Add(1)
	return true, l.mergeRanges(res, name, hc.line, done.Load())
}

// splitRanges cuts from..size into up to parts ranges, each starting
// after a line break.
func splitRanges(f io.ReaderAt, from, size int64, parts int) []int64 {
	cuts := []int64{from}
	buf := make([]byte, 64<<10)
	for p := 1; p < parts; p++ {
		pos := max(from+(size-from)*int64(p)/int64(parts), cuts[len(cuts)-1])
		for pos < size {
			n, err := f.ReadAt(buf, pos)
			if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
				pos += int64(i) + 1
				break
			}
			pos += int64(n)
			if err != nil {
				pos = size
			}
		}
		if pos < size && pos > cuts[len(cuts)-1] {
			cuts = append(cuts, pos)
		}
	}
	return append(cuts, size)
}

// readRange reads the rows of one byte range into a linkReader of its own.
// The table slots of a batch are prefetched while the batch before it is
// stored, so that their cache misses overlap with that work.
func (l *loader) readRange(c *csvReader, name string, cols *linkColumns, quoted *atomic.Bool, done *atomic.Int64) (r rangeResult) {
	lr := &linkReader{ids: l.ids, fixed: true, max: max(1, l.opt.MaxProblems-len(l.problems))}
	r.lr = lr
	b, prev := &rowBatch{}, &rowBatch{}
	reported := int64(0)
	defer func() {
		r.lines, r.consumed = c.line, c.consumed
		done.Add(c.consumed - reported)
	}()
	// flush stores the previous batch; false when reading must stop.
	flush := func() bool {
		if len(prev.rows) > 0 && lr.store(prev, name, cols) {
			r.stop = true
			return false
		}
		prev.rows, prev.arena = prev.rows[:0], prev.arena[:0]
		return true
	}
	for !quoted.Load() {
		for len(b.rows) < rangeBatchRows {
			rec, err := c.next()
			if err == io.EOF {
				break
			}
			if errors.Is(err, errQuoted) {
				quoted.Store(true)
				r.quoted = true
				return r
			}
			if err != nil {
				r.err, r.errLine = err, c.line
				flush() // the rows before count first
				return r
			}
			r.rows++
			b.add(r.rows, rec, cols, l.ids)
		}
		if len(b.rows) == 0 {
			break
		}
		lr.touch(b)
		if !flush() {
			return r
		}
		b, prev = prev, b
		if c.consumed-reported > 4<<20 {
			l.report(l.before + done.Add(c.consumed-reported))
			reported = c.consumed
		}
	}
	flush()
	return r
}

// mergeRanges puts the ranges' problems (rows shifted), errors (lines
// shifted) and edges together in file order, as one sequential read would
// have found them; lines is the header's lines, consumed the bytes read.
func (l *loader) mergeRanges(res []rangeResult, name string, lines int, consumed int64) error {
	rows := 0
	for _, r := range res {
		for _, p := range r.lr.problems {
			p.Row += rows
			l.problems = append(l.problems, p)
			if len(l.problems) >= l.opt.MaxProblems {
				l.report(l.before + consumed)
				return l.err()
			}
		}
		if r.err != nil {
			return fmt.Errorf("%s line %d: %w", name, lines+r.errLine, r.err)
		}
		rows, lines = rows+r.rows, lines+r.lines
	}
	for i := range res {
		l.sink.merge(&res[i].lr.sink)
	}
	l.report(l.before + consumed)
	return l.err()
}

// readParticipantsParallel numbers the ids of participants.csv on two
// cores: each half of the file (cut at a line break) is split into ids
// and hashes at once, the ids put back to back in file order (node i is
// the i-th row that is not blank), then each core claims the ids of one
// half of the table. Anything unusual — a quote, an empty or duplicate
// id, a small file, one core — leaves the table empty and returns false:
// the file is then read sequentially, which reports the problems in
// order. The result is the sequential one.
func (l *loader) readParticipantsParallel(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || runtime.GOMAXPROCS(0) < 2 || st.Size() < parallelMin {
		return false
	}
	hc := newCSVReaderSize(io.NewSectionReader(f, 0, st.Size()), 64<<10)
	hdr, err := hc.header()
	idc := column(hdr, "id")
	if err != nil || idc < 0 {
		return false
	}
	cuts := splitRanges(f, hc.consumed, st.Size(), 2)
	ranges := make([]idRange, len(cuts)-1)
	var done atomic.Int64
	done.Store(hc.consumed)
	inRanges(f, cuts, hc.delim, func(k int, c *csvReader) {
		ranges[k] = splitIDs(c, cuts[k+1]-cuts[k], idc, l.ids, func(n int64) { l.report(l.before + done.Add(n)) })
	})
	t := l.ids
	hashes, ok := joinIDRanges(t, ranges)
	if !ok {
		return false
	}
	t.reserve(len(t.ends))
	if len(t.ends) > maxIDs || !claimIDs(t, hashes) {
		clear(t.slots)
		t.arena, t.ends = nil, nil
		return false
	}
	l.before += st.Size()
	l.report(l.before)
	return true
}

// joinIDRanges puts the ids of the ranges in t (empty) in file order and
// returns their hashes; ok=false when a range must be read sequentially.
// Each range is copied to its place by a goroutine of its own.
func joinIDRanges(t *idTable, ranges []idRange) (hashes []uint64, ok bool) {
	var ids, size int
	for _, r := range ranges {
		if !r.ok {
			return nil, false
		}
		ids += len(r.ends)
		size += len(r.arena)
	}
	t.arena, t.ends, hashes = make([]byte, size), make([]int64, ids), make([]uint64, ids)
	var wg sync.WaitGroup
	next, at := 0, 0
	for _, r := range ranges {
		i, a := next, at
		wg.Go(func() {
			copy(t.arena[a:], r.arena)
			copy(hashes[i:], r.hashes)
			for j, e := range r.ends {
				t.ends[i+j] = int64(a) + e
			}
		})
		next += len(r.ends)
		at += len(r.arena)
	}
	wg.Wait()
	return hashes, true
}

// idRange is what one byte range of participants.csv gave: its ids back
// to back, where each ends, their hashes; ok=false when the range must be
// read sequentially.
type idRange struct {
	arena  []byte
	ends   []int64
	hashes []uint64
	ok     bool
}

// splitIDs splits a range of size bytes (read by c) into ids. Its arrays
// are sized once, from the first rows, for the whole range: appending a
// million ids would copy them over and over.
func splitIDs(c *csvReader, size int64, idc int, t *idTable, progress func(n int64)) idRange {
	var r idRange
	reported := int64(0)
	for {
		if len(r.ends) == 1024 && c.consumed > 0 {
			scale := 1.05 * float64(size) / float64(c.consumed)
			rows, arena := int(scale*1024)+1024, int(scale*float64(len(r.arena)))+4096
			r.arena, r.ends, r.hashes = slices.Grow(r.arena, arena), slices.Grow(r.ends, rows), slices.Grow(r.hashes, rows)
		}
		if c.consumed-reported > 4<<20 {
			progress(c.consumed - reported)
			reported = c.consumed
		}
		rec, err := c.next()
		if err == io.EOF {
			r.ok = true
			return r
		}
		if err != nil {
			return r
		}
		if len(rec) == 1 && len(trimSpace(rec[0])) == 0 {
			continue // a blank line
		}
		if idc >= len(rec) || len(trimSpace(rec[idc])) == 0 {
			return r // the sequential read reports it
		}
		id := trimSpace(rec[idc])
		r.arena = append(r.arena, id...)
		r.ends = append(r.ends, int64(len(r.arena)))
		r.hashes = append(r.hashes, t.key(id).h)
	}
}

// claimIDs puts node i (of hash hashes[i]) in t, one half of the table
// per core, a batch at a time (their slots prefetched together); false when
// an id is there twice.
func claimIDs(t *idTable, hashes []uint64) bool {
	var dup [2]atomic.Bool
	var wg sync.WaitGroup
	for half := range dup {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := make([]int32, 0, batchRows)
			flush := func() bool {
				for _, i := range batch {
					t.touch(hashes[i])
				}
				for _, i := range batch {
					k := t.key(t.id(i))
					if t.claim(&k, i) >= 0 {
						return false
					}
				}
				batch = batch[:0]
				return true
			}
			for i, h := range hashes {
				if int(h>>63) != half {
					continue
				}
				if batch = append(batch, int32(i)); len(batch) == batchRows && !flush() {
					dup[half].Store(true)
					return
				}
			}
			if !flush() {
				dup[half].Store(true)
			}
		}()
	}
	wg.Wait()
	return !dup[0].Load() && !dup[1].Load()
}

// inRanges runs read at once on every byte range cuts[k]..cuts[k+1] of f,
// each through its own reader for files without quotes (delim between
// fields), and waits for all of them.
func inRanges(f *os.File, cuts []int64, delim byte, read func(k int, c *csvReader)) {
	var wg sync.WaitGroup
	for k := 0; k+1 < len(cuts); k++ {
		wg.Go(func() {
			c := newCSVReaderSize(io.NewSectionReader(f, cuts[k], cuts[k+1]-cuts[k]), 128<<10)
			c.delim, c.noQuotes = delim, true
			read(k, c)
		})
	}
	wg.Wait()
}
