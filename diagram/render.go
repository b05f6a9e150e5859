package diagram

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/goccy/go-graphviz"
)

// Formats a renderer produces.
const (
	SVG = "svg"
	PNG = "png"
	DOT = "dot"
)

var errBroken = errors.New("graphviz answered in the wrong format")

// ErrBusy is returned when the render queue is full.
var ErrBusy = &gm.Error{Code: gm.EUNAVAILABLE, Message: "the diagram renderer is busy; try again in a moment"}

// Options configure a Renderer.
type Options struct {
	QueueSize  int // requests waiting for Graphviz (default 16)
	CacheBytes int // LRU cache size (default 64 MiB)
	// Timeout is how long a request waits for its render (default 20 s).
	// In worker mode it also bounds a render: a worker that takes longer
	// is killed.
	Timeout time.Duration
	Limits  Limits

	// WorkerCommand, when set, makes the renderer draw in a child process
	// started with this command (program and arguments), which must run
	// ServeWorker on its standard input and output (`coopchain
	// render-worker`). The worker is started on the first render and
	// replaced after WorkerRenders renders (go-graphviz's memory only
	// grows), when it dies, and when a render exceeds Timeout. Each such
	// Renderer has its own worker; Close stops it. Empty: Graphviz runs in
	// this process, on one goroutine shared by every Renderer of the process.
	WorkerCommand []string
	// WorkerEnv is added to the worker's environment.
	WorkerEnv []string
	// WorkerRenders is how many renders a worker does before it is replaced
	// (default DefaultWorkerRenders).
	WorkerRenders int
	// WorkerStartTimeout bounds a worker's start (default 60 s; the first
	// start on a machine compiles Graphviz's WebAssembly, later ones read
	// wazero's compilation cache in $TMPDIR/go-graphviz).
	WorkerStartTimeout time.Duration
}

// Renderer draws diagrams with Graphviz, which go-graphviz runs compiled to
// WebAssembly as one module per process, which breaks under concurrent use
// or a cancelled render. One goroutine renders; requests queue to it through
// a bounded channel; results are cached by key. In-process, every Renderer
// of a process shares that goroutine; in worker mode (Options.WorkerCommand)
// the goroutine hands the renders to a child process.
type Renderer struct {
	*core
	limits Limits
}

// backend draws one diagram; only the render goroutine calls it.
type backend interface {
	render(dot, format string) ([]byte, error)
	close()
}

type core struct {
	opt     Options
	backend backend
	jobs    chan *job
	mu      sync.Mutex
	cache   *lru
	// inflight lets concurrent requests for the same key share one render.
	inflight map[string]*job
	// tooSlow remembers the keys whose render was stopped for taking longer
	// than the timeout, so that asking again does not hold the one render
	// queue for another timeout (keys change with the data).
	tooSlow map[string]bool
	renders int
	stopped bool // Close was called (worker mode)
	closed  chan struct{}
}

type job struct {
	key    string
	dot    string
	format string
	done   chan struct{}
	out    []byte
	err    error
}

// denyFS is the file system Graphviz sees: nothing. go-graphviz otherwise
// falls back to the host disk (image=, shapefile=, fontpath …).
type denyFS struct{}

