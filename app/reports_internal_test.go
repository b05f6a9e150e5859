package app

import (
	"context"
	"errors"
	"testing"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// blockingStore's ClusterData waits until its context ends, like a long
// analysis of a national network.
type blockingStore struct {
	gm.Store
	entered chan struct{}
}

func (b blockingStore) ClusterData(ctx context.Context, id string) (*gm.Dataset, error) {
	select {
	case b.entered <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// Cancelling a running job ends its computation, tells waiting requests,
// is not cached, and a new request starts a new job.
func TestCancelRunningJob(t *testing.T) {
	st := blockingStore{entered: make(chan struct{}, 1)}
	a := newAnalyzer(st, time.Minute, 0)
	cl := &gm.Cluster{ID: "big", Version: 7}
	e := a.start(cl, 0)
	<-st.entered
	if state, _, _ := e.state(); state != "running" {
		t.Fatalf("state %s", state)
	}
	waiter := make(chan error, 1)
	same := a.start(cl, 0) // a request that joins the running job
	if same != e {
		t.Fatal("a second request did not join the running job")
	}
	go func() {
		<-same.done
		waiter <- same.err
	}()
	if got, ok := a.job("big", e.id); !ok || got != e {
		t.Fatal("job not found")
	}
	if _, ok := a.job("other", e.id); ok {
		t.Error("job found through another cluster")
	}
	if err := a.cancelJob(e); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waiter:
		if gm.ErrorCode(err) != gm.EUNAVAILABLE || !errors.Is(err, context.Canceled) {
			t.Errorf("waiting request got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled job did not end")
	}
	<-e.done
	if state, _, _ := e.state(); state != "cancelled" {
		t.Errorf("state after cancel: %s", state)
	}
	if err := a.cancelJob(e); !errors.Is(err, errJobFinished) {
		t.Errorf("second cancel: %v", err)
	}
	e2 := a.start(cl, 0)
	if e2 == e || e2.id == e.id {
		t.Error("a cancelled job was reused")
	}
	a.cancelJob(e2)
	<-e2.done
	if rep, _ := a.latestReport("big"); rep != nil {
		t.Error("a cancelled job published a report")
	}
}
