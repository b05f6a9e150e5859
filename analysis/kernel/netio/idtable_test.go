package netio

import (
	"bytes"
	"fmt"
	"testing"
)

// tableIDs are ids of every length the slots hold inline and beyond, ids
// that differ only in a zero byte or in their length, and ids that share
// their first 8 or 12 bytes.
func tableIDs() [][]byte {
	var ids [][]byte
	for n := 1; n <= 24; n++ {
		ids = append(ids, bytes.Repeat([]byte{'a'}, n), bytes.Repeat([]byte{0}, n), append(bytes.Repeat([]byte{'a'}, n-1), 0))
		ids = append(ids, append(bytes.Repeat([]byte{0}, n-1), 'a'))
	}
	for i := 0; i < 3000; i++ {
		ids = append(ids, fmt.Appendf(nil, "f%07d", i), fmt.Appendf(nil, "77%011d", i), fmt.Appendf(nil, "7700000000000-%d", i), fmt.Appendf(nil, "%d", i))
	}
	ids = append(ids, []byte("ИНН 7701234567"), []byte("\xff\xfe\x00\x01"))
	seen := map[string]bool{}
	out := ids[:0]
	for _, id := range ids {
		if !seen[string(id)] {
			seen[string(id)] = true
			out = append(out, id)
		}
	}
	return out
}

// The table numbers ids in order of first appearance, finds each again
// (through its growth), tells unknown ids apart and keeps every id's
// bytes, whether it is held in the slot or only in the arena.
func TestIDTableShortAndLongIDs(t *testing.T) {
	ids := tableIDs()
	tab := newIDTable(1)
	for i, id := range ids {
		k := tab.key(id)
		node, added := tab.add(&k, id)
		if !added || node != int32(i) {
			t.Fatalf("add %q: node %d added %v, want %d true", id, node, added, i)
		}
		if k.code != longID<<28 && !bytes.Equal(idBytes(nil, k), id) {
			t.Fatalf("idBytes(key(%q)) = %q", id, idBytes(nil, k))
		}
	}
	for i, id := range ids {
		k := tab.key(id)
		if got := tab.lookup(&k, id); got != int32(i) {
			t.Fatalf("lookup %q = %d, want %d", id, got, i)
		}
		if again, added := tab.add(&k, id); added || again != int32(i) {
			t.Fatalf("second add %q = %d %v", id, again, added)
		}
		if !bytes.Equal(tab.id(int32(i)), id) {
			t.Fatalf("id(%d) = %q, want %q", i, tab.id(int32(i)), id)
		}
	}
	for _, id := range [][]byte{[]byte("f9999999"), []byte("a\x00\x00"), bytes.Repeat([]byte{'a'}, 25), []byte("7700000000000-99999"), []byte("77000000000003000")} {
		k := tab.key(id)
		if got := tab.lookup(&k, id); got != -1 {
			t.Fatalf("lookup of unknown %q = %d (%q)", id, got, tab.id(got))
		}
	}
	strs := tab.strings()
	for i, id := range ids {
		if strs[i] != string(id) {
			t.Fatalf("strings()[%d] = %q, want %q", i, strs[i], id)
		}
	}
}

// Claims on the two halves of a reserved table at once find the same
// nodes as adds one at a time, and a second claim of an id reports the
// node that has it.
func TestIDTableClaim(t *testing.T) {
	ids := tableIDs()
	tab := newIDTable(1)
	var hashes []uint64
	for _, id := range ids {
		tab.arena = append(tab.arena, id...)
		tab.ends = append(tab.ends, int64(len(tab.arena)))
		hashes = append(hashes, tab.key(id).h)
	}
	tab.reserve(len(ids))
	if !claimIDs(tab, hashes) {
		t.Fatal("claimIDs found a duplicate among distinct ids")
	}
	for i, id := range ids {
		k := tab.key(id)
		if got := tab.lookup(&k, id); got != int32(i) {
			t.Fatalf("lookup %q = %d, want %d", id, got, i)
		}
		if got := tab.claim(&k, int32(i)); got != int32(i) {
			t.Fatalf("claim of a claimed id %q = %d, want %d", id, got, i)
		}
	}
	dup := newIDTable(4)
	for _, id := range [][]byte{[]byte("x1"), []byte("x2"), []byte("x1")} {
		dup.arena = append(dup.arena, id...)
		dup.ends = append(dup.ends, int64(len(dup.arena)))
	}
	var dh []uint64
	for i := range dup.ends {
		dh = append(dh, dup.key(dup.id(int32(i))).h)
	}
	if claimIDs(dup, dh) {
		t.Fatal("claimIDs missed a duplicate id")
	}
}

// Ids whose hashes collide (forced here: every key starts its probe at
// the same slot) are told apart by their bytes and lengths.
func TestIDTableCollisions(t *testing.T) {
	ids := tableIDs()[:200]
	tab := newIDTable(len(ids))
	key := func(id []byte) idKey {
		k := tab.key(id)
		k.h = 12345
		if k.code == longID<<28 {
			k.hi = 6789 // the hash bits a long id keeps in its slot
		}
		return k
	}
	for i, id := range ids {
		k := key(id)
		if node, added := tab.add(&k, id); !added || node != int32(i) {
			t.Fatalf("add %q: node %d added %v, want %d true", id, node, added, i)
		}
	}
	for i, id := range ids {
		k := key(id)
		if got := tab.lookup(&k, id); got != int32(i) {
			t.Fatalf("lookup %q = %d, want %d", id, got, i)
		}
	}
	k := key([]byte("a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	if got := tab.lookup(&k, []byte("a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")); got != -1 {
		t.Fatalf("lookup of an unknown id = %d (%q)", got, tab.id(got))
	}
}
