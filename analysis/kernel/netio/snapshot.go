package netio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
	"unsafe"

	"github.com/coopchain/coopchain/analysis/kernel"
)

// The snapshot file: a 128-byte header, then the sections, each starting
// at a multiple of 8 bytes, all numbers little-endian:
//
//	0   magic "COOPSNAP"         8   version (uint32)   12  flags (bit 0: weighted)
//	16  n nodes (uint64)         24  m edges (uint64)   32  year (int64)
//	40  link rows (int64)        48  rows used (int64)  56  bytes of the ids (uint64)
//	64  CRC-32C of the body      68  CRC-32C of bytes 0..67
//	then: out-row starts [n+1]int64, in-row starts [n+1]int64, out-weights
//	[m]float64, in-weights [m]float64, out-adjacency [m]int32, in-adjacency
//	[m]int32, id ends [n]int64, the ids back to back.
//
// A reload maps the file into memory and uses the arrays where they lie:
// nothing is parsed or rebuilt, only checked (checksum, then bounds).
const (
	snapMagic   = "COOPSNAP"
	snapVersion = 1
	headerSize  = 128
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapHeader is the decoded header.
type snapHeader struct {
	version, flags     uint32
	n, m               uint64
	year, rows, used   int64
	idBytes            uint64
	bodyCRC, headerCRC uint32
}

func (h *snapHeader) encode() []byte {
	b := make([]byte, headerSize)
	copy(b, snapMagic)
	le := binary.LittleEndian
	le.PutUint32(b[8:], h.version)
	le.PutUint32(b[12:], h.flags)
	le.PutUint64(b[16:], h.n)
	le.PutUint64(b[24:], h.m)
	le.PutUint64(b[32:], uint64(h.year))
	le.PutUint64(b[40:], uint64(h.rows))
	le.PutUint64(b[48:], uint64(h.used))
	le.PutUint64(b[56:], h.idBytes)
	le.PutUint32(b[64:], h.bodyCRC)
	le.PutUint32(b[68:], crc32.Checksum(b[:68], castagnoli))
	return b
}

func decodeHeader(b []byte) (*snapHeader, error) {
	if string(b[:8]) != snapMagic {
		return nil, errors.New("not a coopchain snapshot (no COOPSNAP magic at the start)")
	}
	le := binary.LittleEndian
	h := &snapHeader{version: le.Uint32(b[8:]), flags: le.Uint32(b[12:]), n: le.Uint64(b[16:]), m: le.Uint64(b[24:]),
		year: int64(le.Uint64(b[32:])), rows: int64(le.Uint64(b[40:])), used: int64(le.Uint64(b[48:])), idBytes: le.Uint64(b[56:]),
		bodyCRC: le.Uint32(b[64:]), headerCRC: le.Uint32(b[68:])}
	if h.version != snapVersion {
		return nil, fmt.Errorf("snapshot format version %d; this coopchain reads version %d (save the snapshot again)", h.version, snapVersion)
	}
	if crc32.Checksum(b[:68], castagnoli) != h.headerCRC {
		return nil, errors.New("the header is damaged (checksum mismatch)")
	}
	if h.n > math.MaxInt32 || h.m > 1<<40 || h.idBytes > 1<<40 {
		return nil, fmt.Errorf("the header is damaged (%d nodes, %d edges, %d bytes of ids)", h.n, h.m, h.idBytes)
	}
	return h, nil
}

func pad8(x uint64) uint64 { return (x + 7) &^ 7 }

// layout returns the offsets of the sections and the file size.
func (h *snapHeader) layout() (off [9]uint64) {
	sizes := [8]uint64{(h.n + 1) * 8, (h.n + 1) * 8, h.m * 8, h.m * 8, pad8(h.m * 4), pad8(h.m * 4), h.n * 8, pad8(h.idBytes)}
	off[0] = headerSize
	for i, s := range sizes {
		off[i+1] = off[i] + s
	}
	return off
}

// WriteSnapshot saves s to path (through a temporary file renamed at the
// end, so that a failed save never leaves a half-written snapshot there).
func WriteSnapshot(path string, s *kernel.Snapshot) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = writeSnapshot(tmp, s); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func writeSnapshot(f *os.File, s *kernel.Snapshot) error {
	c := s.Graph.CSR()
	h := &snapHeader{version: snapVersion, n: uint64(c.N), m: uint64(len(c.OutAdj)), year: int64(s.Year), rows: int64(s.Rows), used: int64(s.RowsUsed)}
	if s.Weighted {
		h.flags = 1
	}
	ends := make([]int64, len(s.IDs))
	var total int64
	for i, id := range s.IDs {
		total += int64(len(id))
		ends[i] = total
	}
	h.idBytes = uint64(total)
	if _, err := f.Write(make([]byte, headerSize)); err != nil {
		return err
	}
	crc := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(f, crc), 1<<20)
	writeRaw(w, int64Bytes(c.OutStart))
	writeRaw(w, int64Bytes(c.InStart))
	writeRaw(w, float64Bytes(c.OutW))
	writeRaw(w, float64Bytes(c.InW))
	writeRaw(w, int32Bytes(c.OutAdj), padding(uint64(len(c.OutAdj))*4))
	writeRaw(w, int32Bytes(c.InAdj), padding(uint64(len(c.InAdj))*4))
	writeRaw(w, int64Bytes(ends))
	for _, id := range s.IDs {
		w.WriteString(id)
	}
	if _, err := w.Write(padding(h.idBytes)); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	h.bodyCRC = crc.Sum32()
	_, err := f.WriteAt(h.encode(), 0)
	return err
}

