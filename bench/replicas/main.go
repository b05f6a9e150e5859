// Command replicas is the load generator of bench/replicas.sh: a bounded
// mixed read/write load over several coopchain replicas on one database,
// on loopback. Each worker reads a participant (its version and a counter,
// the employees field), writes the counter + 1 with If-Match through a
// replica chosen at random (often not the one it read from), and reads the
// cluster's participant list or metrics in between. At the end it checks
// that no update was lost: every participant's counter grew by exactly the
// number of its successful (200) updates. Every answer other than 200 and
// the deliberate 409s counts as an error.
//
//	go run ./bench/replicas --urls http://127.0.0.1:18101,http://127.0.0.1:18102 --token T --cluster bench --participants p0000,p0001 --duration 20s
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type op struct {
	name    string
	status  int
	latency time.Duration
}

type tally struct {
	mu        sync.Mutex
	ops       []op
	perPID    map[string]int // successful updates per participant
	errSample []string
}

func (t *tally) add(o op, pid string, body []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ops = append(t.ops, o)
	if o.name == "put" && o.status == 200 {
		t.perPID[pid]++
	}
	ok := o.status == 200 || (o.name == "put" && o.status == 409)
	if !ok && len(t.errSample) < 5 {
		t.errSample = append(t.errSample, fmt.Sprintf("%s %s: %d %s", o.name, pid, o.status, strings.TrimSpace(string(body))))
	}
}

type participant struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Employees *int64 `json:"employees"`
}

// load is one run: the replicas, the token, the cluster and the client.
type load struct {
	bases   []string
	token   string
	cluster string
	client  *http.Client
}

// call sends one request and returns its status, headers, body and latency.
func (l *load) call(method, url string, body any, hdr ...string) (int, http.Header, []byte, time.Duration) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+l.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	t0 := time.Now()
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, []byte(err.Error()), time.Since(t0)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, time.Since(t0)
}

// read returns a participant and its ETag through one replica.
func (l *load) read(base, id string) (participant, string, error) {
	status, hdr, body, _ := l.call("GET", base+"/api/v1/clusters/"+l.cluster+"/participants/"+id, nil)
	if status != 200 {
		return participant{}, "", fmt.Errorf("GET %s: %d %s", id, status, body)
	}
	var r struct{ Participant participant }
	err := json.Unmarshal(body, &r)
	return r.Participant, hdr.Get("ETag"), err
}

func counter(p participant) int64 {
	if p.Employees == nil {
		return 0
	}
	return *p.Employees
}

// worker reads, updates (with If-Match) and lists until the deadline.
func (l *load) worker(w int, ids []string, began, deadline time.Time, t *tally) {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(began.UnixNano())))
	for i := 0; time.Now().Before(deadline); i++ {
		base := l.bases[rng.IntN(len(l.bases))]
		id := ids[rng.IntN(len(ids))]
		status, hdr, body, lat := l.call("GET", base+"/api/v1/clusters/"+l.cluster+"/participants/"+id, nil)
		t.add(op{"get", status, lat}, id, body)
		if status != 200 {
			continue
		}
		var r struct{ Participant participant }
		json.Unmarshal(body, &r)
		p := r.Participant
		n := counter(p) + 1
		wbase := l.bases[rng.IntN(len(l.bases))]
		status, _, body, lat = l.call("PUT", wbase+"/api/v1/clusters/"+l.cluster+"/participants/"+id,
			map[string]any{"name": p.Name, "kind": p.Kind, "employees": n}, "If-Match", hdr.Get("ETag"))
		t.add(op{"put", status, lat}, id, body)
		path, name := "/participants?limit=50", "list"
		if i%4 == 0 {
			path, name = "/metrics", "metrics"
		}
		status, _, body, lat = l.call("GET", base+"/api/v1/clusters/"+l.cluster+path, nil)
		t.add(op{name, status, lat}, id, body)
	}
}

// lostUpdates reads every participant through every replica and compares
// its counter with the successful updates.
func (l *load) lostUpdates(ids []string, start map[string]int64, t *tally) (int, []string) {
	lost := 0
	var lines []string
	for _, id := range ids {
		for _, b := range l.bases {
			p, _, err := l.read(b, id)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if got, want := counter(p)-start[id], int64(t.perPID[id]); got != want {
				lost++
				lines = append(lines, fmt.Sprintf("%s via %s: counter +%d, successful updates %d", id, b, got, want))
			}
		}
	}
	return lost, lines
}

