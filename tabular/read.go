// Package tabular reads and writes coopchain datasets as a folder of CSV
// files, a zip of them, or one .xlsx workbook with the same sheets.
package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/xuri/excelize/v2"
)

// Limits bound what a reader accepts, so that a hostile or broken file
// cannot exhaust memory.
type Limits struct {
	MaxFileBytes  int64 // per CSV file (also one inside a zip) or workbook
	MaxLineBytes  int   // longest physical line of a CSV file
	MaxFieldBytes int   // longest cell
	MaxRows       int   // rows over all sheets (a workbook's empty rows count too)
	MaxUnzipBytes int64 // total uncompressed size of the entries read from a workbook or zip
	// MaxRatio is the largest compression ratio accepted for a zip entry
	// that unpacks to more than 1 MiB (a zip bomb's is near 1000:1).
	MaxRatio int64
	// Progress, when set, is called with the number of data rows read so
	// far, every 1,000 rows and at the end of each sheet.
	Progress func(rows int)
}

// DefaultLimits are used when a zero Limits is given.
var DefaultLimits = Limits{
	MaxFileBytes:  512 << 20,
	MaxLineBytes:  1 << 20,
	MaxFieldBytes: 64 << 10,
	MaxRows:       5_000_000,
	MaxUnzipBytes: 1 << 30,
	MaxRatio:      200,
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxLineBytes > 0 {
		d.MaxLineBytes = l.MaxLineBytes
	}
	if l.MaxFieldBytes > 0 {
		d.MaxFieldBytes = l.MaxFieldBytes
	}
	if l.MaxRows > 0 {
		d.MaxRows = l.MaxRows
	}
	if l.MaxUnzipBytes > 0 {
		d.MaxUnzipBytes = l.MaxUnzipBytes
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	d.Progress = l.Progress
	return d
}

// Result is a dataset read from files, with warnings that did not stop it
// (ignored files, …).
type Result struct {
	Dataset  *gm.Dataset
	Warnings []gm.Problem
}

var errStop = errors.New("stop reading")

func newParser(lim Limits) *parser { return &parser{lim: lim.orDefault()} }

func (p *parser) finish(what string) (*Result, error) {
	if len(p.problems) > 0 {
		return nil, gm.Invalid(fmt.Sprintf("%s: %d problem(s) found; nothing was read", what, len(p.problems)), p.problems)
	}
	ds := p.ds
	return &Result{Dataset: &ds, Warnings: p.warnings}, nil
}

// ReadPath reads a dataset from a folder of CSV files, a .zip of CSV files,
// an .xlsx workbook or a single CSV file named after its sheet
// (participants.csv, links.csv, …).
func ReadPath(path string, lim Limits) (*Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "cannot read %s: %v", path, errors.Unwrap(err))
	}
	if st.IsDir() {
		return ReadDir(path, lim)
	}
	lim = lim.orDefault()
	if st.Size() > lim.MaxFileBytes {
		return nil, gm.Errorf(gm.ETOOLARGE, "%s: file is %d bytes; the limit is %d", path, st.Size(), lim.MaxFileBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "cannot open %s: %v", path, err)
	}
	defer f.Close()
	base := filepath.Base(path)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return ReadXLSX(f, base, lim)
	case ".zip":
		return ReadZip(f, st.Size(), base, lim)
	case ".csv", ".txt":
		p := newParser(lim)
		name := strings.ToLower(strings.TrimSuffix(base, filepath.Ext(base)))
		sh, ok := SheetByName(name)
		if !ok {
			return nil, gm.Errorf(gm.EINVALID, "%s: unknown sheet %q; a CSV file must be named after its sheet (%s)", base, name, sheetNames())
		}
		if err := p.readCSV(sh, base, f); err != nil {
			return nil, err
		}
		return p.finish(base)
	}
	return nil, gm.Errorf(gm.EUNSUPPORTED, "%s: unsupported file type; give a folder of CSV files, a .zip of them or an .xlsx workbook", base)
}

