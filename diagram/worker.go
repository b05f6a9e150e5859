package diagram

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/goccy/go-graphviz"
)

// Rendering in a child process.
//
// go-graphviz v0.2.10 runs Graphviz in one WebAssembly module per process
// and never frees, inside it, the DOT text it parses nor a render's output:
// the module's linear memory only grows (about 50 KB per uncached render).
// Nor can a render be cancelled. In worker mode (Options.WorkerCommand) the
// render goroutine therefore hands each render to a child process — `coopchain
// render-worker`, which runs ServeWorker — and replaces it after
// Options.WorkerRenders renders, when it dies, or when a render takes longer
// than Options.Timeout (the child is killed: a timeout is finally safe).
//
// The protocol on the child's standard input and output is a sequence of
// frames: a 4-byte big-endian length n, then n bytes — one kind byte and the
// body. The child first sends frameReady with workerProtocol; then for every
// frameRequest ("format\nDOT") it answers one frameOK (the diagram) or
// frameError (a JSON workerError). The child exits when its standard input
// closes, also in the middle of a render, so a dead parent leaves no worker.

const (
	frameReady   = 'R'
	frameRequest = 'Q'
	frameOK      = 'K'
	frameError   = 'E'

	// workerProtocol is checked at start: a worker from another build of
	// the program (the binary replaced on disk) is refused.
	workerProtocol = "coopchain-render-worker/1"
	// maxFrame bounds a frame (the largest PNG is about 64 Mpixel) and
	// catches a child that writes anything but frames to its stdout.
	maxFrame = 1 << 30

	// DefaultWorkerRenders is how many renders a worker does before it is
	// replaced.
	DefaultWorkerRenders = 200
)

// workerError is an error sent from the worker.
type workerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Cause   string `json:"cause,omitempty"`
}

func writeFrame(w io.Writer, kind byte, body ...[]byte) error {
	n := 1
	for _, b := range body {
		n += len(b)
	}
	if n > maxFrame {
		return fmt.Errorf("frame of %d bytes is over the limit", n)
	}
	buf := make([]byte, 5, 4+n)
	binary.BigEndian.PutUint32(buf, uint32(n))
	buf[4] = kind
	for _, b := range body {
		buf = append(buf, b...)
	}
	_, err := w.Write(buf)
	return err
}

