package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash test runs `coopchain serve` as a separate process so that it
// can kill it: the test binary re-executes itself into TestHelperProcess,
// which runs the command given after "--".

const helperEnv = "COOPCHAIN_TEST_HELPER_PROCESS"

// TestHelperProcess is not a test: it is the child process of the crash
// test (it skips in a normal run).
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("the child process of the crash test")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "coopchain:", err)
		os.Exit(exitCode(err))
	}
	os.Exit(0)
}

// child is a `coopchain` process.
type child struct {
	cmd   *exec.Cmd
	URL   string // base URL once serve listens
	Token string // the bootstrap admin token, when it printed one

	mu   sync.Mutex
	log  strings.Builder
	done chan error
}

var (
	listenRe = regexp.MustCompile(`url=(http://\S+?)/?(\s|$)`)
	tokenRe  = regexp.MustCompile(`Authorization: Bearer (\S+)`)
)

// startServe starts `coopchain serve` on the database in a child process and
// waits until it listens.
func startServe(t *testing.T, dsn string, extra ...string) *child {
	t.Helper()
	args := append([]string{"-test.run=^TestHelperProcess$", "--", "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--create-dirs", "--rate-token", "-1", "--rate-ip", "-1"}, extra...)
	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), helperEnv+"=1")
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Kill() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.log.WriteString(line + "\n")
			if m := tokenRe.FindStringSubmatch(line); m != nil {
				c.Token = m[1]
			}
			if m := listenRe.FindStringSubmatch(line); m != nil && !signalled {
				c.URL = m[1]
				signalled = true
				close(ready)
			}
			c.mu.Unlock()
		}
		c.done <- c.cmd.Wait()
	}()
	select {
	case <-ready:
		return c
	case err := <-c.done:
		c.done <- err
		t.Fatalf("serve exited: %v\n%s", err, c.Log())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not start\n%s", c.Log())
	}
	return nil
}

// Log returns what the child wrote to stderr.
func (c *child) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.String()
}

// Kill sends SIGKILL (kill -9) and waits for the process to end.
func (c *child) Kill() {
	c.cmd.Process.Signal(syscall.SIGKILL) // an error when it has ended already
	err := <-c.done
	c.done <- err
}

// Stop asks the server to shut down (SIGTERM) and waits.
func (c *child) Stop(t *testing.T) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		c.done <- err
		if err != nil {
			t.Errorf("serve: %v\n%s", err, c.Log())
		}
	case <-time.After(time.Minute):
		c.Kill()
		t.Errorf("serve did not stop on SIGTERM\n%s", c.Log())
	}
}