func (denyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

var (
	sharedOnce sync.Once
	shared     *core
	sharedErr  error
)

// NewRenderer returns a renderer with the given limits. In-process (no
// WorkerCommand) it uses the process's rendering goroutine, starting it on
// first use with opt (queue, cache and timeout settings of later calls are
// ignored); in worker mode every call starts a new rendering goroutine with
// its own worker process.
func NewRenderer(opt Options) (*Renderer, error) {
	lim := opt.Limits
	if lim.MaxNodes == 0 {
		lim = DefaultLimits
	}
	if len(opt.WorkerCommand) > 0 {
		if _, err := exec.LookPath(opt.WorkerCommand[0]); err != nil {
			return nil, fmt.Errorf("render worker: %w", err)
		}
		c, err := startCore(opt)
		if err != nil {
			return nil, err
		}
		return &Renderer{core: c, limits: lim}, nil
	}
	sharedOnce.Do(func() { shared, sharedErr = startCore(opt) })
	if sharedErr != nil {
		return nil, sharedErr
	}
	return &Renderer{core: shared, limits: lim}, nil
}

func startCore(opt Options) (*core, error) {
	if opt.QueueSize <= 0 {
		opt.QueueSize = 16
	}
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = 64 << 20
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 20 * time.Second
	}
	if opt.Limits.MaxNodes == 0 {
		opt.Limits = DefaultLimits
	}
	if opt.WorkerRenders <= 0 {
		opt.WorkerRenders = DefaultWorkerRenders
	}
	if opt.WorkerStartTimeout <= 0 {
		opt.WorkerStartTimeout = 60 * time.Second
	}
	graphviz.SetFileSystem(denyFS{})
	var b backend
	if len(opt.WorkerCommand) > 0 {
		b = &workerBackend{opt: opt}
	} else {
		p, err := newInproc()
		if err != nil {
			return nil, err
		}
		b = p
	}
	r := &core{opt: opt, backend: b, jobs: make(chan *job, opt.QueueSize), cache: newLRU(opt.CacheBytes), inflight: map[string]*job{}, tooSlow: map[string]bool{}, closed: make(chan struct{})}
	go r.loop()
	return r, nil
}

// Limits returns the size limits of the diagrams this renderer draws.
func (r *Renderer) Limits() Limits { return r.limits }

// Close stops a worker-mode renderer and its worker; later renders answer
// 503. In-process it is a no-op: the rendering goroutine lives as long as
// the process.
func (r *Renderer) Close() {
	if _, ok := r.backend.(*workerBackend); !ok {
		return
	}
	r.mu.Lock()
	if !r.stopped {
		r.stopped = true
		close(r.jobs)
	}
	r.mu.Unlock()
	<-r.closed
}

func (r *core) loop() {
	defer close(r.closed)
	defer r.backend.close()
	for j := range r.jobs {
		j.out, j.err = r.backend.render(j.dot, j.format)
		r.mu.Lock()
		delete(r.inflight, j.key)
		if j.err == nil {
			r.cache.add(j.key, j.out)
		}
		if errors.Is(j.err, errWorkerTimeout) && len(r.tooSlow) < 10000 {
			r.tooSlow[j.key] = true
		}
		r.renders++
		r.mu.Unlock()
		close(j.done)
	}
}

func renderOne(ctx context.Context, gv *graphviz.Graphviz, dot, format string) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = gm.Internal(fmt.Errorf("graphviz panicked: %v", p), "render")
		}
	}()
	g, err := graphviz.ParseBytes([]byte(dot))
	if err != nil {
		return nil, gm.Internal(err, "parse generated DOT")
	}
	defer g.Close()
	var buf bytes.Buffer
	switch format {
	case SVG:
		if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
			return nil, gm.Internal(err, "render svg")
		}
		if !bytes.Contains(buf.Bytes()[:min(buf.Len(), 400)], []byte("<svg")) {
			return nil, errBroken
		}
		return postProcessSVG(buf.Bytes()), nil
	case PNG:
		if err := gv.Render(ctx, g, graphviz.Format("json"), &buf); err != nil {
			return nil, gm.Internal(err, "layout")
		}
		if !bytes.HasPrefix(bytes.TrimSpace(buf.Bytes()), []byte("{")) {
			return nil, errBroken
		}
		return drawPNG(buf.Bytes())
	}
	return nil, gm.Errorf(gm.EINVALID, "unknown format %q", format)
}

