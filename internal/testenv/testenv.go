// Package testenv finds what tests read from outside the module: the
// source documents and reference data in ../shared. Where they are absent a
// test is skipped — except under CI (COOPCHAIN_REQUIRE_SHARED=1, set by
// .ci/run), where a missing document is a failure, not a silent pass.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// Shared returns the first file matching pattern (a glob relative to the
// test's package directory), skipping the test when there is none, or
// failing it under COOPCHAIN_REQUIRE_SHARED=1.
func Shared(t testing.TB, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) > 0 {
		return m[0]
	}
	if os.Getenv("COOPCHAIN_REQUIRE_SHARED") != "" {
		t.Fatalf("%s is missing and COOPCHAIN_REQUIRE_SHARED is set: check out ../shared beside the project", pattern)
	}
	t.Skipf("%s not present (set COOPCHAIN_REQUIRE_SHARED=1 to fail instead)", pattern)
	return ""
}