func sheetNames() string {
	var n []string
	for _, s := range Sheets {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

// ReadDir reads a folder of CSV files named after the sheets
// (participants.csv, links.csv, …). Other files are ignored with a warning.
func ReadDir(dir string, lim Limits) (*Result, error) {
	return ReadFS(os.DirFS(dir), ".", dir, lim)
}

// ReadFS reads a folder of CSV files from a file system (e.g. an embedded
// one); label names the folder in messages.
func ReadFS(fsys fs.FS, dir, label string, lim Limits) (*Result, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "cannot read folder %s: %v", label, err)
	}
	p := newParser(lim)
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		if !strings.EqualFold(filepath.Ext(name), ".csv") {
			continue
		}
		sheet := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		if _, ok := SheetByName(sheet); !ok {
			p.warnings = append(p.warnings, gm.Problem{File: name, Message: "ignored: not a dataset sheet (" + sheetNames() + ")", MessageRU: "пропущен: не лист набора данных"})
			continue
		}
		if prev, dup := files[sheet]; dup {
			return nil, gm.Errorf(gm.EINVALID, "%s: both %s and %s are sheet %q", label, prev, name, sheet)
		}
		files[sheet] = name
	}
	if len(files) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "%s: no dataset files found; expected participants.csv and links.csv (and optionally %s)", label, sheetNames())
	}
	for _, sh := range Sheets {
		name, ok := files[sh.Name]
		if !ok {
			continue
		}
		path := filepath.ToSlash(filepath.Join(dir, name))
		st, err := fs.Stat(fsys, path)
		if err != nil {
			return nil, gm.Errorf(gm.EINVALID, "cannot read %s: %v", name, err)
		}
		if st.Size() > p.lim.MaxFileBytes {
			p.problem(name, 0, "", "", fmt.Sprintf("file is %d bytes; the limit is %d", st.Size(), p.lim.MaxFileBytes), fmt.Sprintf("файл %d байт; предел %d", st.Size(), p.lim.MaxFileBytes))
			continue
		}
		f, err := fsys.Open(path)
		if err != nil {
			return nil, gm.Errorf(gm.EINVALID, "cannot open %s: %v", name, err)
		}
		err = p.readCSV(sh, name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return p.finish(label)
}

// ReadCSVFiles reads named CSV contents (file name → reader), as uploaded.
func ReadCSVFiles(files map[string]io.Reader, lim Limits) (*Result, error) {
	p := newParser(lim)
	byName := map[string]string{}
	for name := range files {
		sheet := strings.ToLower(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
		if _, ok := SheetByName(sheet); !ok {
			p.warnings = append(p.warnings, gm.Problem{File: name, Message: "ignored: not a dataset sheet (" + sheetNames() + ")", MessageRU: "пропущен: не лист набора данных"})
			continue
		}
		byName[sheet] = name
	}
	if len(byName) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "no dataset files found; expected participants.csv and links.csv (and optionally %s)", sheetNames())
	}
	for _, sh := range Sheets {
		if name, ok := byName[sh.Name]; ok {
			if err := p.readCSV(sh, name, files[name]); err != nil {
				return nil, err
			}
		}
	}
	return p.finish("upload")
}