// row is one operation's summary.
type row struct {
	Op         string         `json:"op"`
	Count      int            `json:"count"`
	Statuses   map[string]int `json:"statuses"`
	P50ms      float64        `json:"p50_ms"`
	P99ms      float64        `json:"p99_ms"`
	PerSecond  float64        `json:"per_second"`
	ErrorCount int            `json:"errors"`
}

// summarize makes one row per operation with its latency percentiles.
func summarize(t *tally, elapsed time.Duration) (rows []row, total, totalErr int) {
	byOp := map[string][]op{}
	for _, o := range t.ops {
		byOp[o.name] = append(byOp[o.name], o)
	}
	for _, name := range []string{"get", "put", "list", "metrics"} {
		list := byOp[name]
		if len(list) == 0 {
			continue
		}
		r := row{Op: name, Count: len(list), Statuses: map[string]int{}, PerSecond: float64(len(list)) / elapsed.Seconds()}
		lats := make([]time.Duration, len(list))
		for i, o := range list {
			lats[i] = o.latency
			r.Statuses[fmt.Sprint(o.status)]++
			if !(o.status == 200 || (name == "put" && o.status == 409)) {
				r.ErrorCount++
			}
		}
		sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
		r.P50ms = float64(lats[len(lats)/2].Microseconds()) / 1000
		r.P99ms = float64(lats[len(lats)*99/100].Microseconds()) / 1000
		rows = append(rows, r)
		totalErr += r.ErrorCount
		total += len(list)
	}
	return rows, total, totalErr
}

func main() {
	urls := flag.String("urls", "", "comma-separated base URLs of the replicas")
	token := flag.String("token", "", "API token (editor of the cluster)")
	cluster := flag.String("cluster", "bench", "cluster id")
	pids := flag.String("participants", "", "comma-separated participant ids to update (few: many collisions)")
	workers := flag.Int("workers", 16, "concurrent clients")
	duration := flag.Duration("duration", 20*time.Second, "how long to run (the load is bounded by this)")
	jsonOut := flag.String("json", "", "also write the summary as JSON to this file")
	flag.Parse()
	if *urls == "" || *token == "" || *pids == "" {
		flag.Usage()
		os.Exit(2)
	}
	l := &load{bases: strings.Split(*urls, ","), token: *token, cluster: *cluster,
		client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: *workers * 2}}}
	ids := strings.Split(*pids, ",")
	start := map[string]int64{}
	for _, id := range ids {
		p, _, err := l.read(l.bases[0], id)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		start[id] = counter(p)
	}
	t := &tally{perPID: map[string]int{}}
	began := time.Now()
	deadline := began.Add(*duration)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			l.worker(w, ids, began, deadline, t)
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(began)
	lost, lostLines := l.lostUpdates(ids, start, t)
	rows, total, totalErr := summarize(t, elapsed)
	fmt.Printf("%d replicas, %d workers, %s, %d participants updated concurrently\n", len(l.bases), *workers, elapsed.Round(time.Millisecond), len(ids))
	fmt.Printf("%-8s %8s %10s %9s %9s  %s\n", "op", "count", "per sec", "p50 ms", "p99 ms", "statuses")
	for _, r := range rows {
		fmt.Printf("%-8s %8d %10.0f %9.1f %9.1f  %v\n", r.Op, r.Count, r.PerSecond, r.P50ms, r.P99ms, r.Statuses)
	}
	fmt.Printf("requests %d (%.0f/s), errors other than 409: %d, lost updates: %d\n", total, float64(total)/elapsed.Seconds(), totalErr, lost)
	for _, line := range append(t.errSample, lostLines...) {
		fmt.Println("  ", line)
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"replicas": len(l.bases), "workers": *workers, "seconds": elapsed.Seconds(), "ops": rows,
			"requests": total, "errors": totalErr, "lost_updates": lost}, "", "  ")
		os.WriteFile(*jsonOut, b, 0o644)
	}
	if totalErr > 0 || lost > 0 {
		os.Exit(1)
	}
}
