// Command gen writes a generated, realistic supply network as a coopchain
// dataset folder (participants.csv and links.csv) for benchmarks:
// heavy-tailed degrees, six layered processing stages, a few links back up
// the chain (cycles), log-normal values. See kernel.GenerateSupply.
//
//	go run ./bench/gen -n 10000 -m 50000 -seed 1 -out /tmp/net10k
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/coopchain/coopchain/analysis/kernel"
)

func main() {
	n := flag.Int("n", 10_000, "participants")
	m := flag.Int("m", 50_000, "supplier→buyer links")
	seed := flag.Int64("seed", 1, "random seed")
	out := flag.String("out", "", "output folder (created)")
	year := flag.Int("year", 2024, "year of the links")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -n N -m M [-seed S] -out DIR")
		os.Exit(2)
	}
	if err := write(*out, kernel.GenerateSupply(*n, *m, *seed), *year); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// OKPD2 product groups by processing stage.
var products = [][]string{
	{"07.29.19", "08.12.12", "24.42.11", "20.16.10"},
	{"24.10.31", "24.42.22", "20.30.22", "22.21.30"},
	{"25.12.10", "25.72.14", "27.11.41", "28.15.10"},
	{"27.90.40", "28.29.22", "29.32.30", "26.51.66"},
	{"28.22.14", "29.10.59", "30.20.33", "27.12.31"},
	{"33.12.29", "46.69.19", "29.10.22", "30.30.32"},
}

func write(dir string, net *kernel.SupplyNetwork, year int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	id := func(b []byte, i int32) []byte {
		b = append(b, 'f')
		s := strconv.AppendInt(nil, int64(i), 10)
		for k := len(s); k < 7; k++ {
			b = append(b, '0')
		}
		return append(b, s...)
	}
	finals := make([]bool, net.N)
	hasOut := make([]bool, net.N)
	for _, u := range net.Src {
		hasOut[u] = true
	}
	for i := range finals {
		finals[i] = net.Layer[i] >= 4 && !hasOut[i] || net.Layer[i] == 5
	}
	err := writeFile(filepath.Join(dir, "participants.csv"), func(w *bufio.Writer) {
		w.WriteString("id,name,kind,final_producer\n")
		var b []byte
		for i := 0; i < net.N; i++ {
			b = id(b[:0], int32(i))
			b = append(b, ",Firm "...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ",enterprise,"...)
			b = strconv.AppendBool(b, finals[i])
			b = append(b, '\n')
			w.Write(b)
		}
	})
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "links.csv"), func(w *bufio.Writer) {
		w.WriteString("supplier_id,buyer_id,product_code,year,value_rub\n")
		var b []byte
		for i := range net.Src {
			u, v := net.Src[i], net.Dst[i]
			b = id(b[:0], u)
			b = append(b, ',')
			b = id(b, v)
			b = append(b, ',')
			p := products[net.Layer[u]]
			b = append(b, p[int(u)%len(p)]...)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(year), 10)
			b = append(b, ',')
			b = strconv.AppendFloat(b, net.Value[i], 'f', -1, 64)
			b = append(b, '\n')
			w.Write(b)
		}
	})
}

func writeFile(path string, fill func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
