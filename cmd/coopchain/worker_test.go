package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets this test binary serve as the diagram worker: serve and
// render start os.Executable() with the argument render-worker.
func TestMain(m *testing.M) {
	if len(os.Args) == 2 && os.Args[1] == renderWorkerCommand {
		if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "coopchain:", err)
			os.Exit(exitCode(err))
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// render draws through a render-worker child process.
func TestRenderThroughWorker(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"svg", "png"} {
		out := filepath.Join(dir, "cluster."+format)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"render", "--in", "../../seeds/data/clusters/ru-031", "--format", format, "--out", out}, func(string) string { return "" }, nil, &stdout, &stderr)
		if err != nil {
			t.Fatalf("render %s: %v\n%s", format, err, stderr.String())
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if format == "svg" && !bytes.Contains(data, []byte("<svg")) || format == "png" && !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("%s: %.40q", format, data)
		}
	}
	// The hidden command is not listed, and takes no arguments.
	var usage bytes.Buffer
	printUsage(&usage)
	if strings.Contains(usage.String(), renderWorkerCommand) {
		t.Error("render-worker is listed in the usage")
	}
	if err := run(context.Background(), []string{renderWorkerCommand, "x"}, os.Getenv, nil, &bytes.Buffer{}, &bytes.Buffer{}); exitCode(err) != 2 {
		t.Errorf("render-worker with an argument: %v", err)
	}
}
