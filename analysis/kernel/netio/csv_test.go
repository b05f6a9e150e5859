package netio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// chunkReader returns at most n bytes per Read, to cross buffer edges.
type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, len(r.b))
	copy(p, r.b[:k])
	r.b = r.b[k:]
	return k, nil
}

type csvResult struct {
	records [][]string
	line    int // line of the error (0: none)
	err     error
}

func readStd(input []byte, delim byte) csvResult {
	r := csv.NewReader(bytes.NewReader(input))
	r.Comma = rune(delim)
	r.FieldsPerRecord = -1
	var res csvResult
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return res
		}
		if err != nil {
			res.err = err
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.line = pe.Line
			}
			return res
		}
		res.records = append(res.records, rec)
	}
}

func readOurs(input []byte, delim byte, chunk, bufSize int) csvResult {
	c := newCSVReaderSize(&chunkReader{input, chunk}, bufSize)
	c.delim = delim
	var res csvResult
	for {
		rec, err := c.next()
		if err == io.EOF {
			return res
		}
		if err != nil {
			res.err = err
			var ce *csvError
			if errors.As(err, &ce) {
				res.line = ce.Line
			}
			return res
		}
		row := make([]string, len(rec))
		for i, f := range rec {
			row[i] = string(f)
		}
		res.records = append(res.records, row)
	}
}

// compareCSV checks that our reader gives encoding/csv's records, and
// fails where it fails, on the same line.
func compareCSV(t *testing.T, input []byte, delim byte, chunk, bufSize int) {
	t.Helper()
	want := readStd(input, delim)
	got := readOurs(input, delim, chunk, bufSize)
	if len(want.records) == 0 && len(got.records) == 0 {
		want.records, got.records = nil, nil
	}
	if !reflect.DeepEqual(got.records, want.records) || (got.err == nil) != (want.err == nil) || got.line != want.line {
		t.Fatalf("input %q (delimiter %q):\nencoding/csv %q, error %v (line %d)\nours         %q, error %v (line %d)",
			input, delim, want.records, want.err, want.line, got.records, got.err, got.line)
	}
}

var csvSeeds = []string{
	"a,b,c\n1,2,3\n",
	"a,b\r\n1,2\r\n\r\n3,4",
	"\"a,b\",c\n\"x\"\"y\",z\n",
	"\"multi\nline\",2\n3,4\n",
	"\"multi\r\nline\r\n\",2\r\n",
	"a,\"\"\n,\n\n\n",
	"a\"b,c\n",
	"\"a\"b,c\n",
	"\"unclosed,c\nd,e\n",
	"x\ry,z\r",
	"\"a\"\r",
	"\"\"\"\",\"\"\n",
	"a;b;\"c;d\"\n",
	"a\tb\t\"c\td\"\n",
	",,\n",
	"\"a\",\n\"b\"",
	"\r\n\r\n",
	"\"a\"\"\n\"\"b\"\n",
	// Rows longer than a word (read 8 bytes at a time when in the buffer).
	"supplier_id,buyer_id,value\r\n\r\n\r\nf0000001,f0000002,12.5\r\nf0000003,f0000004,\"7\"\n",
	"abcdefghij,klmnopqrstu\n\n\nvwxyz0123456789,\"q\"\"uote\"\nlast,line-without-break",
	"aaaaaaa\r\r\nbbbbbbbbbbbbbbbb\n\r\n\r\r\n,,,,,,,,,,,,,,,,\n1234567,\n12345678\n",
	"x1234567890,y\"1234567890,z\n",
}

func TestCSVReaderMatchesEncodingCSV(t *testing.T) {
	for _, s := range csvSeeds {
		for _, d := range []byte{',', ';', '\t'} {
			for _, chunk := range []int{1, 3, 1 << 20} {
				compareCSV(t, []byte(s), d, chunk, 4)
				compareCSV(t, []byte(s), d, chunk, 1<<16)
			}
		}
	}
}

