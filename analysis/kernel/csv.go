package kernel

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// csvReader reads CSV rows one at a time without building records of
// strings: fields are byte slices valid until the next call. It accepts
// what the dataset format allows (RFC 4180 quotes with "" escapes and line
// breaks inside quotes, CRLF, a UTF-8 byte order mark, ',' ';' or tab as the
// delimiter, detected from the header).
type csvReader struct {
	br      *bufio.Reader
	delim   byte
	line    int // physical line of the last row's end
	fields  [][]byte
	buf     []byte // unquoted content of the current row (slow path)
	long    []byte // a line longer than the buffer
	maxLine int
}

var errLineTooLong = errors.New("line too long")

func newCSVReader(r io.Reader) *csvReader {
	return &csvReader{br: bufio.NewReaderSize(r, 1<<20), maxLine: 1 << 20}
}

// header reads the header row: it skips a byte order mark, detects the
// delimiter and returns the lower-cased, trimmed column names.
func (c *csvReader) header() ([]string, error) {
	if b, err := c.br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		c.br.Discard(3)
	}
	first, _ := c.br.Peek(64 << 10)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	counts := map[byte]int{}
	inQ := false
	for _, b := range first {
		switch {
		case b == '"':
			inQ = !inQ
		case !inQ && (b == ',' || b == ';' || b == '\t'):
			counts[b]++
		}
	}
	c.delim = ','
	for _, d := range []byte{';', '\t'} {
		if counts[d] > counts[c.delim] {
			c.delim = d
		}
	}
	rec, err := c.next()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = strings.ToLower(strings.TrimSpace(string(f)))
	}
	return out, nil
}

// next returns the next row's fields, io.EOF at the end.
func (c *csvReader) next() ([][]byte, error) {
	line, err := c.readLine()
	if err != nil {
		return nil, err
	}
	c.fields = c.fields[:0]
	if bytes.IndexByte(line, '"') < 0 {
		line = trimEOL(line)
		for {
			i := bytes.IndexByte(line, c.delim)
			if i < 0 {
				c.fields = append(c.fields, line)
				return c.fields, nil
			}
			c.fields = append(c.fields, line[:i])
			line = line[i+1:]
		}
	}
	return c.slow(line)
}

// readLine returns one physical line including its '\n' (none at the end
// of the input).
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(c.long) > c.maxLine {
				return nil, errLineTooLong
			}
			line, err = c.br.ReadSlice('\n')
			c.long = append(c.long, line...)
		}
		line = c.long
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(line) == 0 {
		return nil, io.EOF
	}
	c.line++
	return line, nil
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// slow parses a row with quotes, reading more lines while a quoted field
// is open.
func (c *csvReader) slow(line []byte) ([][]byte, error) {
	c.buf = c.buf[:0]
	var ends []int
	inQ := false
	for {
		for i := 0; i < len(line); i++ {
			b := line[i]
			switch {
			case inQ && b == '"':
				if i+1 < len(line) && line[i+1] == '"' {
					c.buf = append(c.buf, '"')
					i++
				} else {
					inQ = false
				}
			case inQ:
				c.buf = append(c.buf, b)
			case b == '"':
				inQ = true
			case b == c.delim:
				ends = append(ends, len(c.buf))
			case b == '\n' || b == '\r' && i+1 < len(line) && line[i+1] == '\n':
				// end of row (handled after the loop)
			default:
				c.buf = append(c.buf, b)
			}
		}
		if !inQ {
			break
		}
		if len(c.buf) > c.maxLine {
			return nil, errLineTooLong
		}
		next, err := c.readLine()
		if err == io.EOF {
			break // an unclosed quote ends at the end of the input
		}
		if err != nil {
			return nil, err
		}
		line = next
	}
	ends = append(ends, len(c.buf))
	start := 0
	for _, e := range ends {
		c.fields = append(c.fields, c.buf[start:e])
		start = e
	}
	return c.fields, nil
}

// parseValue reads a number as spreadsheets write it (the rules of the
// dataset format): spaces, non-breaking spaces and apostrophes as thousands
// separators, a decimal comma or point; decimalComma is the style of files
// delimited by ';' or tab (Excel in a Russian locale). Empty: ok=false,
// err=nil.
func parseValue(b []byte, decimalComma bool) (v float64, ok bool, err error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, false, nil
	}
	simple := true
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			simple = false
			break
		}
	}
	s := string(b)
	if !simple {
		s = normaliseNumber(s, decimalComma)
	}
	f, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, errors.New("not a number")
	}
	return f, true, nil
}

func normaliseNumber(s string, decimalComma bool) string {
	s = strings.Map(func(c rune) rune {
		switch c {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		case '\u2212':
			return '-'
		}
		return c
	}, s)
	hasComma, hasPoint := strings.Contains(s, ","), strings.Contains(s, ".")
	switch {
	case hasComma && hasPoint:
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	case hasComma:
		if !decimalComma && thousandsGrouped(s) {
			s = strings.ReplaceAll(s, ",", "")
		} else if strings.Count(s, ",") == 1 {
			s = strings.Replace(s, ",", ".", 1)
		}
	}
	return s
}

// thousandsGrouped tells whether s looks like 1,234,567(.89).
func thousandsGrouped(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	for _, c := range s {
		if c != ',' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