// readFrame reads one frame; io.EOF means the stream ended between frames.
func readFrame(r io.Reader) (kind byte, body []byte, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || n > maxFrame {
		return 0, nil, fmt.Errorf("bad frame length %d (is something else writing to the worker's stdout?)", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	return buf[0], buf[1:], nil
}

// inproc is Graphviz in this process. Not safe for concurrent use.
type inproc struct {
	gv       *graphviz.Graphviz
	restarts int
}

func newInproc() (*inproc, error) {
	graphviz.SetFileSystem(denyFS{})
	// A context that is never cancelled: cancelling Graphviz mid-render
	// leaves the module broken.
	gv, err := graphviz.New(context.Background())
	if err != nil {
		return nil, err
	}
	return &inproc{gv: gv}, nil
}

func (p *inproc) render(dot, format string) ([]byte, error) {
	ctx := context.Background()
	if p.gv == nil {
		gv, err := graphviz.New(ctx)
		if err != nil {
			return nil, gm.Internal(err, "restart Graphviz")
		}
		p.gv = gv
	}
	out, err := renderOne(ctx, p.gv, dot, format)
	if errors.Is(err, errBroken) {
		// Graphviz answered in the wrong format: its context is broken
		// (seen after a failed image load). Start a new one and retry once.
		p.gv.Close()
		gv, err := graphviz.New(ctx)
		if err != nil {
			p.gv = nil
			return nil, gm.Internal(err, "restart Graphviz")
		}
		p.gv = gv
		p.restarts++
		return renderOne(ctx, p.gv, dot, format)
	}
	return out, err
}

func (p *inproc) close() {
	if p.gv != nil {
		p.gv.Close()
	}
}

// ServeWorker is the render worker (`coopchain render-worker`): it renders
// the requests read from in with Graphviz in this process, whose host file
// system stays closed, and writes the results to out. It returns nil when in
// ends, even in the middle of a render (the caller should then exit).
func ServeWorker(in io.Reader, out io.Writer) error { return serveWorker(in, out, nil) }

// serveWorker is ServeWorker; tests pass before, called with every request
// before it is rendered.
func serveWorker(in io.Reader, out io.Writer, before func(dot, format string)) error {
	p, err := newInproc()
	if err != nil {
		return fmt.Errorf("start Graphviz: %w", err)
	}
	// Graphviz is closed only between renders: when the input ends during
	// one, it is left to the process's exit.
	rendering := false
	defer func() {
		if !rendering {
			p.close()
		}
	}()
	w := bufio.NewWriter(out)
	send := func(kind byte, body ...[]byte) error {
		if err := writeFrame(w, kind, body...); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := send(frameReady, []byte(workerProtocol)); err != nil {
		return err
	}
	type request struct{ dot, format string }
	type result struct {
		out []byte
		err error
	}
	reqs := make(chan request)
	readErr := make(chan error, 1)
	go func() {
		r := bufio.NewReader(in)
		for {
			kind, body, err := readFrame(r)
			if err == nil && kind != frameRequest {
				err = fmt.Errorf("unexpected frame %q", kind)
			}
			if err != nil {
				readErr <- err
				return
			}
			format, dot, _ := strings.Cut(string(body), "\n")
			reqs <- request{dot: dot, format: format}
		}
	}()
	ended := func(err error) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, os.ErrClosed) {
			return nil // the parent closed our stdin (or died)
		}
		return err
	}
	for {
		var req request
		select {
		case req = <-reqs:
		case err := <-readErr:
			return ended(err)
		}
		// Render on another goroutine so that the end of the input is seen
		// at once, even during a render that never finishes.
		done := make(chan result, 1)
		rendering = true
		go func() {
			if before != nil {
				before(req.dot, req.format)
			}
			out, err := p.render(req.dot, req.format)
			done <- result{out, err}
		}()
		var res result
		select {
		case res = <-done:
			rendering = false
		case err := <-readErr:
			return ended(err)
		}
		if res.err != nil {
			we := workerError{Code: gm.EINTERNAL, Message: res.err.Error()}
			var ge *gm.Error
			if errors.As(res.err, &ge) {
				we = workerError{Code: ge.Code, Message: ge.Message}
				if ge.Err != nil {
					we.Cause = ge.Err.Error()
				}
			}
			b, _ := json.Marshal(we)
			err = send(frameError, b)
		} else {
			err = send(frameOK, res.out)
		}
		if err != nil {
			return ended(err)
		}
	}
}

// workerProc is one running worker.
type workerProc struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	renders int
	killed  atomic.Bool
}

func (p *workerProc) kill() {
	p.killed.Store(true)
	p.cmd.Process.Kill()
}

// workerBackend is the parent's side: it owns at most one worker at a time.
// Only the render goroutine calls its methods; pid and starts are read by
// tests and metrics.
type workerBackend struct {
	opt    Options
	proc   *workerProc
	exited sync.WaitGroup // workers being reaped
	pid    atomic.Int64   // of the current worker, 0 when none
	starts atomic.Int64   // workers started
}

// workerStopGrace is how long a retired worker may take to exit before it is killed.
const workerStopGrace = 5 * time.Second

var errWorkerTimeout = errors.New("the render worker did not answer in time")

