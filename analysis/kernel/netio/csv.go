package netio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unsafe"
)

// csvReader reads CSV rows one at a time without building records of
// strings: fields are byte slices into its buffer, valid until the next
// call, and a row without quotes costs no allocation and no copy. It
// accepts RFC 4180 as encoding/csv does (quoted fields with "" escapes
// and line breaks inside, CRLF or LF, empty lines skipped, a bare quote in
// an unquoted field or text after a closing quote rejected) and, in the
// header, a UTF-8 byte order mark and ',' ';' or tab as the delimiter.
type csvReader struct {
	r          io.Reader
	buf        []byte
	start, end int   // unread bytes: buf[start:end]
	eof        bool  // r is exhausted
	rerr       error // a read error other than io.EOF
	delim      byte
	line       int   // physical lines read so far (the last row ends on it)
	rowLine    int   // physical line where the last row starts
	consumed   int64 // bytes of the rows returned so far
	fields     [][]byte
	unq        []byte // unquoted content of a row with quotes
	maxLine    int
	noQuotes   bool // a line with a quote is errQuoted (a byte range of a file)
}

var errLineTooLong = errors.New("line too long")

// errQuoted stops a reader with noQuotes at a line with a quote.
var errQuoted = errors.New("a quote in a byte range")

// csvError is a malformed row: the physical line and field (1-based) where
// the problem is and why.
type csvError struct {
	Line, Field int
	Msg         string
}

func (e *csvError) Error() string {
	return fmt.Sprintf("line %d, field %d: %s", e.Line, e.Field, e.Msg)
}

const (
	msgBareQuote = `a quote (") inside a field that does not start with one: quote the whole field and double the quotes inside`
	msgQuote     = `text after the closing quote of a quoted field (a quote inside it must be doubled: "")`
	msgUnclosed  = "a quoted field is never closed (the file ends inside it)"
)

func newCSVReader(r io.Reader) *csvReader { return newCSVReaderSize(r, 1<<20) }

// newCSVReaderSize starts with a buffer of size bytes (it grows for
// longer lines, up to 1 MB a line).
func newCSVReaderSize(r io.Reader, size int) *csvReader {
	return &csvReader{r: r, buf: make([]byte, max(size, 1)), maxLine: 1 << 20}
}

