package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/coopchain/coopchain/analysis/kernel"
	"github.com/coopchain/coopchain/analysis/kernel/netio"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// cmdNetwork analyses a large network (a national one: a million firms, ten
// million links) streamed from a CSV folder or edge list, or reloaded from
// a snapshot file saved by an earlier run (--save-snapshot): degrees, values,
// PageRank, supplier rank, stages, cycles and betweenness (approximate
// with a stated bound above --exact-limit participants).
func cmdNetwork(ctx context.Context, e *env, args []string) error {
	// The network's arrays are large and hold no pointers, so collecting
	// garbage more often costs little; with Go's default (GOGC=100) the
	// heap may grow to twice what is live, and 1M/10M would peak near
	// 1 GB. GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(50))
	}
	fs := newFlags(e, "network")
	in := fs.String("in", "", "a CSV folder (participants.csv, links.csv) or one CSV edge list (supplier_id,buyer_id[,value_rub][,year])")
	snapIn := fs.String("snapshot", "", "read the network from a snapshot file saved by --save-snapshot (instead of --in)")
	saveSnap := fs.String("save-snapshot", "", "also save the loaded network as a binary snapshot file (reloaded with --snapshot in well under a second)")
	saveOnly := fs.Bool("save-only", false, "with --save-snapshot: save the snapshot and stop (no analysis, no output)")
	format := fs.String("format", "json", "output: json or csv (one row per participant)")
	out := fs.String("out", "", "output file (default: standard output)")
	year := fs.Int("year", 0, "year of the links (default: the latest in the data; rows without a year count in every year)")
	bc := fs.String("betweenness", "auto", "auto (exact up to --exact-limit participants, else approximate), exact, approx or none")
	exactLimit := fs.Int("exact-limit", 50_000, "largest network for exact betweenness under --betweenness auto")
	eps := fs.Float64("eps", 0.01, "approximate betweenness: additive error bound ε")
	delta := fs.Float64("delta", 0.1, "approximate betweenness: failure probability δ")
	seed := fs.Int64("seed", 1, "approximate betweenness: random seed")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *in == "" && *snapIn == "" && len(pos) == 1 {
		*in = pos[0]
	}
	switch {
	case (*in == "") == (*snapIn == ""):
		return usageError{"usage: coopchain network --in DIR|FILE | --snapshot FILE [--save-snapshot FILE [--save-only]] [--format json|csv] [--out FILE] [--betweenness auto|exact|approx|none] [--eps 0.01] [--delta 0.1]"}
	case *format != "json" && *format != "csv":
		return usageError{fmt.Sprintf("--format %q: use json or csv", *format)}
	case *eps <= 0 || *eps >= 1 || *delta <= 0 || *delta >= 1:
		return usageError{"--eps and --delta must be between 0 and 1"}
	case *saveOnly && *saveSnap == "":
		return usageError{"--save-only needs --save-snapshot FILE"}
	}
	prog := newStepReporter(e.stderr, *quiet)
	t0 := time.Now()
	snap, closeSnap, err := loadNetwork(*in, *snapIn, *year, prog)
	if err != nil {
		return err
	}
	defer closeSnap()
	load := time.Since(t0).Seconds()
	var saveSeconds float64
	if *saveSnap != "" {
		t1 := time.Now()
		if err := netio.WriteSnapshot(*saveSnap, snap); err != nil {
			return fmt.Errorf("--save-snapshot: %w", err)
		}
		saveSeconds = time.Since(t1).Seconds()
		if *saveOnly {
			prog.done(time.Since(t0))
			return nil
		}
	}
	res, err := kernel.AnalyzeNetwork(ctx, snap, kernel.NetworkOptions{Betweenness: *bc, ExactLimit: *exactLimit, Eps: *eps, Delta: *delta, Seed: *seed,
		Progress: func(frac float64, step string) { prog.report(frac, step) }})
	if err != nil {
		return err
	}
	res.Summary.Seconds["load"] = load
	if *saveSnap != "" {
		res.Summary.Seconds["save_snapshot"] = saveSeconds
	}
	err = writeNetwork(e.stdout, *out, *format, snap, res)
	prog.done(time.Since(t0))
	return err
}

