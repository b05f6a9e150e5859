package tabular

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// benchCSV is a participants file of n rows with Cyrillic names.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id;name;region;revenue_rub;final_producer\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "p%d;ООО «Предприятие № %d»;Омская область;%d,5;да\r\n", i, i, i*1000)
	}
	return b.Bytes()
}

// BenchmarkReadCSVEncoding reads the same rows as UTF-8 and as
// Windows-1251 (MB/s of the file as given).
func BenchmarkReadCSVEncoding(b *testing.B) {
	utf := benchCSV(50_000)
	cp, _ := charmap.Windows1251.NewEncoder().Bytes(utf)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"utf-8", utf}, {"windows-1251", cp}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				res, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": bytes.NewReader(tc.data)}, Limits{})
				if err != nil || len(res.Dataset.Participants) != 50_000 {
					b.Fatal(err)
				}
			}
		})
	}
}
