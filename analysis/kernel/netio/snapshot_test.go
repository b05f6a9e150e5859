package netio

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis/kernel"
)

// A saved snapshot reloads to the same ids, metadata, CSR arrays and
// metrics, on every golden dataset and on an unweighted edge list.
func TestSnapshotRoundTrip(t *testing.T) {
	dirs := goldenDirs(t)
	for _, dir := range dirs {
		s, err := LoadPath(dir, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, filepath.Base(dir), s)
	}
	s, err := Load(strings.NewReader("source,target\nx,y\ny,z\nx,y\nz,x\n"), "edges.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, "edge list", s)
	checkRoundTrip(t, "empty", kernel.NewSnapshot(nil, nil, nil, nil, 0))
}

func checkRoundTrip(t *testing.T, name string, s *kernel.Snapshot) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "net.snap")
	if err := WriteSnapshot(path, s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	f, err := ReadSnapshot(path)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	r := f.Snapshot
	if !reflect.DeepEqual(r.IDs, s.IDs) && len(s.IDs) > 0 || r.Weighted != s.Weighted || r.Year != s.Year || r.Rows != s.Rows || r.RowsUsed != s.RowsUsed {
		t.Errorf("%s: ids %v/%v, weighted %v/%v, year %d/%d, rows %d/%d, used %d/%d", name, r.IDs, s.IDs, r.Weighted, s.Weighted, r.Year, s.Year, r.Rows, s.Rows, r.RowsUsed, s.RowsUsed)
	}
	a, b := s.Graph.CSR(), r.Graph.CSR()
	if a.N != b.N || !reflect.DeepEqual(a.OutStart, b.OutStart) || !reflect.DeepEqual(a.InStart, b.InStart) ||
		!sameInts(a.OutAdj, b.OutAdj) || !sameInts(a.InAdj, b.InAdj) || !sameFloats(a.OutW, b.OutW) || !sameFloats(a.InW, b.InW) {
		t.Errorf("%s: CSR arrays differ after the round trip", name)
	}
	for i, id := range s.IDs {
		if v, ok := r.Node(id); !ok || int(v) != i {
			t.Errorf("%s: Node(%q) = %d, %v", name, id, v, ok)
		}
	}
	if s.Graph.N() < 3 {
		return
	}
	m1, err1 := kernel.AnalyzeNetwork(context.Background(), s, kernel.NetworkOptions{})
	m2, err2 := kernel.AnalyzeNetwork(context.Background(), r, kernel.NetworkOptions{})
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: %v, %v", name, err1, err2)
	}
	// Betweenness sums in the order the workers finish: equal to 1e-12.
	if !reflect.DeepEqual(m1.PageRank, m2.PageRank) || !reflect.DeepEqual(m1.Stage, m2.Stage) || maxDiff(m1.Betweenness, m2.Betweenness) > 1e-12 {
		t.Errorf("%s: metrics differ after the round trip", name)
	}
}

func maxDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func sameInts(a, b []int32) bool { return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b)) }
func sameFloats(a, b []float64) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func savedSnapshot(t *testing.T) (string, []byte) {
	t.Helper()
	s, err := LoadPath(filepath.Join("..", "..", "testdata", "graphs", "generated2000"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "net.snap")
	if err := WriteSnapshot(path, s); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, data
}

func readBytes(t *testing.T, data []byte) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bad.snap")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ReadSnapshot(path)
	if err == nil {
		f.Close()
	}
	return err
}

// Truncated, damaged, foreign and future-version files are refused with
// an error that says which.
func TestSnapshotCorrupt(t *testing.T) {
	_, good := savedSnapshot(t)
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x40
		return b
	}
	version := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(version[8:], 7)
	binary.LittleEndian.PutUint32(version[68:], crc32.Checksum(version[:68], castagnoli))
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated snapshot (0 bytes"},
		{"header cut", good[:100], "truncated snapshot (100 bytes"},
		{"body cut", good[:len(good)/2], "truncated or damaged snapshot"},
		{"last byte missing", good[:len(good)-1], "truncated or damaged snapshot"},
		{"extra bytes", append(append([]byte(nil), good...), 0, 0, 0, 0, 0, 0, 0, 0), "truncated or damaged snapshot"},
		{"a CSV file", []byte(strings.Repeat("supplier_id,buyer_id\na,b\n", 10)), "not a coopchain snapshot"},
		{"node count damaged", flip(17), "header is damaged"},
		{"other version", version, "format version 7"},
		{"a weight damaged", flip(len(good) / 2), "checksum mismatch"},
		{"an id damaged", flip(len(good) - 3), "checksum mismatch"},
	}
	for _, c := range cases {
		err := readBytes(t, c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want …%s…", c.name, err, c.want)
		}
	}
	if _, err := ReadSnapshot(filepath.Join(t.TempDir(), "missing.snap")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// Damage behind a recomputed checksum (a file written by something else)
// is caught by the structure checks: an error, never a panic, and every
// snapshot that does load can be analysed without a panic (odd weights
// may still keep PageRank from converging: that is an error too).
func TestSnapshotDamageBehindChecksum(t *testing.T) {
	_, good := savedSnapshot(t)
	rnd := rand.New(rand.NewSource(1))
	refused := 0
	for trial := 0; trial < 300; trial++ {
		b := append([]byte(nil), good...)
		for k := 0; k < 1+rnd.Intn(3); k++ {
			b[headerSize+rnd.Intn(len(b)-headerSize)] = byte(rnd.Intn(256))
		}
		binary.LittleEndian.PutUint32(b[64:], crc32.Checksum(b[headerSize:], castagnoli))
		binary.LittleEndian.PutUint32(b[68:], crc32.Checksum(b[:68], castagnoli))
		path := filepath.Join(t.TempDir(), "bad.snap")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := ReadSnapshot(path)
		if err != nil {
			if !strings.Contains(err.Error(), "damaged snapshot") {
				t.Errorf("trial %d: %v", trial, err)
			}
			refused++
			continue
		}
		if _, err := kernel.AnalyzeNetwork(context.Background(), f.Snapshot, kernel.NetworkOptions{Betweenness: "approx", Eps: 0.2}); err != nil {
			t.Logf("trial %d: %v", trial, err)
		}
		f.Close()
	}
	if refused == 0 {
		t.Error("no damaged structure was refused")
	}
}
