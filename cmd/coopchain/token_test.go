package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// A participant token names its cluster and one of its participants.
func TestTokenCreateParticipant(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	pcsv, lcsv := sqltest.ChainCSV("p", 3, 2)
	os.WriteFile(filepath.Join(data, "participants.csv"), []byte(pcsv), 0o644)
	os.WriteFile(filepath.Join(data, "links.csv"), []byte(lcsv), 0o644)
	if out, err := cli(t, "import", "--db", db, "--cluster", "demo", data); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := cli(t, "token", "create", "--db", db, "--role", "participant", "--cluster", "demo", "--participant", "p00001")
	if err != nil || !strings.HasPrefix(out, "cc_") || !strings.Contains(out, "participant p00001") {
		t.Fatalf("participant token: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"--role", "participant", "--cluster", "demo"},                            // no participant
		{"--role", "viewer", "--cluster", "demo", "--participant", "p00001"},      // a participant on another role
		{"--role", "participant", "--cluster", "demo", "--participant", "nobody"}, // not in the cluster
	} {
		if out, err := cli(t, append([]string{"token", "create", "--db", db}, args...)...); err == nil {
			t.Errorf("%v: accepted\n%s", args, out)
		}
	}
	if out, _ := cli(t, "token", "list", "--db", db); !strings.Contains(out, "p00001") {
		t.Errorf("token list: %s", out)
	}
}
