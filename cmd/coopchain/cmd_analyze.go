package main

import (
	"context"
	"errors"
)

func cmdAnalyze(ctx context.Context, e *env, args []string) error {
	return errors.New("analyze: not implemented yet")
}

func cmdLQ(ctx context.Context, e *env, args []string) error {
	return errors.New("lq: not implemented yet")
}