// fill reads more input after compacting the buffer, growing it when it
// is full; it returns false when nothing more can be read.
func (c *csvReader) fill() bool {
	if c.eof || c.rerr != nil {
		return false
	}
	if c.start > 0 {
		c.end = copy(c.buf, c.buf[c.start:c.end])
		c.start = 0
	}
	if c.end == len(c.buf) {
		c.buf = append(c.buf, make([]byte, len(c.buf))...)
	}
	for {
		n, err := c.r.Read(c.buf[c.end:])
		c.end += n
		if err == io.EOF {
			c.eof = true
		} else if err != nil {
			c.rerr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
}

// header reads the header row: it skips a byte order mark, detects the
// delimiter and returns the lower-cased, trimmed column names.
func (c *csvReader) header() ([]string, error) {
	for c.end-c.start < 64<<10 && c.fill() {
	}
	if bytes.HasPrefix(c.buf[c.start:c.end], []byte{0xEF, 0xBB, 0xBF}) {
		c.start += 3
		c.consumed += 3
	}
	c.delim = detectDelimiter(c.buf[c.start:min(c.end, c.start+64<<10)])
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

// detectDelimiter picks ',', ';' or tab, whichever occurs most outside
// quotes on the first line (',' on a tie).
func detectDelimiter(b []byte) byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	var counts [256]int
	inQ := false
	for _, x := range b {
		if x == '"' {
			inQ = !inQ
		} else if !inQ {
			counts[x]++
		}
	}
	d := byte(',')
	for _, x := range []byte{';', '\t'} {
		if counts[x] > counts[d] {
			d = x
		}
	}
	return d
}

// readLine returns the next physical line without its line break ("\n",
// "\r\n", or a "\r" at the end of the input, as encoding/csv) and whether
// it had a '\n'; io.EOF at the end.
func (c *csvReader) readLine() ([]byte, bool, error) {
	from := c.start
	for {
		if i := bytes.IndexByte(c.buf[from:c.end], '\n'); i >= 0 {
			j := from + i
			line := c.buf[c.start:j]
			c.consumed += int64(j + 1 - c.start)
			c.start = j + 1
			c.line++
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return line, true, nil
		}
		if c.end-c.start > c.maxLine {
			return nil, false, errLineTooLong
		}
		from = c.end - c.start
		if !c.fill() {
			break
		}
		from += c.start
	}
	if c.rerr != nil {
		return nil, false, c.rerr
	}
	if c.start == c.end {
		return nil, false, io.EOF
	}
	line := c.buf[c.start:c.end]
	c.consumed += int64(c.end - c.start)
	c.start = c.end
	c.line++
	if n := len(line); line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, false, nil
}

// next returns the next row's fields, io.EOF at the end, a *csvError for
// a malformed row.
func (c *csvReader) next() ([][]byte, error) {
	if c.nextInBuffer() {
		return c.fields, nil
	}
	var line []byte
	var nl bool
	for {
		var err error
		line, nl, err = c.readLine()
		if err != nil {
			return nil, err
		}
		if len(line) > 0 {
			break
		}
		// An empty line is skipped.
	}
	c.rowLine = c.line
	c.fields = c.fields[:0]
	var quoted bool
	if c.fields, quoted = splitFields(c.fields, line, c.delim); !quoted {
		return c.fields, nil
	}
	if c.noQuotes {
		return nil, errQuoted
	}
	c.fields = c.fields[:0]
	return c.quoted(line, nl)
}

// SWAR constants: a byte of ones, the low 7 bits of every byte.
const ones, low7 = 0x0101010101010101, 0x7F7F7F7F7F7F7F7F

// zeros marks the zero bytes of x (their top bits): exact per byte, no
// carry crosses a byte.
func zeros(x uint64) uint64 { return ^((x&low7 + low7) | x) &^ low7 }

// nextInBuffer is next for the common row: one without quotes that ends
// with a line break inside the buffer. It finds the line break, the
// delimiters and any quote 8 bytes at a time in one pass, skipping empty
// lines; false (nothing read) leaves anything else to next.
func (c *csvReader) nextInBuffer() bool {
	dm, qm, nm := ones*uint64(c.delim), ones*uint64('"'), ones*uint64('\n')
	buf := c.buf[c.start:c.end]
	skipped, lines := 0, 0 // bytes and lines of empty lines before the row
	c.fields = c.fields[:0]
	start := 0
	for i := 0; i+8 <= len(buf); i += 8 {
		w := binary.LittleEndian.Uint64(buf[i:])
		q, d, nl := zeros(w^qm), zeros(w^dm), zeros(w^nm)
		if nl == 0 {
			if q != 0 {
				return false
			}
			for ; d != 0; d &= d - 1 {
				j := i + bits.TrailingZeros64(d)>>3
				c.fields = append(c.fields, buf[start:j])
				start = j + 1
			}
			continue
		}
		below := nl&-nl - 1 // the bytes before the line break
		if q&below != 0 {
			return false
		}
		for d &= below; d != 0; d &= d - 1 {
			j := i + bits.TrailingZeros64(d)>>3
			c.fields = append(c.fields, buf[start:j])
			start = j + 1
		}
		j := i + bits.TrailingZeros64(nl)>>3
		end := j
		if end > skipped && buf[end-1] == '\r' {
			end--
		}
		if end == skipped { // an empty line: skipped
			skipped, lines, start = j+1, lines+1, j+1
			c.fields = c.fields[:0]
			i = j + 1 - 8
			continue
		}
		c.fields = append(c.fields, buf[start:end])
		c.start += j + 1
		c.consumed += int64(j + 1)
		c.line += lines + 1
		c.rowLine = c.line
		return true
	}
	return false
}

// splitFields appends the fields of a line (delimited by delim) to fields;
// quoted=true when the line has a quote. It reads 8 bytes at a time,
// marking the delimiters and quotes among them at once: the fields of a
// dataset are short, and a call to bytes.IndexByte per field costs more
// than the field.
func splitFields(fields [][]byte, line []byte, delim byte) (_ [][]byte, quoted bool) {
	dm, qm := ones*uint64(delim), ones*uint64('"')
	start, i := 0, 0
	for ; i+8 <= len(line); i += 8 {
		w := binary.LittleEndian.Uint64(line[i:])
		if zeros(w^qm) != 0 {
			return fields, true
		}
		for d := zeros(w ^ dm); d != 0; d &= d - 1 {
			j := i + bits.TrailingZeros64(d)>>3
			fields = append(fields, line[start:j])
			start = j + 1
		}
	}
	if rest := len(line) - i; rest > 0 && len(line) >= 8 {
		// The last 8 bytes, of which the first 8-rest are done.
		i = len(line) - 8
		w := binary.LittleEndian.Uint64(line[i:])
		done := uint64(1)<<(8*(8-rest)) - 1
		if zeros(w^qm)&^done != 0 {
			return fields, true
		}
		for d := zeros(w^dm) &^ done; d != 0; d &= d - 1 {
			j := i + bits.TrailingZeros64(d)>>3
			fields = append(fields, line[start:j])
			start = j + 1
		}
		return append(fields, line[start:]), false
	}
	for ; i < len(line); i++ {
		switch line[i] {
		case '"':
			return fields, true
		case delim:
			fields = append(fields, line[start:i])
			start = i + 1
		}
	}
	return append(fields, line[start:]), false
}

// quoted parses a row with quotes into c.unq, reading more lines while a
// quoted field is open; nl tells whether line ended with a line break.
func (c *csvReader) quoted(line []byte, nl bool) ([][]byte, error) {
	c.unq = c.unq[:0]
	var ends []int
	for {
		// The start of a field.
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, c.delim)
			f := line
			if i >= 0 {
				f = line[:i]
			}
			if bytes.IndexByte(f, '"') >= 0 {
				return nil, &csvError{c.line, len(ends) + 1, msgBareQuote}
			}
			c.unq = append(c.unq, f...)
			ends = append(ends, len(c.unq))
			if i < 0 {
				break
			}
			line = line[i+1:]
			continue
		}
		var err error
		var more bool
		if line, nl, more, err = c.quotedField(line[1:], nl, len(ends)+1); err != nil {
			return nil, err
		}
		ends = append(ends, len(c.unq))
		if !more {
			break
		}
	}
	start := 0
	for _, e := range ends {
		c.fields = append(c.fields, c.unq[start:e])
		start = e
	}
	return c.fields, nil
}