// FuzzCSVReader is the differential test: on any input, the same records
// as encoding/csv (delimiter ',', ';' or tab, a variable number of
// fields), and an error on the same line where it has one.
func FuzzCSVReader(f *testing.F) {
	for i, s := range csvSeeds {
		f.Add(byte(i), byte(i+1), []byte(s))
	}
	f.Fuzz(func(t *testing.T, d, chunk byte, input []byte) {
		delim := []byte{',', ';', '\t'}[int(d)%3]
		compareCSV(t, input, delim, 1+int(chunk)%17, 1+int(chunk)%64)
	})
}

// Malformed rows stop the load with the file, line, field and reason.
func TestCSVErrorsArePrecise(t *testing.T) {
	cases := []struct{ body, want string }{
		{"supplier_id,buyer_id\na,b\nc,d\"x\n", `edges.csv line 3, field 2: a quote (") inside a field that does not start with one`},
		{"supplier_id,buyer_id\na,\"b\"x\n", "edges.csv line 2, field 2: text after the closing quote"},
		{"supplier_id,buyer_id\na,b\n\"c,d\ne,f\n", "edges.csv line 4, field 1: a quoted field is never closed"},
	}
	for _, c := range cases {
		_, err := Load(strings.NewReader(c.body), "edges.csv", LoadOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %s…", c.body, err, c.want)
		}
	}
}

// fastFloat agrees with strconv wherever it answers.
func TestFastFloat(t *testing.T) {
	for _, s := range []string{"0", "1", "-0", "+7", "12345", "0.1", "123.456", "5.", ".5", "999999999999999", "0.000000000000000000001", "1234567.891011", "00012.50"} {
		want, err := strconv.ParseFloat(s, 64)
		got, ok := fastFloat([]byte(s))
		if !ok || err != nil || got != want {
			t.Errorf("%s: fast %v (%v), strconv %v (%v)", s, got, ok, want, err)
		}
	}
	for _, s := range []string{"1e5", "1,5", "1234567890123456789", ".", "-", "1.2.3", "0x10", "0.00000000000000000000001"} {
		if _, ok := fastFloat([]byte(s)); ok {
			t.Errorf("%s: the fast path answered", s)
		}
	}
}

// splitFields, which reads 8 bytes at a time, splits every line as a byte
// at a time would: delimiters and quotes at every position of a word,
// next to bytes that differ from them in one bit (the top one included).
func TestSplitFields(t *testing.T) {
	alphabet := []byte{'a', ',', ';', '\t', '"', 0, 0x80, 0xFF, 0x7F, ',' | 0x80, '"' | 0x80, ',' ^ 1, '"' ^ 1, ' '}
	rng := rand.New(rand.NewPCG(7, 11))
	for n := 0; n < 2000; n++ {
		line := make([]byte, rng.IntN(41))
		for i := range line {
			line[i] = alphabet[rng.IntN(len(alphabet))]
		}
		for _, d := range []byte{',', ';', '\t'} {
			wantQuoted := bytes.IndexByte(line, '"') >= 0
			got, quoted := splitFields(nil, line, d)
			if quoted != wantQuoted {
				t.Fatalf("%q (delimiter %q): quoted %v, want %v", line, d, quoted, wantQuoted)
			}
			if want := bytes.Split(line, []byte{d}); !quoted && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q (delimiter %q): %q, want %q", line, d, got, want)
			}
		}
	}
}

// On random strings of digits, points and signs, fastFloat answers
// strconv's value (bit for bit, -0 included) or leaves the string to it.
func TestFastFloatRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	chars := "0123456789000.-+"
	answered := 0
	for n := 0; n < 200000; n++ {
		b := make([]byte, 1+rng.IntN(26))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
			if i > 0 && rng.IntN(3) > 0 {
				b[i] = chars[rng.IntN(10)]
			}
		}
		got, ok := fastFloat(b)
		if !ok {
			continue
		}
		answered++
		want, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: fast %v, strconv %v (%v)", b, got, want, err)
		}
	}
	if answered < 10000 {
		t.Fatalf("the fast path answered only %d strings", answered)
	}
}