// ReadZip reads a .zip holding CSV files named after the sheets (in any
// folder). Every entry's declared size and compression ratio are checked
// before anything is unpacked; entries that are not sheets are skipped
// unread (with a warning); two entries of the same sheet are refused; the
// sheets are streamed into the parser, each read stopped at its declared
// size, the file limit and the ratio limit, whichever comes first.
func ReadZip(r io.ReaderAt, size int64, label string, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "%s: not a valid zip archive (damaged or truncated): %v", label, err)
	}
	p := newParser(lim)
	sheets := map[string]*zip.File{}
	var total uint64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		base := path.Base(strings.ReplaceAll(f.Name, "\\", "/"))
		sheet := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
		if _, ok := SheetByName(sheet); !ok || !strings.EqualFold(path.Ext(base), ".csv") {
			p.warnings = append(p.warnings, gm.Problem{File: f.Name, Message: "ignored, not read: not a dataset sheet (" + sheetNames() + ")", MessageRU: "пропущен без чтения: не лист набора данных"})
			continue
		}
		if prev, dup := sheets[sheet]; dup {
			return nil, gm.Errorf(gm.EINVALID, "%s: both %s and %s are sheet %q; keep one", label, prev.Name, f.Name, sheet)
		}
		if err := checkEntry(f, lim, label, uint64(lim.MaxFileBytes)); err != nil {
			return nil, err
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipBytes) {
			return nil, gm.Errorf(gm.ETOOLARGE, "%s: the sheets unpack to more than %d bytes in all", label, lim.MaxUnzipBytes)
		}
		sheets[sheet] = f
	}
	if len(sheets) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "%s: no dataset files found; expected participants.csv and links.csv (and optionally %s)", label, sheetNames())
	}
	for _, sh := range Sheets {
		f, ok := sheets[sh.Name]
		if !ok {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, gm.Errorf(gm.EINVALID, "%s: cannot open %s: %v", label, f.Name, err)
		}
		err = p.readCSV(sh, f.Name, &entryReader{r: rc, f: f, lim: lim, label: label})
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	return p.finish(label)
}

// checkEntry refuses a zip entry whose declared size is over max or whose
// declared compression ratio is over the limit, before it is unpacked.
func checkEntry(f *zip.File, lim Limits, label string, max uint64) error {
	if f.UncompressedSize64 > max {
		return gm.Errorf(gm.ETOOLARGE, "%s: %s unpacks to %d bytes; the limit is %d", label, f.Name, f.UncompressedSize64, max)
	}
	if tooCompressed(f.UncompressedSize64, f.CompressedSize64, lim.MaxRatio) {
		return gm.Errorf(gm.ETOOLARGE, "%s: %s is compressed more than %d:1 (a zip bomb?)", label, f.Name, lim.MaxRatio)
	}
	return nil
}

func tooCompressed(unpacked, packed uint64, ratio int64) bool {
	return unpacked > 1<<20 && (packed == 0 || unpacked/packed > uint64(ratio))
}

// entryReader reads a zip entry and fails with ETOOLARGE as soon as it has
// unpacked more than the file limit or more than the ratio limit allows for
// its compressed size (archive/zip already stops at the declared size).
type entryReader struct {
	r     io.Reader
	f     *zip.File
	lim   Limits
	label string
	n     uint64
}

func (e *entryReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	e.n += uint64(n)
	if e.n > uint64(e.lim.MaxFileBytes) || tooCompressed(e.n, e.f.CompressedSize64, e.lim.MaxRatio) {
		return 0, gm.Errorf(gm.ETOOLARGE, "%s: %s unpacks to more than the limits allow (%d bytes, %d:1)", e.label, e.f.Name, e.lim.MaxFileBytes, e.lim.MaxRatio)
	}
	return n, err
}

// lineLimiter fails a read when a physical line grows past max bytes, so a
// file with a giant line is rejected without being held in memory.
type lineLimiter struct {
	r    io.Reader
	max  int
	cur  int
	line int
}

type lineTooLong struct{ line, max int }

func (e lineTooLong) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.line, e.max)
}

func (l *lineLimiter) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	for i := 0; i < n; i++ {
		if b[i] == '\n' {
			l.line++
			l.cur = 0
			continue
		}
		l.cur++
		if l.cur > l.max {
			return i, lineTooLong{l.line + 1, l.max}
		}
	}
	return n, err
}

// detectDelimiter picks ',', ';' or tab from the header line, counting only
// characters outside quotes.
func detectDelimiter(line []byte) rune {
	counts := map[rune]int{}
	inQ := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			inQ = !inQ
		case !inQ && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best, n := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return best
}

