package app

import (
	"context"
	"sync"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// withData remembers, per store, which clusters hold participant data, for
// the data version it was counted at (the registry page asks on every
// visit; counting reads every cluster).
var withData struct {
	sync.Mutex
	byStore map[gm.Store]dataCount
}

type dataCount struct {
	version int64
	counts  map[string]int
}

// ClustersWithData returns the number of participants of every registry
// cluster that holds participant data (the registry's mark: its chain,
// niches and scenarios can be shown). Clusters without data are absent.
// Counts are computed once per data version.
func (a *App) ClustersWithData(ctx context.Context) (map[string]int, error) {
	v, err := a.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	withData.Lock()
	if c, ok := withData.byStore[a.store]; ok && c.version == v {
		withData.Unlock()
		return c.counts, nil
	}
	withData.Unlock()
	cs, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, c := range cs {
		ds, err := a.store.ClusterData(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if len(ds.Participants) > 0 {
			counts[c.ID] = len(ds.Participants)
		}
	}
	withData.Lock()
	defer withData.Unlock()
	if withData.byStore == nil || len(withData.byStore) > 64 { // tests open many stores
		withData.byStore = map[gm.Store]dataCount{}
	}
	withData.byStore[a.store] = dataCount{v, counts}
	return counts, nil
}
