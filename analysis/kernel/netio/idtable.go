package netio

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// idTable numbers participant ids in order of first appearance. It is an
// open-addressing hash table whose 32-byte slots hold ids of up to 20
// bytes inline (INNs, OGRNs and most codes), so that a lookup in a table
// far larger than the cache costs one memory access, not the two or three
// of a map[string]int32 (slot, then the string's bytes elsewhere). Longer
// ids are compared in the arena. The ids are kept once, back to back.
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

const inlineID = 20

type idSlot struct {
	key  [inlineID]byte
	hash uint32 // high bits of the hash; 0 marks an empty slot
	node int32
	n    uint32 // id length
}

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

// hashID mixes 8 bytes at a time (a multiply-xorshift hash; the random
// seed keeps crafted ids from colliding on purpose).
func (t *idTable) hashID(b []byte) uint64 {
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

// id returns the bytes of node i's id.
func (t *idTable) id(i int32) []byte {
	a := int64(0)
	if i > 0 {
		a = t.ends[i-1]
	}
	return t.arena[a:t.ends[i]]
}

// touch prefetches the slot where an id of hash h starts its probe, so
// that a batch of lookups waits for its cache misses together, not one by
// one.
func (t *idTable) touch(h uint64) { prefetch(&t.slots[(h>>63)*(t.hmask+1)+h&t.hmask]) }

// find returns the node of id (whose hash is h), or the slot where it
// would go.
func (t *idTable) find(id []byte, h uint64) (node int32, slot uint64, h32 uint32) {
	h32 = uint32(h>>32) | 1
	base := (h >> 63) * (t.hmask + 1)
	for j := h & t.hmask; ; j = (j + 1) & t.hmask {
		i := base + j
		s := &t.slots[i]
		if s.hash == 0 {
			return -1, i, h32
		}
		if s.hash != h32 || s.n != uint32(len(id)) {
			continue
		}
		if len(id) <= inlineID {
			if bytes.Equal(s.key[:len(id)], id) {
				return s.node, i, h32
			}
		} else if bytes.Equal(s.key[:], id[:inlineID]) && bytes.Equal(t.id(s.node), id) {
			return s.node, i, h32
		}
	}
}

// lookup returns the node of id (of hash h), or -1.
func (t *idTable) lookup(id []byte, h uint64) int32 {
	n, _, _ := t.find(id, h)
	return n
}

// add returns the node of id (of hash h), numbering it next when it is
// new.
func (t *idTable) add(id []byte, h uint64) (node int32, added bool) {
	n, slot, h32 := t.find(id, h)
	if n >= 0 {
		return n, false
	}
	node = int32(len(t.ends))
	t.arena = append(t.arena, id...)
	t.ends = append(t.ends, int64(len(t.arena)))
	s := &t.slots[slot]
	s.hash, s.node, s.n = h32, node, uint32(len(id))
	copy(s.key[:], id)
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	return node, true
}

// claim puts id (of hash h) in the table as node, whose bytes are already
// in the arena; it returns the node that already has id, or -1. Claims of
// ids of different halves (h>>63) may run at once; the table must have
// room (reserve).
func (t *idTable) claim(id []byte, h uint64, node int32) int32 {
	n, slot, h32 := t.find(id, h)
	if n >= 0 {
		return n
	}
	s := &t.slots[slot]
	s.hash, s.node, s.n = h32, node, uint32(len(id))
	copy(s.key[:], id)
	return -1
}

func (t *idTable) grow() {
	old := t.slots
	t.slots = make([]idSlot, 2*len(old))
	t.hmask = uint64(len(old) - 1)
	t.rehash(old)
}

// rehash moves the ids of old slots into t.slots.
func (t *idTable) rehash(old []idSlot) {
	for _, s := range old {
		if s.hash == 0 {
			continue
		}
		h := t.hashID(t.id(s.node))
		base, j := (h>>63)*(t.hmask+1), h&t.hmask
		for t.slots[base+j].hash != 0 {
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
