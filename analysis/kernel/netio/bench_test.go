package netio

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/coopchain/coopchain/analysis/kernel"
	"github.com/coopchain/coopchain/internal/testenv"
)

func large(b *testing.B) {
	if os.Getenv("COOPCHAIN_BENCH_LARGE") == "" {
		b.Skip("set COOPCHAIN_BENCH_LARGE=1 for the 1M-node benchmarks")
	}
}

// largeDir writes the 1M/10M network as a CSV folder once per process.
func largeDir(b *testing.B) string {
	large(b)
	dir := filepath.Join(os.TempDir(), "coopchain-bench-kernel-1m")
	if _, err := os.Stat(filepath.Join(dir, "links.csv")); err == nil {
		return dir
	}
	net := kernel.GenerateSupply(1_000_000, 10_000_000, 1)
	os.MkdirAll(dir, 0o755)
	var buf []byte
	buf = append(buf, "supplier_id,buyer_id,value_rub\n"...)
	for i := range net.Src {
		buf = append(buf, 'f')
		buf = strconv.AppendInt(buf, int64(net.Src[i]), 10)
		buf = append(buf, ",f"...)
		buf = strconv.AppendInt(buf, int64(net.Dst[i]), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, net.Value[i], 'f', -1, 64)
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "links.csv"), buf, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkLoadLarge(b *testing.B) {
	dir := largeDir(b)
	benchLoad(b, dir, filepath.Join(dir, "links.csv"))
}

// benchLoad loads path b.N times: MB/s of files, and the processor time
// per load (cpu-s/op).
func benchLoad(b *testing.B, path string, files ...string) {
	var size int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	cpu := testenv.CPUTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := LoadPath(path, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((testenv.CPUTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// largeFolder writes the 1M/10M network as a dataset folder, as bench/gen
// writes it (participants.csv fixes the nodes; links.csv with product,
// year and value), once per process; COOPCHAIN_BENCH_FOLDER names one
// already written instead.
func largeFolder(b *testing.B) string {
	large(b)
	if dir := os.Getenv("COOPCHAIN_BENCH_FOLDER"); dir != "" {
		return dir
	}
	dir := filepath.Join(os.TempDir(), "coopchain-bench-kernel-1m-folder")
	if _, err := os.Stat(filepath.Join(dir, "links.csv")); err == nil {
		return dir
	}
	net := kernel.GenerateSupply(1_000_000, 10_000_000, 1)
	os.MkdirAll(dir, 0o755)
	buf := []byte("id,name,kind,final_producer\n")
	for i := 0; i < net.N; i++ {
		buf = fmt.Appendf(buf, "f%07d,Firm %d,enterprise,false\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "participants.csv"), buf, 0o644); err != nil {
		b.Fatal(err)
	}
	buf = append(buf[:0], "supplier_id,buyer_id,product_code,year,value_rub\n"...)
	for i := range net.Src {
		buf = fmt.Appendf(buf, "f%07d,f%07d,20.30.22,2024,", net.Src[i], net.Dst[i])
		buf = strconv.AppendFloat(buf, net.Value[i], 'f', -1, 64)
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "links.csv"), buf, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadFolderLarge is the whole load of the 1M/10M dataset folder
// (participants.csv and links.csv, read in ranges on every core; the CSR
// graph built): MB/s of both files.
func BenchmarkLoadFolderLarge(b *testing.B) {
	dir := largeFolder(b)
	benchLoad(b, dir, filepath.Join(dir, "participants.csv"), filepath.Join(dir, "links.csv"))
}

// BenchmarkNetworkLarge is the target: load + PageRank + supplier
// rank + stages + approximate betweenness (ε = 0.01, δ = 0.1).
func BenchmarkNetworkLarge(b *testing.B) {
	dir := largeDir(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := LoadPath(dir, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := kernel.AnalyzeNetwork(context.Background(), s, kernel.NetworkOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range m.Summary.Seconds {
			b.ReportMetric(v, k+"-s")
		}
	}
}

// edgeListCSV is a generated supply network as an edge list in the
// columns bench/gen writes (supplier_id, buyer_id, product_code, year,
// value_rub), made once per size.
var edgeLists = map[int][]byte{}

func edgeListCSV(n, m int) []byte {
	if b, ok := edgeLists[n]; ok {
		return b
	}
	net := kernel.GenerateSupply(n, m, 1)
	buf := []byte("supplier_id,buyer_id,product_code,year,value_rub\n")
	for i := range net.Src {
		buf = append(buf, 'f')
		buf = strconv.AppendInt(buf, int64(net.Src[i]), 10)
		buf = append(buf, ",f"...)
		buf = strconv.AppendInt(buf, int64(net.Dst[i]), 10)
		buf = append(buf, ",24.42.11,2024,"...)
		buf = strconv.AppendFloat(buf, net.Value[i], 'f', -1, 64)
		buf = append(buf, '\n')
	}
	edgeLists[n] = buf
	return buf
}

// BenchmarkCSVReader is the CSV parser alone (rows split into fields, no
// id lookups): MB/s of input.
func BenchmarkCSVReader(b *testing.B) {
	data := edgeListCSV(100_000, 1_000_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := newCSVReader(bytes.NewReader(data))
		if _, err := c.header(); err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := c.next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCSVReaderRange is BenchmarkCSVReader as a byte range of a
// file without quotes is read (see readLinksParallel).
func BenchmarkCSVReaderRange(b *testing.B) {
	data := edgeListCSV(100_000, 1_000_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := newCSVReader(bytes.NewReader(data))
		c.noQuotes = true
		for {
			if _, err := c.next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodingCSV is the peer of BenchmarkCSVReader (ReuseRecord).
func BenchmarkEncodingCSV(b *testing.B) {
	data := edgeListCSV(100_000, 1_000_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoadEdgeList is the whole load of 100k firms / 1M links (parse,
// number the ids, read the numbers, build the CSR graph): MB/s of input.
func BenchmarkLoadEdgeList(b *testing.B) {
	data := edgeListCSV(100_000, 1_000_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Load(bytes.NewReader(data), "edges.csv", LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchReload(b *testing.B, s *kernel.Snapshot) {
	path := filepath.Join(b.TempDir(), "net.snap")
	if err := WriteSnapshot(path, s); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := ReadSnapshot(path)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkSnapshotReload reloads 100k firms / 1M links from a snapshot
// (map, checksum, structure checks, ids).
func BenchmarkSnapshotReload(b *testing.B) {
	s, err := Load(bytes.NewReader(edgeListCSV(100_000, 1_000_000)), "edges.csv", LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	benchReload(b, s)
}

// BenchmarkSnapshotReloadLarge is the target: 1M firms / 10M
// links reloaded in under a second.
func BenchmarkSnapshotReloadLarge(b *testing.B) {
	s, err := LoadPath(largeDir(b), LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	benchReload(b, s)
}

// BenchmarkLoadEdgeListLarge is the whole load of the 1M/10M network as
// one bare edge list (no participants.csv: ids numbered in order of first
// appearance, one goroutine splitting and hashing, one numbering; the CSR
// graph built; COOPCHAIN_BENCH_EDGES names a file already written): MB/s
// of the file and the CPU time of a load (cpu-s/op, user and system, all
// cores together), which a shared machine disturbs less than the wall.
func BenchmarkLoadEdgeListLarge(b *testing.B) {
	path := os.Getenv("COOPCHAIN_BENCH_EDGES")
	if path == "" {
		path = filepath.Join(largeDir(b), "links.csv")
	}
	benchLoad(b, path, path)
}

// BenchmarkIDTableAdd numbers 1M distinct ids (as a bare edge list of
// 1M firms does) in a table that starts small and grows: ns per id.
func BenchmarkIDTableAdd(b *testing.B) {
	ids := make([][]byte, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Appendf(nil, "f%07d", (i*7919)%len(ids))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := newIDTable(1 << 12)
		for _, id := range ids {
			k := t.key(id)
			t.add(&k, id)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ids)), "ns/id")
}