func (p *parser) readCSV(sh Sheet, file string, r io.Reader) error {
	// The text reader skips a UTF-8 byte order mark and decodes a
	// Windows-1251 file.
	br := bufio.NewReaderSize(&lineLimiter{r: newTextReader(r), max: p.lim.MaxLineBytes}, 64<<10)
	first, err := peekLine(br)
	if err != nil {
		return p.csvError(file, err)
	}
	if len(bytes.TrimSpace(first)) == 0 {
		p.problem(file, 1, "", "", "the file is empty or has no header row", "файл пуст или без строки заголовка")
		return nil
	}
	delim := detectDelimiter(first)
	style := decimalPoint
	if delim == ';' || delim == '\t' {
		style = decimalComma
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	hdr, err := cr.Read()
	if err != nil {
		return p.csvError(file, err)
	}
	var readErr error
	next := func() ([]string, int, bool, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, 0, false, nil
		}
		if err != nil {
			readErr = p.csvError(file, err)
			return nil, 0, false, nil
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < len(hdr) && !allEmpty(rec) {
			p.problem(file, line, "", "", fmt.Sprintf("row has %d fields, the header has %d (a missing or extra delimiter?)", len(rec), len(hdr)),
				fmt.Sprintf("в строке %d полей, в заголовке %d (пропущен или лишний разделитель?)", len(rec), len(hdr)))
			return []string{}, line, true, nil
		}
		return rec, line, true, nil
	}
	if err := p.sheet(sh, file, hdr, next, style); err != nil && err != errStop {
		return err
	}
	return readErr
}

func peekLine(br *bufio.Reader) ([]byte, error) {
	for n := 4096; ; n *= 2 {
		b, err := br.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return b[:i], nil
		}
		if err != nil {
			if err == io.EOF || err == bufio.ErrBufferFull {
				if err == bufio.ErrBufferFull {
					return b, nil
				}
				return b, nil
			}
			return nil, err
		}
	}
}

// csvError turns a CSV syntax error into a problem; other read errors stop.
func (p *parser) csvError(file string, err error) error {
	var pe *csv.ParseError
	var tl lineTooLong
	var bt badText
	switch {
	case errors.As(err, &bt):
		p.problem(file, bt.line, "", fmt.Sprintf("0x%02X", bt.b),
			fmt.Sprintf("the file is neither UTF-8 nor Windows-1251 text: byte 0x%02X at offset %d (line %d) fits neither; nothing was read from it. Save it from Excel as «CSV UTF-8» or «CSV (разделители — точка с запятой)»", bt.b, bt.offset, bt.line),
			fmt.Sprintf("файл не является текстом ни в UTF-8, ни в Windows-1251: байт 0x%02X по смещению %d (строка %d) не подходит ни к одной кодировке; из файла ничего не прочитано. Сохраните его из Excel как «CSV UTF-8» или «CSV (разделители — точка с запятой)»", bt.b, bt.offset, bt.line))
		return nil
	case errors.As(err, &tl):
		p.problem(file, tl.line, "", "", fmt.Sprintf("line is longer than %d bytes; is this a CSV file?", tl.max), fmt.Sprintf("строка длиннее %d байт; это точно CSV-файл?", tl.max))
		return nil
	case errors.As(err, &pe):
		msg := pe.Err.Error()
		ru := "ошибка формата CSV: " + msg
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = "misplaced quote: put the whole value in double quotes and double any quote inside it"
			ru = "неверно поставлена кавычка: заключите значение в двойные кавычки, а кавычки внутри удвойте"
		}
		p.problem(file, pe.Line, "", "", msg, ru)
		return nil
	case err == io.EOF:
		p.problem(file, 1, "", "", "the file is empty or has no header row", "файл пуст или без строки заголовка")
		return nil
	}
	var de *gm.Error
	if errors.As(err, &de) {
		return de
	}
	return gm.Errorf(gm.EINVALID, "%s: cannot read: %v", file, err)
}

