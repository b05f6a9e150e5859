package diagram

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// The worker tests use this test binary as the render worker: with
// workerEnv set, TestMain runs the worker on stdin and stdout instead of the
// tests. A request whose DOT contains sleepMarker never finishes.
const (
	workerEnv   = "COOPCHAIN_DIAGRAM_WORKER"
	sleepMarker = "coopchain-test-sleep-forever"
)

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		err := serveWorker(os.Stdin, os.Stdout, func(dot, _ string) {
			if strings.Contains(dot, sleepMarker) {
				select {}
			}
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "render worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func workerCommand(t testing.TB) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe}
}

// workerRenderer starts a renderer whose worker is this test binary.
func workerRenderer(t testing.TB, opt Options) (*Renderer, *workerBackend) {
	t.Helper()
	opt.WorkerCommand = workerCommand(t)
	opt.WorkerEnv = []string{workerEnv + "=1"}
	r, err := NewRenderer(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r, r.backend.(*workerBackend)
}

func alive(pid int) bool { return pid > 0 && syscall.Kill(pid, 0) == nil }

func fixtureModel(t testing.TB) *Model {
	t.Helper()
	ds := fixture()
	m, err := Build(ViewCluster, report(t, ds), ds, ViewOptions{ClusterID: "alu"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A worker draws the same SVG and PNG as Graphviz in this process.
func TestWorkerRendersLikeInProcess(t *testing.T) {
	m := fixtureModel(t)
	w, b := workerRenderer(t, Options{})
	for _, format := range []string{SVG, PNG} {
		want, err := renderer(t).Render(context.Background(), "same-inproc", m, format)
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.Render(context.Background(), "same-worker", m, format)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the worker's %d bytes differ from the in-process %d bytes", format, len(got), len(want))
		}
	}
	if n := b.starts.Load(); n != 1 {
		t.Errorf("%d workers started for two renders, want 1", n)
	}
	// The DOT format never reaches a worker.
	if dot, err := w.Render(context.Background(), "dot", m, DOT); err != nil || !bytes.HasPrefix(dot, []byte("digraph")) {
		t.Errorf("dot: %v %.40q", err, dot)
	}
	// Size limits answer 422 before any worker is involved.
	small := &Renderer{core: w.core, limits: Limits{MaxNodes: 3, MaxEdges: 3}}
	if _, err := small.Render(context.Background(), "too-big", m, SVG); gm.ErrorCode(err) != gm.EUNPROCESSABLE {
		t.Errorf("over the cap: %v", err)
	}
}

// A worker is replaced after WorkerRenders renders; retired workers exit.
func TestWorkerRecycled(t *testing.T) {
	m := fixtureModel(t)
	w, b := workerRenderer(t, Options{WorkerRenders: 3})
	pids := map[int]bool{}
	for i := 0; i < 10; i++ {
		if _, err := w.Render(context.Background(), fmt.Sprintf("recycle-%d", i), m, []string{SVG, PNG}[i%2]); err != nil {
			t.Fatalf("render %d: %v", i, err)
		}
		if pid := int(b.pid.Load()); pid != 0 {
			pids[pid] = true
		}
	}
	// Renders 1–3, 4–6, 7–9 and 10: four workers, the last one running.
	if n := b.starts.Load(); n != 4 {
		t.Errorf("%d workers started for 10 renders at 3 per worker, want 4", n)
	}
	if len(pids) != 4 {
		t.Errorf("worker pids seen: %v, want 4 different ones", pids)
	}
	if w.Renders() != 10 {
		t.Errorf("Renders() = %d", w.Renders())
	}
	// Cached renders do not reach a worker.
	if _, err := w.Render(context.Background(), "recycle-0", m, SVG); err != nil {
		t.Fatal(err)
	}
	if w.Renders() != 10 || b.starts.Load() != 4 {
		t.Errorf("a cached render reached a worker: %d renders, %d starts", w.Renders(), b.starts.Load())
	}
	w.Close()
	for pid := range pids {
		if alive(pid) {
			t.Errorf("worker %d still runs after Close", pid)
		}
	}
	if _, err := w.Render(context.Background(), "after-close", m, SVG); gm.ErrorCode(err) != gm.EUNAVAILABLE {
		t.Errorf("render after Close: %v", err)
	}
}

// A worker killed from outside is replaced; the next render works.
func TestWorkerKilledIsReplaced(t *testing.T) {
	m := fixtureModel(t)
	w, b := workerRenderer(t, Options{})
	if _, err := w.Render(context.Background(), "before-kill", m, SVG); err != nil {
		t.Fatal(err)
	}
	pid := int(b.pid.Load())
	if !alive(pid) {
		t.Fatalf("no worker runs after a render (pid %d)", pid)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for i, format := range []string{PNG, SVG} {
		if _, err := w.Render(context.Background(), fmt.Sprintf("after-kill-%d", i), m, format); err != nil {
			t.Fatalf("render after the worker was killed: %v", err)
		}
	}
	if p := int(b.pid.Load()); p == pid || !alive(p) {
		t.Errorf("worker pid %d after the kill of %d", p, pid)
	}
	if n := b.starts.Load(); n != 2 {
		t.Errorf("%d workers started, want 2", n)
	}
}

// A render that exceeds the timeout kills its worker and answers 503; later
// renders get a new worker.
func TestWorkerTimeoutKillsWorker(t *testing.T) {
	m := fixtureModel(t)
	w, b := workerRenderer(t, Options{Timeout: 3 * time.Second})
	if _, err := w.Render(context.Background(), "before-timeout", m, SVG); err != nil {
		t.Fatal(err)
	}
	pid := int(b.pid.Load())
	j := &job{key: SVG + "|sleep", dot: `digraph { a [label="` + sleepMarker + `"] }`, format: SVG, done: make(chan struct{})}
	w.jobs <- j
	<-j.done
	if gm.ErrorCode(j.err) != gm.EUNAVAILABLE || !strings.Contains(j.err.Error(), "too long") {
		t.Fatalf("a render over the timeout: %v", j.err)
	}
	// Asking for the same view again is refused at once (422, narrow the
	// view) instead of holding the render queue for another timeout.
	if _, err := w.Render(context.Background(), "sleep", m, SVG); gm.ErrorCode(err) != gm.EUNPROCESSABLE || !strings.Contains(err.Error(), "narrower view") {
		t.Errorf("the same view after its timeout: %v", err)
	}
	if _, err := w.Render(context.Background(), "after-timeout", m, PNG); err != nil {
		t.Fatalf("render after a timeout: %v", err)
	}
	if p := int(b.pid.Load()); p == pid {
		t.Errorf("the worker that timed out (%d) still serves", pid)
	}
	if n := b.starts.Load(); n != 2 {
		t.Errorf("%d workers started, want 2", n)
	}
	b.exited.Wait() // the killed worker is reaped
	if alive(pid) {
		t.Errorf("the worker that timed out (%d) still runs", pid)
	}
}

// The worker's Graphviz cannot read host files either, and recovers from
// the failed image load.
func TestWorkerHostFileSystemClosed(t *testing.T) {
	w, _ := workerRenderer(t, Options{})
	secret := filepath.Join(t.TempDir(), "secret.svg")
	os.WriteFile(secret, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><text>TOPSECRET</text></svg>`), 0o644)
	j := &job{key: "raw", dot: `digraph { a [image="` + secret + `", label="x"]; b [shapefile="/etc/passwd"]; }`, format: SVG, done: make(chan struct{})}
	w.jobs <- j
	<-j.done
	if bytes.Contains(j.out, []byte("TOPSECRET")) || bytes.Contains(j.out, []byte("root:")) {
		t.Fatal("the worker's Graphviz read a host file")
	}
	if _, err := w.Render(context.Background(), "after-image", fixtureModel(t), PNG); err != nil {
		t.Fatalf("render after the image attempt: %v", err)
	}
}

// Concurrent requests through a worker that is recycled meanwhile.
func TestWorkerConcurrent(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	w, b := workerRenderer(t, Options{WorkerRenders: 4})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			views := []string{ViewCluster, ViewParticipant, ViewProduct, ViewNiches}
			o := ViewOptions{ClusterID: "alu", Participant: "profile", Product: "24.42.22", Lang: []string{"ru", "en"}[i%2]}
			m, err := Build(views[i%4], rep, ds, o)
			if err != nil {
				errs <- err
				return
			}
			// Keys repeat: concurrent requests for one key share a render.
			_, err = w.Render(context.Background(), fmt.Sprintf("wconc-%d", i%12), m, []string{SVG, PNG}[i%2])
			if err != nil && !errors.Is(err, ErrBusy) {
				errs <- fmt.Errorf("request %d: %w", i, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if b.starts.Load() < 2 {
		t.Errorf("%d workers started for %d renders at 4 per worker", b.starts.Load(), w.Renders())
	}
}

// The worker exits when its input closes, also in the middle of a render.
func TestWorkerExitsWhenInputCloses(t *testing.T) {
	cmd := exec.Command(workerCommand(t)[0])
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A guard against a hanging test, not a measurement.
	guard := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer guard.Stop()
	out := bufio.NewReader(outPipe)
	kind, body, err := readFrame(out)
	if err != nil || kind != frameReady || string(body) != workerProtocol {
		t.Fatalf("hello: %q %q %v", kind, body, err)
	}
	if err := writeFrame(in, frameRequest, []byte("svg\ndigraph { a -> b }")); err != nil {
		t.Fatal(err)
	}
	if kind, body, err = readFrame(out); err != nil || kind != frameOK || !bytes.Contains(body, []byte("<svg")) {
		t.Fatalf("answer: %q %.60q %v", kind, body, err)
	}
	if err := writeFrame(in, frameRequest, []byte("svg\ndigraph { a [label=\""+sleepMarker+"\"] }")); err != nil {
		t.Fatal(err)
	}
	in.Close()
	err = cmd.Wait()
	if !guard.Stop() {
		t.Fatal("the worker did not exit when its input closed during a render")
	}
	if err != nil {
		t.Errorf("worker exit: %v", err)
	}
}

// A worker command that is not a worker is refused at start with 503, and
// the renderer keeps trying on later requests.
func TestWorkerNotAWorker(t *testing.T) {
	r, err := NewRenderer(Options{WorkerCommand: []string{"/bin/echo", "hello, world"}})
	if err != nil {
		t.Skip("no /bin/echo:", err)
	}
	defer r.Close()
	m := fixtureModel(t)
	for i := 0; i < 2; i++ {
		_, err := r.Render(context.Background(), fmt.Sprintf("echo-%d", i), m, SVG)
		if gm.ErrorCode(err) != gm.EUNAVAILABLE || !strings.Contains(err.Error(), "could not start") {
			t.Errorf("render with a command that is not a worker: %v", err)
		}
	}
	if _, err := NewRenderer(Options{WorkerCommand: []string{"/nonexistent/coopchain"}}); err == nil {
		t.Error("a missing worker program was accepted")
	}
}