func (b *workerBackend) start() (*workerProc, error) {
	cmd := exec.Command(b.opt.WorkerCommand[0], b.opt.WorkerCommand[1:]...)
	cmd.Env = append(os.Environ(), b.opt.WorkerEnv...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &workerProc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}
	t := time.AfterFunc(b.opt.WorkerStartTimeout, p.kill)
	kind, body, err := readFrame(p.out)
	t.Stop()
	if err == nil && (kind != frameReady || string(body) != workerProtocol) {
		err = fmt.Errorf("it answered %q %.100q instead of %q", kind, body, workerProtocol)
	}
	if err != nil {
		if p.killed.Load() {
			err = fmt.Errorf("not ready after %v", b.opt.WorkerStartTimeout)
		}
		b.discard(p)
		return nil, fmt.Errorf("start the render worker %q: %w", strings.Join(b.opt.WorkerCommand, " "), err)
	}
	b.starts.Add(1)
	b.pid.Store(int64(cmd.Process.Pid))
	return p, nil
}

// discard kills a worker and reaps it in the background.
func (b *workerBackend) discard(p *workerProc) {
	if b.proc == p {
		b.proc = nil
		b.pid.Store(0)
	}
	p.kill()
	p.in.Close()
	b.exited.Add(1)
	go func() {
		defer b.exited.Done()
		p.cmd.Wait()
	}()
}

// retire lets a worker exit by closing its stdin, killing it if it does
// not exit in time.
func (b *workerBackend) retire(p *workerProc) {
	if b.proc == p {
		b.proc = nil
		b.pid.Store(0)
	}
	p.in.Close()
	b.exited.Add(1)
	go func() {
		defer b.exited.Done()
		t := time.AfterFunc(workerStopGrace, p.kill)
		p.cmd.Wait()
		t.Stop()
	}()
}

// exchange sends one request and reads its answer. A non-nil err means the
// worker is unusable (it died, broke the protocol or timed out) and has been
// discarded; rerr is the render's own error.
func (b *workerBackend) exchange(p *workerProc, dot, format string) (out []byte, rerr, err error) {
	var timedOut atomic.Bool
	t := time.AfterFunc(b.opt.Timeout, func() { timedOut.Store(true); p.kill() })
	err = writeFrame(p.in, frameRequest, []byte(format), []byte{'\n'}, []byte(dot))
	var kind byte
	var body []byte
	if err == nil {
		kind, body, err = readFrame(p.out)
	}
	fired := !t.Stop()
	if err == nil {
		switch kind {
		case frameOK:
			out = body
		case frameError:
			var we workerError
			if jerr := json.Unmarshal(body, &we); jerr != nil {
				err = fmt.Errorf("bad error frame: %w", jerr)
				break
			}
			e := &gm.Error{Code: we.Code, Message: we.Message}
			if we.Cause != "" {
				e.Err = errors.New(we.Cause)
			}
			rerr = e
		default:
			err = fmt.Errorf("unexpected frame %q", kind)
		}
	}
	if err == nil && fired {
		// The answer came as the timer fired: use it, but the worker is
		// being killed.
		b.discard(p)
		return out, rerr, nil
	}
	if err != nil {
		if timedOut.Load() {
			err = errWorkerTimeout
		} else if p.killed.Load() {
			err = fmt.Errorf("the render worker was killed: %w", err)
		}
		b.discard(p)
	}
	return out, rerr, err
}

func (b *workerBackend) render(dot, format string) ([]byte, error) {
	var lastErr error
	// A worker that dies is replaced and the render tried once more.
	for attempt := 0; attempt < 2; attempt++ {
		p := b.proc
		if p == nil {
			var err error
			if p, err = b.start(); err != nil {
				return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "the diagram renderer could not start; try again later", Err: err}
			}
			b.proc = p
		}
		out, rerr, err := b.exchange(p, dot, format)
		if errors.Is(err, errWorkerTimeout) {
			return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "drawing the diagram took too long and was stopped; try again in a moment or narrow the view", Err: err}
		}
		if err != nil {
			lastErr = err
			continue
		}
		p.renders++
		if b.proc == p && p.renders >= b.opt.WorkerRenders {
			b.retire(p)
		}
		return out, rerr
	}
	return nil, gm.Internal(lastErr, "render in the worker process")
}

func (b *workerBackend) close() {
	if b.proc != nil {
		b.retire(b.proc)
	}
	b.exited.Wait()
}
