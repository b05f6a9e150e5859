package main

import (
	"context"
	"errors"
)

func cmdRender(ctx context.Context, e *env, args []string) error {
	return errors.New("render: not implemented yet")
}
