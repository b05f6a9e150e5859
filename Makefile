# coopchain — common tasks. `make run` builds and serves on the embedded
# SQLite database and prints where to sign in and the demo cluster's
# address; `make test` runs every test (what CI runs).
GO      ?= go
BIN     ?= bin/coopchain
ADDR    ?= 127.0.0.1:8080
PKGS    := ./...
# VERSION is what `coopchain --version` prints (git describe, else the
# build information Go records).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

.PHONY: run build test test-short vet lint staticcheck funclen imports tidy bench bench-compare fuzz clean

run: build
	./$(BIN) serve --addr $(ADDR)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/coopchain

test: vet funclen imports tidy
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

# tidy fails when go.mod or go.sum is not what `go mod tidy` would write
# (run `go mod tidy` and commit the result).
tidy:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }

# lint: go vet, staticcheck (fetched through the module proxy at a pinned
# version) and the function-length limit (no function over 100 lines
# outside tests and generated code).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet staticcheck funclen

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

funclen:
	$(GO) run ./scripts/funclen .

# imports checks the dependency direction (see scripts/check-imports.sh and
# the package diagram in README.md): the domain imports nothing of ours,
# analysis and the HTTP packages no storage or file-format adapter.
imports:
	@$(GO) list -f '{{.ImportPath}} {{join .Imports " "}}' $(PKGS) | scripts/check-imports.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# bench-compare runs coopchain beside graph-tool and igraph on generated
# networks (10k/50k three times, 1M/10M once) and prints one table of
# medians, ratios and the targets of issue #19 (a few minutes).
bench-compare:
	bench/compare.sh --repeat 3 --large

clean:
	rm -rf bin
