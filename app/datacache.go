package app

import (
	lru "container/list"
	"context"
	"errors"
	"sync"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// dataCache keeps clusters' datasets by (cluster, data version), so that
// lists and cross-cluster views read a cluster's data once per version
// without waiting for its analysis. Concurrent loads of the same key share
// one read; failures are not kept.
type dataCache struct {
	src interface {
		ClusterData(context.Context, string) (*gm.Dataset, error)
	}
	max   int
	mu    sync.Mutex
	items map[dataKey]*lru.Element
	order *lru.List // of *dataEntry, most recently used first
}

type dataKey struct {
	cluster string
	version int64
}

type dataEntry struct {
	key  dataKey
	done chan struct{}
	ds   *gm.Dataset
	err  error
}

func newDataCache(src interface {
	ClusterData(context.Context, string) (*gm.Dataset, error)
}, max int) *dataCache {
	return &dataCache{src: src, max: max, items: map[dataKey]*lru.Element{}, order: lru.New()}
}

// get returns the cluster's dataset at its current version. The read runs
// on the context of the caller that started it; a waiter whose read was
// ended by another caller's cancellation starts its own.
func (c *dataCache) get(ctx context.Context, cl *gm.Cluster) (*gm.Dataset, error) {
	for {
		ds, err := c.getOnce(ctx, cl)
		if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) && ctx.Err() == nil {
			continue
		}
		return ds, err
	}
}

func (c *dataCache) getOnce(ctx context.Context, cl *gm.Cluster) (*gm.Dataset, error) {
	k := dataKey{cl.ID, cl.Version}
	c.mu.Lock()
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*dataEntry)
		c.mu.Unlock()
		select {
		case <-e.done:
			return e.ds, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &dataEntry{key: k, done: make(chan struct{})}
	c.items[k] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*dataEntry).key)
	}
	c.mu.Unlock()
	e.ds, e.err = c.src.ClusterData(ctx, cl.ID)
	if e.err != nil {
		c.mu.Lock()
		if el, ok := c.items[k]; ok && el.Value.(*dataEntry) == e {
			c.order.Remove(el)
			delete(c.items, k)
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.ds, e.err
}