func padding(n uint64) []byte { return make([]byte, pad8(n)-n) }

func writeRaw(w *bufio.Writer, parts ...[]byte) {
	for _, p := range parts {
		w.Write(p) // a write error sticks in w and comes out of Flush
	}
}

// SnapshotFile is a snapshot read back from a file. Its arrays may lie in
// memory mapped from the file: Close releases them, after which neither
// the snapshot nor its graph may be used.
type SnapshotFile struct {
	Snapshot *kernel.Snapshot
	data     []byte
	release  func([]byte) error
}

// Close releases the file's memory.
func (f *SnapshotFile) Close() error {
	if f.release == nil {
		return nil
	}
	err := f.release(f.data)
	f.release, f.data, f.Snapshot = nil, nil, nil
	return err
}

// ReadSnapshot reloads a snapshot saved by WriteSnapshot: the file is
// memory-mapped (read into memory where mapping is not available), its
// checksum and structure checked, and the graph's arrays used in place. A
// file that is not a snapshot, of another version, truncated or damaged
// gives an error that says so, never a crash.
func ReadSnapshot(path string) (*SnapshotFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < headerSize {
		return nil, fmt.Errorf("%s: truncated snapshot (%d bytes; the header alone is %d)", path, size, headerSize)
	}
	hb := make([]byte, headerSize)
	if _, err := f.ReadAt(hb, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h, err := decodeHeader(hb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	off := h.layout()
	if uint64(size) != off[8] {
		return nil, fmt.Errorf("%s: truncated or damaged snapshot: %d bytes, its header says %d (%d participants, %d links)", path, size, off[8], h.n, h.m)
	}
	data, release, err := mapFile(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sf := &SnapshotFile{data: data, release: release}
	if sf.Snapshot, err = decodeBody(h, off, data); err != nil {
		sf.Close()
		return nil, fmt.Errorf("%s: damaged snapshot: %w", path, err)
	}
	return sf, nil
}

func decodeBody(h *snapHeader, off [9]uint64, data []byte) (*kernel.Snapshot, error) {
	if crc32.Checksum(data[headerSize:], castagnoli) != h.bodyCRC {
		return nil, errors.New("checksum mismatch")
	}
	sec := func(i int) []byte { return data[off[i]:off[i+1]] }
	n, m := int(h.n), int(h.m)
	c := kernel.CSR{N: n, OutStart: int64View(sec(0)), InStart: int64View(sec(1)),
		OutW: float64View(sec(2)), InW: float64View(sec(3)),
		OutAdj: int32View(sec(4))[:m], InAdj: int32View(sec(5))[:m]}
	ends := int64View(sec(6))
	idData := sec(7)[:h.idBytes]
	all := string(idData)
	ids := make([]string, n)
	var a int64
	for i, e := range ends {
		if e < a || e > int64(len(all)) {
			return nil, fmt.Errorf("the id of node %d lies outside the ids", i)
		}
		ids[i], a = all[a:e], e
	}
	for _, w := range [][]float64{c.OutW, c.InW} {
		for i, x := range w {
			if !(x >= 0 && x <= math.MaxFloat64) {
				return nil, fmt.Errorf("edge weight %d is %g", i, x)
			}
		}
	}
	g, err := kernel.FromCSR(c)
	if err != nil {
		return nil, err
	}
	return &kernel.Snapshot{Graph: g, IDs: ids, Weighted: h.flags&1 != 0, Year: int(h.year), Rows: int(h.rows), RowsUsed: int(h.used), Built: time.Now()}, nil
}

// littleEndian tells whether the arrays can be viewed in place.
var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

func int64Bytes(s []int64) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8)
	}
	b := make([]byte, len(s)*8)
	for i, x := range s {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return b
}

func float64Bytes(s []float64) []byte {
	if len(s) == 0 {
		return nil
	}
	return int64Bytes(unsafe.Slice((*int64)(unsafe.Pointer(&s[0])), len(s)))
}

func int32Bytes(s []int32) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
	}
	b := make([]byte, len(s)*4)
	for i, x := range s {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

// int64View sees b (8-aligned: sections start at multiples of 8 of a
// page-aligned mapping or a []uint64 buffer) as []int64, in place on
// little-endian machines, decoded elsewhere.
func int64View(b []byte) []int64 {
	if len(b) == 0 {
		return []int64{}
	}
	if littleEndian {
		return unsafe.Slice((*int64)(unsafe.Pointer(&b[0])), len(b)/8)
	}
	s := make([]int64, len(b)/8)
	for i := range s {
		s[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return s
}

func float64View(b []byte) []float64 {
	s := int64View(b)
	if len(s) == 0 {
		return []float64{}
	}
	if littleEndian {
		return unsafe.Slice((*float64)(unsafe.Pointer(&s[0])), len(s))
	}
	f := make([]float64, len(s))
	for i, x := range s {
		f[i] = math.Float64frombits(uint64(x))
	}
	return f
}

func int32View(b []byte) []int32 {
	if len(b) == 0 {
		return []int32{}
	}
	if littleEndian {
		return unsafe.Slice((*int32)(unsafe.Pointer(&b[0])), len(b)/4)
	}
	s := make([]int32, len(b)/4)
	for i := range s {
		s[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return s
}

// readWhole reads the file into 8-aligned memory (where it cannot be
// mapped).
func readWhole(f *os.File, size int64) ([]byte, func([]byte) error, error) {
	words := make([]uint64, (size+7)/8)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(words)*8)[:size]
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, nil, err
	}
	return b, func([]byte) error { return nil }, nil
}
