package tabular

import (
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Text encodings of a CSV file, as detected.
const (
	encUndecided = iota // only ASCII seen so far
	encUTF8
	encCP1251
)

// badText is the one error for a CSV file that is neither UTF-8 nor
// Windows-1251 text: where the first byte that fits neither is.
type badText struct {
	offset int64 // 0-based byte offset in the file
	line   int   // 1-based line
	b      byte
}

func (e badText) Error() string {
	return fmt.Sprintf("line %d, byte %d (0x%02X): the file is neither UTF-8 nor Windows-1251 text", e.line, e.offset, e.b)
}

// textReader turns a CSV file's bytes into UTF-8 text, deciding its
// encoding at the first non-ASCII byte: UTF-8 when a UTF-8 byte order mark
// opens the file or the bytes there are valid UTF-8, else Windows-1251 (what
// a Russian Excel saves as "CSV") when the buffered bytes look like
// Cyrillic text in it. A file that is neither stops at the first byte that
// fits neither with one badText error, not one error per cell.
type textReader struct {
	r    io.Reader
	enc  int
	buf  []byte // raw bytes read, not yet passed on
	out  []byte // decoded bytes not yet returned
	off  int64  // offset of buf[0] in the file
	line int    // line of buf[0]
	eof  bool
	err  error
}

const textChunk = 64 << 10

func newTextReader(r io.Reader) *textReader {
	return &textReader{r: r, line: 1}
}

// Encoding names the detected encoding (after the first read that saw a
// non-ASCII byte): "UTF-8", "Windows-1251" or "" (ASCII only so far).
func (t *textReader) Encoding() string {
	switch t.enc {
	case encUTF8:
		return "UTF-8"
	case encCP1251:
		return "Windows-1251"
	}
	return ""
}

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.fill()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// fill reads a chunk and decodes what can be decoded of it into out.
func (t *textReader) fill() {
	if !t.eof && len(t.buf) < textChunk {
		chunk := make([]byte, textChunk)
		n, err := io.ReadFull(t.r, chunk)
		t.buf = append(t.buf, chunk[:n]...)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			t.eof = true
		} else if err != nil {
			t.err = err
			return
		}
	}
	if t.off == 0 && t.enc == encUndecided && len(t.buf) >= 3 && t.buf[0] == 0xEF && t.buf[1] == 0xBB && t.buf[2] == 0xBF {
		t.enc = encUTF8
		t.advance(3, nil)
	}
	n, out, err := t.decode()
	t.advance(n, out)
	if err != nil {
		t.err = err
	} else if t.eof && len(t.buf) == 0 {
		t.err = io.EOF
	}
}

// advance drops n raw bytes from buf, counting their lines, and queues out.
func (t *textReader) advance(n int, out []byte) {
	for _, c := range t.buf[:n] {
		if c == '\n' {
			t.line++
		}
	}
	t.off += int64(n)
	t.buf = t.buf[n:]
	t.out = append(t.out, out...)
}

// decode decodes the longest decodable prefix of buf: it returns how many
// raw bytes it used and their UTF-8 text, or the error at the first byte
// that fits neither encoding.
func (t *textReader) decode() (int, []byte, error) {
	b := t.buf
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf && t.enc != encCP1251 {
		i++
	}
	if i == len(b) {
		return i, b, nil
	}
	if t.enc == encUndecided {
		switch {
		case validUTF8Prefix(b[i:], t.eof):
			t.enc = encUTF8
		case plausibleCP1251(b):
			t.enc = encCP1251
		default:
			j := i + firstInvalidUTF8(b[i:])
			return j, b[:j], t.bad(b, j)
		}
	}
	if t.enc == encCP1251 {
		return t.decodeCP1251(b)
	}
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(b[i:]) && !t.eof {
			break // the rest of the rune is in the next chunk
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i, b[:i], t.bad(b, i)
		}
		i += size
	}
	return i, b[:i], nil
}

func (t *textReader) decodeCP1251(b []byte) (int, []byte, error) {
	out := make([]byte, 0, len(b)+len(b)/2)
	dec := charmap.Windows1251
	for i, c := range b {
		if c == 0x98 { // the one byte Windows-1251 leaves undefined
			return i, out, t.bad(b, i)
		}
		out = utf8.AppendRune(out, dec.DecodeByte(c))
	}
	return len(b), out, nil
}

// bad is the badText error for b[i].
func (t *textReader) bad(b []byte, i int) error {
	line := t.line
	for _, c := range b[:i] {
		if c == '\n' {
			line++
		}
	}
	return badText{offset: t.off + int64(i), line: line, b: b[i]}
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut at
// the end of a chunk when more follows.
func validUTF8Prefix(b []byte, eof bool) bool {
	if !eof {
		for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
			if utf8.RuneStart(b[len(b)-k]) {
				if !utf8.FullRune(b[len(b)-k:]) {
					b = b[:len(b)-k]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// plausibleCP1251 reports whether b reads as Windows-1251 text: no control
// bytes but tab and line ends, and nine in ten of the bytes over
// 0x7F Cyrillic letters (А–я, Ё, ё) or the punctuation Russian text uses
// (« » № – — “ ” „ … and the no-break space).
func plausibleCP1251(b []byte) bool {
	high, ok := 0, 0
	for _, c := range b {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7F:
			return false
		case c < 0x80:
			continue
		}
		high++
		switch {
		case c >= 0xC0, c == 0xA8, c == 0xB8:
			ok++
		case c == 0xAB, c == 0xBB, c == 0xB9, c == 0x96, c == 0x97, c == 0x93, c == 0x94, c == 0x84, c == 0x85, c == 0xA0:
			ok++
		}
	}
	return high > 0 && ok*10 >= high*9
}

// firstInvalidUTF8 is the index of the first byte of b that does not
// start a valid UTF-8 sequence (len(b) if there is none).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