// quotedField reads a quoted field's content (after the opening quote)
// into c.unq; it returns the rest of the line after the field's
// delimiter and whether another field follows.
func (c *csvReader) quotedField(line []byte, nl bool, field int) ([]byte, bool, bool, error) {
	for {
		i := bytes.IndexByte(line, '"')
		if i >= 0 {
			c.unq = append(c.unq, line[:i]...)
			line = line[i+1:]
			switch {
			case len(line) > 0 && line[0] == '"':
				c.unq = append(c.unq, '"')
				line = line[1:]
			case len(line) > 0 && line[0] == c.delim:
				return line[1:], nl, true, nil
			case len(line) == 0:
				return nil, nl, false, nil
			default:
				return nil, nl, false, &csvError{c.line, field, msgQuote}
			}
			continue
		}
		c.unq = append(c.unq, line...)
		if !nl {
			return nil, nl, false, &csvError{c.line, field, msgUnclosed}
		}
		c.unq = append(c.unq, '\n')
		if len(c.unq) > c.maxLine {
			return nil, nl, false, errLineTooLong
		}
		var err error
		line, nl, err = c.readLine()
		if err == io.EOF {
			return nil, nl, false, &csvError{c.line, field, msgUnclosed}
		}
		if len(line) == 0 && !nl { // a lone "\r" at the end: the last line is the one before
			return nil, nl, false, &csvError{c.line - 1, field, msgUnclosed}
		}
		if err != nil {
			return nil, nl, false, err
		}
	}
}

// bytesString views b as a string without copying (for parsing only: the
// string must not outlive b's next change).
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parseValue reads a number as spreadsheets write it (the rules of the
// dataset format): spaces, non-breaking spaces and apostrophes as thousands
// separators, a decimal comma or point; decimalComma is the style of files
// delimited by ';' or tab (Excel in a Russian locale). Empty: ok=false,
// err=nil.
func parseValue(b []byte, decimalComma bool) (v float64, ok bool, err error) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false, nil
	}
	if f, exact := fastFloat(b); exact {
		return f, true, nil
	}
	simple := true
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			simple = false
			break
		}
	}
	s := bytesString(b)
	if !simple {
		s = normaliseNumber(s, decimalComma)
	}
	f, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, errors.New("not a number")
	}
	return f, true, nil
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses [-+]digits[.digits] when the result is exact by one
// correctly rounded division (at most 15 significant digits, at most 22
// decimals: Clinger's fast path, the same value strconv.ParseFloat gives);
// exact=false leaves anything else to strconv.
func fastFloat(b []byte) (float64, bool) {
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
	}
	// mant stays below 10^15: at most 15 significant digits (leading
	// zeros do not count, and it never overflows).
	var mant uint64
	i := 0
	for ; i < len(b) && b[i]-'0' < 10; i++ {
		if mant = mant*10 + uint64(b[i]-'0'); mant >= 1e15 {
			return 0, false
		}
	}
	digits, frac := i, 0
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i]-'0' < 10; i++ {
			if mant = mant*10 + uint64(b[i]-'0'); mant >= 1e15 {
				return 0, false
			}
			frac++
		}
	}
	if i != len(b) || digits+frac == 0 || frac > 22 {
		return 0, false
	}
	f := float64(mant) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}

// trimSpace is bytes.TrimSpace with a fast path for fields without
// surrounding spaces.
func trimSpace(b []byte) []byte {
	if len(b) == 0 || b[0] > ' ' && b[0] < 0x80 && b[len(b)-1] > ' ' && b[len(b)-1] < 0x80 {
		return b
	}
	return bytes.TrimSpace(b)
}

// parseYear reads a year of four digits (or anything strconv.Atoi takes).
func parseYear(b []byte) (int, bool) {
	if len(b) == 4 {
		y := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			y = y*10 + int(c-'0')
		}
		return y, true
	}
	y, err := strconv.Atoi(bytesString(b))
	return y, err == nil
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
