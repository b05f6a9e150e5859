package main

import (
	"context"
	"errors"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	return errors.New("export: not implemented yet")
}

func cmdTemplate(ctx context.Context, e *env, args []string) error {
	return errors.New("template: not implemented yet")
}