// ReadXLSX reads an .xlsx workbook whose sheets are named after the dataset
// sheets (participants, links, …). Other sheets (e.g. a README) are ignored.
func ReadXLSX(r io.Reader, label string, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFileBytes+1))
	if err != nil {
		return nil, gm.Errorf(gm.EINVALID, "%s: cannot read: %v", label, err)
	}
	return ReadXLSXBytes(data, label, lim)
}

// ReadXLSXBytes is ReadXLSX of a workbook already in memory.
func ReadXLSXBytes(data []byte, label string, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, gm.Errorf(gm.ETOOLARGE, "%s: workbook is larger than %d bytes", label, lim.MaxFileBytes)
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, gm.Errorf(gm.EINVALID, "%s: the workbook is password-protected or in the old .xls format; save it as an unprotected .xlsx workbook", label)
	}
	// The parts needed go to a temporary file that excelize reads in
	// place (OpenReader would copy them into memory).
	tmp, err := os.CreateTemp("", "coopchain-*.xlsx")
	if err != nil {
		return nil, gm.Internal(err, "temporary file")
	}
	defer os.Remove(tmp.Name())
	err = workbookParts(data, tmp, lim, label)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = gm.Internal(cerr, "temporary file")
	}
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(tmp.Name(), excelize.Options{UnzipSizeLimit: lim.MaxUnzipBytes, UnzipXMLSizeLimit: xmlInMemory})
	if err != nil {
		if strings.Contains(err.Error(), "password") {
			return nil, gm.Errorf(gm.EINVALID, "%s: the workbook is password-protected; save it without a password", label)
		}
		if strings.Contains(err.Error(), "size limit") {
			return nil, gm.Errorf(gm.ETOOLARGE, "%s: the workbook unpacks to more than %d bytes", label, lim.MaxUnzipBytes)
		}
		return nil, gm.Errorf(gm.EINVALID, "%s: not a valid .xlsx workbook: %v", label, err)
	}
	defer f.Close()
	p := newParser(lim)
	sheets := map[string]string{}
	for _, name := range f.GetSheetList() {
		key := strings.ToLower(strings.TrimSpace(name))
		if sh, ok := sheetByAnyName(key); ok {
			if prev, dup := sheets[sh.Name]; dup {
				return nil, gm.Errorf(gm.EINVALID, "%s: both sheet %q and sheet %q are %s; keep one", label, prev, name, sh.Name)
			}
			sheets[sh.Name] = name
		} else if key != "readme" && key != "описание" {
			p.warnings = append(p.warnings, gm.Problem{File: label, Column: name, Message: "sheet ignored: not a dataset sheet (" + sheetNames() + ")", MessageRU: "лист пропущен: не лист набора данных"})
		}
	}
	if len(sheets) == 0 {
		return nil, gm.Errorf(gm.EINVALID, "%s: no dataset sheets; name the sheets %s", label, sheetNames())
	}
	for _, sh := range Sheets {
		name, ok := sheets[sh.Name]
		if !ok {
			continue
		}
		if err := p.readSheet(f, sh, label+"!"+name, name); err != nil {
			return nil, err
		}
	}
	return p.finish(label)
}

// xmlInMemory is the largest worksheet or shared-strings part excelize
// unpacks into memory; larger ones go to a temporary file and are streamed.
const xmlInMemory = 4 << 20

// maxSharedStrings bounds the shared-strings part: excelize indexes every
// string of a large one in memory (about 48 bytes each).
const maxSharedStrings = 32 << 20

