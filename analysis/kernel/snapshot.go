package kernel

import (
	"sync"
	"sync/atomic"
	"time"
)

// Snapshot is an immutable graph made for analysis from one version of the
// data: dense integer node ids 0..N-1 (IDs maps them back to participant
// ids), CSR arrays for out- and in-edges, float64 weights. It is never
// changed after it is built: when the data changes a new snapshot is built
// and published in a Current, so that readers never wait for a rebuild.
type Snapshot struct {
	Graph    *Graph
	IDs      []string // node → participant id
	Weighted bool     // edge weights are values (else every edge weighs 1)
	Year     int      // the year whose links were kept (0: no year in the data)
	Rows     int      // link rows read
	RowsUsed int      // link rows of the year kept
	// Version is the data version the snapshot was built from (set by the
	// owner; Current.Publish never replaces a snapshot by an older one).
	Version int64
	Built   time.Time
	posOnce sync.Once
	pos     map[string]int32 // id → node, made on the first Node call when nil
}

// NewSnapshot makes a snapshot of n nodes named ids from an edge list (see
// Build).
func NewSnapshot(ids []string, src, dst []int32, w []float64, version int64) *Snapshot {
	pos := make(map[string]int32, len(ids))
	for i, id := range ids {
		pos[id] = int32(i)
	}
	return &Snapshot{Graph: Build(len(ids), src, dst, w), IDs: ids, Weighted: w != nil, Rows: len(src), RowsUsed: len(src), Version: version, Built: time.Now(), pos: pos}
}

// Node returns the node of a participant id.
func (s *Snapshot) Node(id string) (int32, bool) {
	s.posOnce.Do(func() {
		if s.pos == nil {
			s.pos = make(map[string]int32, len(s.IDs))
			for i, id := range s.IDs {
				s.pos[id] = int32(i)
			}
		}
	})
	v, ok := s.pos[id]
	return v, ok
}

// Current holds the latest snapshot of something that is rebuilt when its
// data changes (a network, a cluster's report): Load never blocks and never
// sees a half-built value; Publish swaps a new one in atomically.
type Current[T any] struct {
	p atomic.Pointer[versioned[T]]
}

type versioned[T any] struct {
	v       *T
	version int64
}

// Load returns the latest published value and its version (nil, 0 before
// the first Publish).
func (c *Current[T]) Load() (*T, int64) {
	x := c.p.Load()
	if x == nil {
		return nil, 0
	}
	return x.v, x.version
}

// Publish makes v the current value unless a value of a newer version is
// already published (a slow rebuild of old data never replaces a newer
// one). It reports whether v was published.
func (c *Current[T]) Publish(v *T, version int64) bool {
	nv := &versioned[T]{v, version}
	for {
		old := c.p.Load()
		if old != nil && old.version > version {
			return false
		}
		if c.p.CompareAndSwap(old, nv) {
			return true
		}
	}
}
