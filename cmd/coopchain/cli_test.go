package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs coopchain with args and returns its standard output and
// error and the error run returned.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// Every command answers -h and --help on standard output with what it does,
// its flags and examples, and ends with status 0; so do "help COMMAND" and
// the token subcommands.
func TestHelpOfEveryCommand(t *testing.T) {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	names = append(names, "token create", "token list", "token revoke")
	for _, name := range names {
		for _, flag := range []string{"-h", "--help"} {
			args := append(strings.Fields(name), flag)
			out, errOut, err := runCLI(t, args...)
			if err != nil {
				t.Errorf("%v: %v (stderr %q)", args, err, errOut)
				continue
			}
			d := docs[name]
			for _, want := range []string{"Usage:\n  coopchain " + d.usage, "Examples:\n  coopchain ", strings.Fields(d.text)[0]} {
				if !strings.Contains(out, want) {
					t.Errorf("%v: help lacks %q:\n%s", args, want, out)
				}
			}
			if strings.Contains(out+errOut, "help requested") {
				t.Errorf("%v: %q", args, out+errOut)
			}
		}
	}
	out, _, err := runCLI(t, "help", "token", "create")
	if err != nil || !strings.Contains(out, "coopchain token create — ") || !strings.Contains(out, "-role") || strings.Contains(out, "-format") {
		t.Errorf("help token create: %v\n%s", err, out)
	}
	// token list's help shows its own flags, not create's.
	out, _, _ = runCLI(t, "token", "list", "-h")
	if strings.Contains(out, "-role") || !strings.Contains(out, "-db") {
		t.Errorf("token list -h shows other flags:\n%s", out)
	}
	out, _, err = runCLI(t, "--help")
	if err != nil || !strings.Contains(out, "Commands:") {
		t.Errorf("--help: %v\n%s", err, out)
	}
	// A wrong flag is still a usage error (status 2), pointing to the help.
	_, errOut, err := runCLI(t, "analyze", "--nope")
	if exitCode(err) != 2 || !strings.Contains(errOut, "Run 'coopchain analyze -h'") {
		t.Errorf("unknown flag: %v, %q", err, errOut)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-v"}} {
		out, _, err := runCLI(t, args...)
		if err != nil || !strings.HasPrefix(out, "coopchain ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: %v %q", args, err, out)
		}
	}
	version = "v9.9.9"
	defer func() { version = "" }()
	if out, _, _ := runCLI(t, "--version"); !strings.HasPrefix(out, "coopchain v9.9.9") {
		t.Errorf("-ldflags version not shown: %q", out)
	}
}

// Commands that work on an existing database refuse a path that names no
// file, and leave nothing behind.
func TestMissingDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"token", "list", "--db", missing},
		{"token", "create", "--db", missing, "--role", "viewer"},
		{"token", "revoke", "--db", missing, "abc"},
		{"export", "--db", missing, "--cluster", "ru-031", "--format", "json", "--out", filepath.Join(dir, "out.json")},
		{"backup", "--db", missing, "--out", filepath.Join(dir, "b.gz")},
	} {
		_, _, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "no database at "+missing) {
			t.Errorf("%v: %v", args, err)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created %s", args, missing)
		}
	}
}

// serve refuses a --db in a folder that does not exist unless --create-dirs.
func TestServeMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	_, _, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db"))
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "--create-dirs") {
		t.Errorf("serve into a missing folder: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder was created")
	}
}

// serve tells where to sign in and which cluster to open (make run).
func TestServePrintsWhereToSignIn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	addrc, done := make(chan string, 1), make(chan error, 1)
	e := &env{getenv: func(string) string { return "" }, stdout: &bytes.Buffer{}, stderr: &stderr, ready: func(a string) { addrc <- a }}
	db := filepath.Join(t.TempDir(), "new", "coopchain.db")
	go func() {
		done <- runEnv(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--create-dirs"}, e)
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	for _, want := range []string{"http://" + addr + "/login?next=/clusters/ru-031", "Demo cluster: http://" + addr + "/clusters/ru-031 (Алюминиевый кластер)", "Authorization: Bearer cc_", "coopchain token create --db " + db + " --role editor --cluster ru-031"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve's output lacks %q:\n%s", want, out)
		}
	}
}

// analyze --format table names the participants beside their ids and
// groups digits.
func TestAnalyzeTable(t *testing.T) {
	out, _, err := runCLI(t, "analyze", "--in", "../../seeds/data/clusters/ru-031", "--format", "table")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ООО «РИАК» (alu-riak)", "2,979,000,000 RUB supplied inside", "1,550,000,000", "Термовставки полиамидные (профили фасонные из пластмасс) (22.21.10)  223,000,000", "61.2%"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