// loadNetwork reads the network from a CSV folder or file (in) or from a
// snapshot file; the returned function releases the snapshot's memory.
func loadNetwork(in, snapIn string, year int, prog *stepReporter) (*kernel.Snapshot, func(), error) {
	if snapIn != "" {
		f, err := netio.ReadSnapshot(snapIn)
		if err != nil {
			return nil, nil, gm.Errorf(gm.EINVALID, "--snapshot %v", err)
		}
		if have := f.Snapshot.Year; year != 0 && year != have {
			f.Close()
			return nil, nil, usageError{fmt.Sprintf("--year %d: the snapshot %s holds the links of %d (save another snapshot from the CSV with --year)", year, snapIn, have)}
		}
		return f.Snapshot, func() { f.Close() }, nil
	}
	snap, err := netio.LoadPath(in, netio.LoadOptions{Year: year, Progress: func(done, total int64) {
		frac := 0.0
		if total > 0 {
			frac = float64(done) / float64(total)
		}
		prog.report(frac, fmt.Sprintf("load %d/%d MB", done>>20, total>>20))
	}})
	if err != nil {
		var le *netio.LoadError
		if errors.As(err, &le) {
			ps := make([]gm.Problem, len(le.Problems))
			for i, p := range le.Problems {
				ps[i] = gm.Problem{File: p.File, Row: p.Row + 1, Message: p.Msg}
			}
			return nil, nil, gm.Invalid(fmt.Sprintf("%s: %d problem(s) found", in, len(ps)), ps)
		}
		return nil, nil, gm.Errorf(gm.EINVALID, "%s: %v", in, err)
	}
	return snap, func() {}, nil
}

