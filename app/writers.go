package app

import (
	"context"
	"errors"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// writersOnly is the store as the use cases see it: a write whose context
// carries no writer (one not made through as) is refused rather than made
// as the process itself, which the store would allow everything.
type writersOnly struct{ gm.Store }

var errNoWriter = errors.New("a store write without a writer in its context")

func needWriter(ctx context.Context) error {
	if _, ok := gm.WriterFrom(ctx); !ok {
		return gm.Internal(errNoWriter, "write refused")
	}
	return nil
}

func (w writersOnly) Import(ctx context.Context, clusterID string, ds *gm.Dataset, opt gm.ImportOptions) (*gm.ImportResult, error) {
	if err := needWriter(ctx); err != nil {
		return nil, err
	}
	return w.Store.Import(ctx, clusterID, ds, opt)
}

func (w writersOnly) ImportIfVersion(ctx context.Context, clusterID string, ds *gm.Dataset, k gm.RecordKey, ifVersion int64) (*gm.ImportResult, error) {
	if err := needWriter(ctx); err != nil {
		return nil, err
	}
	return w.Store.ImportIfVersion(ctx, clusterID, ds, k, ifVersion)
}

func (w writersOnly) Delete(ctx context.Context, clusterID string, k gm.RecordKey, ifVersion int64) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.Delete(ctx, clusterID, k, ifVersion)
}

func (w writersOnly) SaveScenario(ctx context.Context, sc *gm.StoredScenario) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.SaveScenario(ctx, sc)
}

func (w writersOnly) DeleteScenario(ctx context.Context, clusterID, id string) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.DeleteScenario(ctx, clusterID, id)
}

func (w writersOnly) LoadSeed(ctx context.Context, seed *gm.Seed) (bool, error) {
	if err := needWriter(ctx); err != nil {
		return false, err
	}
	return w.Store.LoadSeed(ctx, seed)
}

func (w writersOnly) CreateCampaign(ctx context.Context, c gm.Campaign) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.CreateCampaign(ctx, c)
}

func (w writersOnly) SetCampaignStatus(ctx context.Context, clusterID, id, status string) (*gm.Campaign, error) {
	if err := needWriter(ctx); err != nil {
		return nil, err
	}
	return w.Store.SetCampaignStatus(ctx, clusterID, id, status)
}

func (w writersOnly) SaveSubmission(ctx context.Context, s *gm.StoredSubmission, from []string) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.SaveSubmission(ctx, s, from)
}

func (w writersOnly) AcceptSubmission(ctx context.Context, a gm.Acceptance) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.AcceptSubmission(ctx, a)
}

func (w writersOnly) ReplaceInvitation(ctx context.Context, inv gm.Invitation, t gm.Token) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.ReplaceInvitation(ctx, inv, t)
}
