package netio

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// idTable numbers participant ids in order of first appearance. It is an
// open-addressing hash table of 16-byte slots (four to a cache line) that
// hold ids of up to 12 bytes inline (INNs and most codes): a lookup in a
// table far larger than the cache costs one memory access and one compare
// of two words, not the two or three accesses of a map[string]int32 (slot,
// then the string's bytes elsewhere). A longer id keeps its first 8 bytes
// and 32 bits of its hash in the slot and is compared in the arena. The
// ids are kept once, back to back.
//
// The table is two halves, chosen by the hash's top bit, each probed
// linearly on its own: two goroutines may claim ids of different halves
// at once (see claim).
type idTable struct {
	slots []idSlot
	hmask uint64 // len(slots)/2 - 1
	seed  uint64
	arena []byte  // every id, in node order
	ends  []int64 // ends[i]: end of id i in arena
}

// inlineID is the longest id held in a slot.
const inlineID = 12

// maxIDs is the most ids a table holds (the node number shares a word
// with the id's length).
const maxIDs = 1<<28 - 2

// longID is the length code of an id longer than inlineID.
const longID = inlineID + 1

// tooManyIDs is the problem of an id past maxIDs.
const tooManyIDs = "more than 268435454 participants: too many for one network"

// idSlot is one id: its bytes 0..7 (lo) and 8..11 (hi), zero-padded, or
// for a long id its first 8 bytes and 32 bits of its hash; meta is the
// length code (1..12, or longID) in the top 4 bits and node+1 below (0
// marks an empty slot).
type idSlot struct {
	lo   uint64
	hi   uint32
	meta uint32
}

// idKey is an id as the table compares it: its slot words, its length
// code, its hash. Short ids are wholly in lo and hi (see idBytes).
type idKey struct {
	h    uint64
	lo   uint64
	hi   uint32
	code uint32 // length code << 28
}

const nodeMask = 1<<28 - 1

func newIDTable(capacity int) *idTable {
	size := 1 << 10
	for size < 2*capacity {
		size <<= 1
	}
	return &idTable{slots: make([]idSlot, size), hmask: uint64(size/2 - 1), seed: rand.Uint64() | 1}
}

// reserve makes room for n ids without growing.
func (t *idTable) reserve(n int) {
	if 2*n <= len(t.slots) {
		return
	}
	size := len(t.slots)
	for size < 2*n {
		size <<= 1
	}
	old := t.slots
	t.slots = make([]idSlot, size)
	adviseHuge(t.slots)
	t.hmask = uint64(size/2 - 1)
	t.rehash(old)
}

// key computes an id's key (b is not empty). Short ids are read a word at
// a time (overlapping loads: a byte read twice lands on the same
// position), hashed with two multiply-xorshift rounds; long ones 8 bytes
// at a time. The random seed keeps crafted ids from colliding on purpose.
func (t *idTable) key(b []byte) idKey {
	n := len(b)
	if n > inlineID {
		h := t.hashLong(b)
		return idKey{h: h, lo: binary.LittleEndian.Uint64(b), hi: uint32(h >> 32), code: longID << 28}
	}
	var lo uint64
	var hi uint32
	switch {
	case n >= 8:
		lo = binary.LittleEndian.Uint64(b)
		hi = uint32(binary.LittleEndian.Uint64(b[n-8:]) >> (8 * (16 - n)) & 0xFFFFFFFF)
	case n >= 4:
		lo = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<(8*(n-4))
	default:
		for i, c := range b {
			lo |= uint64(c) << (8 * i)
		}
	}
	code := uint32(n) << 28
	h := mix(mix(lo^t.seed) ^ uint64(hi) ^ uint64(code)<<4)
	return idKey{h: h, lo: lo, hi: hi, code: code}
}

// hashLong hashes an id longer than inlineID, 8 bytes at a time.
func (t *idTable) hashLong(b []byte) uint64 {
	h := t.seed ^ uint64(len(b))*0x9E3779B97F4A7C15
	for len(b) >= 8 {
		h = mix(h ^ binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	var last uint64
	for i, c := range b {
		last |= uint64(c) << (8 * i)
	}
	return mix(h ^ last)
}

func mix(x uint64) uint64 {
	hi, lo := bits.Mul64(x, 0xD6E8FEB86659FD93)
	return hi ^ lo
}

// idBytes appends the bytes of a short id's key (code < longID) to dst.
func idBytes(dst []byte, k idKey) []byte {
	n := int(k.code >> 28)
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], k.lo)
	binary.LittleEndian.PutUint32(b[8:], k.hi)
	return append(dst, b[:n]...)
}