// writeNetwork writes the metrics to out (standard output when empty).
func writeNetwork(stdout io.Writer, out, format string, snap *kernel.Snapshot, res *kernel.NetworkMetrics) (err error) {
	w := stdout
	var f *os.File
	if out != "" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	t1 := time.Now()
	bw := bufio.NewWriterSize(w, 1<<20)
	if format == "json" {
		err = writeNetworkJSON(bw, snap, res, func() { res.Summary.Seconds["write"] = time.Since(t1).Seconds() })
	} else {
		err = writeNetworkCSV(bw, snap, res)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && f != nil {
		err = f.Close()
	}
	return err
}

// stepReporter prints the step and progress on standard error at most
// every two seconds, nothing for short runs or with quiet.
type stepReporter struct {
	w     io.Writer
	quiet bool
	start time.Time
	last  time.Time
	step  string
}

func newStepReporter(w io.Writer, quiet bool) *stepReporter {
	return &stepReporter{w: w, quiet: quiet, start: time.Now(), last: time.Now()}
}

func (r *stepReporter) report(frac float64, step string) {
	if r.quiet || time.Since(r.start) < time.Second || time.Since(r.last) < 2*time.Second && step == r.step {
		r.step = step
		return
	}
	r.last, r.step = time.Now(), step
	fmt.Fprintf(r.w, "network: %5.1f%% %s (%.1f s)\n", 100*frac, step, time.Since(r.start).Seconds())
}

func (r *stepReporter) done(d time.Duration) {
	if !r.quiet && d > time.Second {
		fmt.Fprintf(r.w, "network: done in %.1f s\n", d.Seconds())
	}
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendNum(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) }

// writeNetworkJSON writes {"summary": …, "participants": [{id, in_degree,
// out_degree, in_value, out_value, pagerank, supplier_rank, betweenness,
// stage, in_cycle}, …]}: the names of `coopchain analyze --format json`.
func writeNetworkJSON(w *bufio.Writer, s *kernel.Snapshot, m *kernel.NetworkMetrics, beforeSummary func()) error {
	w.WriteString("{\"participants\": [")
	err := writeRows(w, len(s.IDs), func(b []byte, v int) []byte {
		if v > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n  {\"id\": "...)
		b = appendJSONString(b, s.IDs[v])
		b = append(b, ", \"in_degree\": "...)
		b = strconv.AppendInt(b, int64(m.InDegree[v]), 10)
		b = append(b, ", \"out_degree\": "...)
		b = strconv.AppendInt(b, int64(m.OutDegree[v]), 10)
		b = append(b, ", \"in_value\": "...)
		b = appendNum(b, m.InValue[v])
		b = append(b, ", \"out_value\": "...)
		b = appendNum(b, m.OutValue[v])
		b = append(b, ", \"pagerank\": "...)
		b = appendNum(b, m.PageRank[v])
		b = append(b, ", \"supplier_rank\": "...)
		b = appendNum(b, m.SupplierRank[v])
		b = append(b, ", \"betweenness\": "...)
		if m.Betweenness != nil {
			b = appendNum(b, m.Betweenness[v])
		} else {
			b = append(b, "null"...)
		}
		b = append(b, ", \"stage\": "...)
		b = strconv.AppendInt(b, int64(m.Stage[v]), 10)
		b = append(b, ", \"in_cycle\": "...)
		b = strconv.AppendBool(b, m.InCycle[v])
		return append(b, '}')
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"summary\": ")
	beforeSummary()
	sum, err := json.MarshalIndent(m.Summary, "", "  ")
	if err != nil {
		return err
	}
	w.Write(sum)
	_, err = w.WriteString("\n}\n")
	return err
}

func writeNetworkCSV(w *bufio.Writer, s *kernel.Snapshot, m *kernel.NetworkMetrics) error {
	w.WriteString("id,in_degree,out_degree,in_value,out_value,pagerank,supplier_rank,betweenness,stage,in_cycle\n")
	return writeRows(w, len(s.IDs), func(b []byte, v int) []byte {
		b = appendCSVField(b, s.IDs[v])
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(m.InDegree[v]), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(m.OutDegree[v]), 10)
		b = append(b, ',')
		b = appendNum(b, m.InValue[v])
		b = append(b, ',')
		b = appendNum(b, m.OutValue[v])
		b = append(b, ',')
		b = appendNum(b, m.PageRank[v])
		b = append(b, ',')
		b = appendNum(b, m.SupplierRank[v])
		b = append(b, ',')
		if m.Betweenness != nil {
			b = appendNum(b, m.Betweenness[v])
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(m.Stage[v]), 10)
		b = append(b, ',')
		b = strconv.AppendBool(b, m.InCycle[v])
		return append(b, '\n')
	})
}

// writeRows writes rows 0..n-1, each appended by row, in order. Rows are
// formatted in chunks on every core (number formatting is most of the
// work for a million rows) and written chunk by chunk in row order, each
// round's chunks while the next round is formatted (two sets of buffers
// take turns). The first write error stops it.
func writeRows(w io.Writer, n int, row func(b []byte, v int) []byte) error {
	const chunk = 8192
	workers := runtime.GOMAXPROCS(0)
	sets := [2][][]byte{make([][]byte, workers), make([][]byte, workers)}
	var writing sync.WaitGroup
	var werr error
	for round, lo := 0, 0; lo < n; round, lo = round+1, lo+chunk*workers {
		bufs := sets[round%2] // written two rounds ago: done
		var wg sync.WaitGroup
		for k := range bufs {
			a := lo + k*chunk
			wg.Go(func() {
				b := bufs[k][:0]
				for v := a; v < min(a+chunk, n); v++ {
					b = row(b, v)
				}
				bufs[k] = b
			})
		}
		wg.Wait()
		writing.Wait() // the previous round, in order
		if werr != nil {
			return werr
		}
		writing.Go(func() {
			for _, b := range bufs {
				if _, err := w.Write(b); err != nil {
					werr = err
					return
				}
			}
		})
	}
	writing.Wait()
	return werr
}

func appendCSVField(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			b = append(b, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' {
					b = append(b, '"')
				}
				b = append(b, s[j])
			}
			return append(b, '"')
		}
	}
	return append(b, s...)
}