// workbookParts checks a workbook's zip container and writes to out a copy
// that holds only the parts needed to read cell values (content types,
// relationships, the workbook, shared strings, styles and worksheets), each
// entry's declared size and compression ratio checked before anything is
// unpacked. Every other part (pictures, drawings, embedded files, …) is
// dropped without being unpacked; kept parts are copied still compressed.
func workbookParts(data []byte, out io.Writer, lim Limits, label string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return gm.Errorf(gm.EINVALID, "%s: not a valid .xlsx workbook (the zip container is damaged or truncated)", label)
	}
	zw := zip.NewWriter(out)
	var total uint64
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !valuePart(name) {
			continue
		}
		max := uint64(lim.MaxUnzipBytes)
		if name == "xl/sharedstrings.xml" {
			max = min(max, maxSharedStrings)
		}
		if err := checkEntry(f, lim, label, max); err != nil {
			return err
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipBytes) {
			return gm.Errorf(gm.ETOOLARGE, "%s: the workbook unpacks to more than %d bytes; the limit is %d", label, total, lim.MaxUnzipBytes)
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return gm.Errorf(gm.EINVALID, "%s: %s is damaged: %v", label, f.Name, err)
		}
		w, err := zw.CreateRaw(&f.FileHeader)
		if err == nil {
			_, err = io.Copy(w, raw)
		}
		if err != nil {
			return gm.Errorf(gm.EINVALID, "%s: %s is damaged: %v", label, f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return gm.Internal(err, "copy workbook parts")
	}
	return nil
}

// valuePart reports whether a workbook part (lower-case name) is needed to
// read the cell values.
func valuePart(name string) bool {
	switch name {
	case "[content_types].xml", "xl/workbook.xml", "xl/sharedstrings.xml", "xl/styles.xml":
		return true
	}
	return strings.HasSuffix(name, ".rels") ||
		strings.HasPrefix(name, "xl/worksheets/") && !strings.Contains(name[len("xl/worksheets/"):], "/") && strings.HasSuffix(name, ".xml")
}

func (p *parser) readSheet(f *excelize.File, sh Sheet, label, name string) error {
	rows, err := f.Rows(name)
	if err != nil {
		return gm.Errorf(gm.EINVALID, "%s: cannot read sheet: %v", label, err)
	}
	defer rows.Close()
	rowNum := 0
	var hdr []string
	// Every row read counts against MaxRows, empty ones too, so that a sheet
	// of millions of rows is stopped at the limit, not read to its end.
	tooMany := func() bool {
		p.read++
		if p.read <= p.lim.MaxRows+len(Sheets) { // a header row per sheet
			return false
		}
		p.problem(label, rowNum, "", "", fmt.Sprintf("too many rows: the limit is %d", p.lim.MaxRows), fmt.Sprintf("слишком много строк: предел %d", p.lim.MaxRows))
		return true
	}
	for rows.Next() {
		rowNum++
		if tooMany() {
			return nil
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return gm.Errorf(gm.EINVALID, "%s row %d: cannot read: %v", label, rowNum, err)
		}
		if !allEmpty(cells) {
			hdr = cells
			break
		}
	}
	if hdr == nil {
		p.problem(label, 1, "", "", "the sheet is empty or has no header row", "лист пуст или без строки заголовка")
		return nil
	}
	hdrRow := rowNum
	var readErr error
	next := func() ([]string, int, bool, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				readErr = gm.Errorf(gm.EINVALID, "%s: cannot read: %v", label, err)
			}
			return nil, 0, false, nil
		}
		rowNum++
		if tooMany() {
			return nil, 0, false, errStop
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			readErr = gm.Errorf(gm.EINVALID, "%s row %d: cannot read: %v", label, rowNum, err)
			return nil, 0, false, nil
		}
		return cells, rowNum, true, nil
	}
	_ = hdrRow
	if err := p.sheet(sh, label, hdr, next, decimalPoint); err != nil && err != errStop {
		return err
	}
	return readErr
}

// SortedSheetNames returns the sheet names present in ds, for messages.
func SortedSheetNames(rows map[string]int) []string {
	var n []string
	for k := range rows {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}