// Render returns the diagram of the model in format (svg, png or dot),
// from the cache when key was rendered before. Keys must change whenever the
// model does (callers include the data version).
func (r *Renderer) Render(ctx context.Context, key string, m *Model, format string) ([]byte, error) {
	dot, err := m.DOT(r.limits)
	if err != nil {
		var se *SizeError
		if errors.As(err, &se) {
			return nil, &gm.Error{Code: gm.EUNPROCESSABLE, Message: se.Error()}
		}
		return nil, err
	}
	if format == DOT {
		return []byte(dot), nil
	}
	if format != SVG && format != PNG {
		return nil, gm.Errorf(gm.EINVALID, "unknown diagram format %q: use svg, png or dot", format)
	}
	key = format + "|" + key
	r.mu.Lock()
	if out, ok := r.cache.get(key); ok {
		r.mu.Unlock()
		return out, nil
	}
	if r.stopped {
		r.mu.Unlock()
		return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "the diagram renderer is stopped"}
	}
	if r.tooSlow[key] {
		r.mu.Unlock()
		return nil, &gm.Error{Code: gm.EUNPROCESSABLE, Message: fmt.Sprintf("drawing this view took longer than %s and was stopped; choose a narrower view (one participant or product, fewer hops)", r.opt.Timeout)}
	}
	j, shared := r.inflight[key]
	if !shared {
		j = &job{key: key, dot: dot, format: format, done: make(chan struct{})}
		select {
		case r.jobs <- j:
			r.inflight[key] = j
		default:
			r.mu.Unlock()
			return nil, ErrBusy
		}
	}
	r.mu.Unlock()
	t := time.NewTimer(r.opt.Timeout)
	defer t.Stop()
	select {
	case <-j.done:
		return j.out, j.err
	case <-ctx.Done():
		return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "the diagram is still being drawn; try again in a moment", Err: ctx.Err()}
	case <-t.C:
		// In-process, the render goes on and lands in the cache for the
		// next request; in worker mode it is stopped once it has taken
		// Timeout.
		return nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "the diagram is still being drawn; try again in a moment"}
	}
}

// Renders reports how many renders Graphviz has done (cache misses).
func (r *core) Renders() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.renders
}

// SVGClass is the class of a diagram's root element.
const SVGClass = "coopchain-diagram"

var (
	svgOpen   = regexp.MustCompile(`<svg[^>]*>`)
	svgDashed = regexp.MustCompile(`(stroke-width="([0-9.]+)" )?stroke-dasharray="5,2"`)
)

// postProcessSVG embeds the diagram font so that labels measured with it fit
// their boxes in any browser, and gives dashed lines the dash pattern of
// the PNG (dashPattern), which stays visible on thick arrows.
func postProcessSVG(svg []byte) []byte {
	svg = svgDashed.ReplaceAllFunc(svg, func(m []byte) []byte {
		w := 1.0
		if sub := svgDashed.FindSubmatch(m); len(sub[2]) > 0 {
			w, _ = strconv.ParseFloat(string(sub[2]), 64)
		}
		on, off := dashPattern(w)
		return fmt.Appendf(nil, `stroke-width="%g" stroke-dasharray="%.1f,%.1f"`, w, on, off)
	})
	loc := svgOpen.FindIndex(svg)
	if loc == nil {
		return svg
	}
	// The rule is scoped to the diagram: inline in a page, a bare text{}
	// rule would restyle every other SVG (the charts) too.
	style := []byte("\n<style>" + fontFaceCSS() + " svg." + SVGClass + " text{font-family:'" + FontName + "',sans-serif}</style>")
	out := make([]byte, 0, len(svg)+len(style)+len(SVGClass)+10)
	out = append(out, svg[:loc[0]+len("<svg")]...)
	out = append(out, ` class="`+SVGClass+`"`...)
	out = append(out, svg[loc[0]+len("<svg"):loc[1]]...)
	out = append(out, style...)
	return append(out, svg[loc[1]:]...)
}

// lru is a byte-bounded least-recently-used cache. Callers hold Renderer.mu.
type lru struct {
	max, size int
	ll        *list.List
	items     map[string]*list.Element
}

type lruEntry struct {
	key string
	val []byte
}

func newLRU(max int) *lru { return &lru{max: max, ll: list.New(), items: map[string]*list.Element{}} }

func (c *lru) get(k string) ([]byte, bool) {
	if e, ok := c.items[k]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry).val, true
	}
	return nil, false
}

func (c *lru) add(k string, v []byte) {
	if len(v) > c.max {
		return
	}
	if e, ok := c.items[k]; ok {
		c.size -= len(e.Value.(*lruEntry).val)
		e.Value.(*lruEntry).val = v
		c.size += len(v)
		c.ll.MoveToFront(e)
	} else {
		c.items[k] = c.ll.PushFront(&lruEntry{k, v})
		c.size += len(v)
	}
	for c.size > c.max {
		e := c.ll.Back()
		c.ll.Remove(e)
		en := e.Value.(*lruEntry)
		delete(c.items, en.key)
		c.size -= len(en.val)
	}
}
