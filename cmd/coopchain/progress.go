package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// reporter shows the progress of a long import or export: a bar with rows
// per second and ETA on a terminal, plain log lines every few seconds
// otherwise, nothing for short runs.
type reporter struct {
	w       io.Writer
	what    string
	tty     bool
	bar     *progressbar.ProgressBar
	start   time.Time
	lastLog time.Time
	total   int
}

func newReporter(w io.Writer, what string) *reporter {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &reporter{w: w, what: what, tty: tty, start: time.Now(), lastLog: time.Now()}
}

// update reports done of total rows (total 0: unknown).
func (r *reporter) update(done, total int) {
	// Short runs stay quiet.
	if time.Since(r.start) < 700*time.Millisecond {
		return
	}
	if r.tty {
		if r.bar == nil || (total > 0 && total != r.total) {
			r.total = total
			max := int64(total)
			if max == 0 {
				max = -1
			}
			r.bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(r.w), progressbar.OptionSetDescription(r.what),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
				progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		r.bar.Set(done)
		return
	}
	if time.Since(r.lastLog) < 3*time.Second {
		return
	}
	r.lastLog = time.Now()
	rate := float64(done) / time.Since(r.start).Seconds()
	if total > 0 {
		eta := time.Duration(float64(total-done)/rate) * time.Second
		fmt.Fprintf(r.w, "%s: %d/%d rows, %.0f rows/s, ETA %s\n", r.what, done, total, rate, eta.Round(time.Second))
	} else {
		fmt.Fprintf(r.w, "%s: %d rows, %.0f rows/s\n", r.what, done, rate)
	}
}

func (r *reporter) finish() {
	if r.bar != nil {
		r.bar.Finish()
	}
}