// id returns the bytes of node i's id.
func (t *idTable) id(i int32) []byte {
	a := int64(0)
	if i > 0 {
		a = t.ends[i-1]
	}
	return t.arena[a:t.ends[i]]
}

// home is the slot where a key of hash h starts its probe.
func (t *idTable) home(h uint64) uint64 { return (h>>63)*(t.hmask+1) + h&t.hmask }

// touch prefetches the slot where a key of hash h starts its probe, so
// that a batch of lookups waits for its cache misses together, not one by
// one.
func (t *idTable) touch(h uint64) { prefetch(&t.slots[t.home(h)]) }

// find returns the node of the key's id (id: its bytes, needed for a long
// one), or the slot where it would go.
func (t *idTable) find(k *idKey, id []byte) (node int32, slot uint64) {
	base := (k.h >> 63) * (t.hmask + 1)
	for j := k.h & t.hmask; ; j = (j + 1) & t.hmask {
		i := base + j
		s := &t.slots[i]
		if s.meta == 0 {
			return -1, i
		}
		if s.lo != k.lo || s.hi != k.hi || s.meta&^nodeMask != k.code {
			continue
		}
		node = int32(s.meta&nodeMask) - 1
		if k.code != longID<<28 || string(t.id(node)) == string(id) {
			return node, i
		}
	}
}

// lookup returns the node of the key's id, or -1.
func (t *idTable) lookup(k *idKey, id []byte) int32 {
	n, _ := t.find(k, id)
	return n
}

// add returns the node of the key's id (its bytes: id, needed for a long
// one), numbering it next when it is new; -1 when the table is full
// (maxIDs).
func (t *idTable) add(k *idKey, id []byte) (node int32, added bool) {
	n, slot := t.find(k, id)
	if n >= 0 {
		return n, false
	}
	if len(t.ends) >= maxIDs {
		return -1, false
	}
	node = int32(len(t.ends))
	if k.code == longID<<28 {
		t.arena = append(t.arena, id...)
	} else {
		t.arena = idBytes(t.arena, *k)
	}
	t.ends = append(t.ends, int64(len(t.arena)))
	t.slots[slot] = idSlot{lo: k.lo, hi: k.hi, meta: k.code | uint32(node+1)}
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	return node, true
}

// claim puts the key's id as node, whose bytes are already in the arena;
// it returns the node that already has the id, or -1. Claims of ids of
// different halves (h>>63) may run at once; the table must have room
// (reserve) and node must be below maxIDs.
func (t *idTable) claim(k *idKey, node int32) int32 {
	n, slot := t.find(k, t.id(node))
	if n >= 0 {
		return n
	}
	t.slots[slot] = idSlot{lo: k.lo, hi: k.hi, meta: k.code | uint32(node+1)}
	return -1
}

// grow doubles the table when every id of the arena is in it (as add
// keeps it): the ids are put back in node order, reading the arena once
// in order rather than at the random places the old slots point to, a
// batch at a time (their new slots prefetched together).
func (t *idTable) grow() {
	t.slots = make([]idSlot, 2*len(t.slots))
	adviseHuge(t.slots)
	t.hmask = uint64(len(t.slots)/2 - 1)
	var keys [256]idKey
	for from := 0; from < len(t.ends); from += len(keys) {
		to := min(from+len(keys), len(t.ends))
		for i := from; i < to; i++ {
			keys[i-from] = t.key(t.id(int32(i)))
			t.touch(keys[i-from].h)
		}
		for i := from; i < to; i++ {
			k := &keys[i-from]
			base, j := (k.h>>63)*(t.hmask+1), k.h&t.hmask
			for t.slots[base+j].meta != 0 {
				j = (j + 1) & t.hmask
			}
			t.slots[base+j] = idSlot{lo: k.lo, hi: k.hi, meta: k.code | uint32(i+1)}
		}
	}
}

// rehash moves the ids of old slots into t.slots.
func (t *idTable) rehash(old []idSlot) {
	for _, s := range old {
		if s.meta == 0 {
			continue
		}
		h := t.key(t.id(int32(s.meta&nodeMask) - 1)).h
		base, j := (h>>63)*(t.hmask+1), h&t.hmask
		for t.slots[base+j].meta != 0 {
			j = (j + 1) & t.hmask
		}
		t.slots[base+j] = s
	}
}

// strings returns every id, in node order, as substrings of one string.
func (t *idTable) strings() []string {
	all := string(t.arena)
	out := make([]string, len(t.ends))
	a := int64(0)
	for i, e := range t.ends {
		out[i] = all[a:e]
		a = e
	}
	return out
}
