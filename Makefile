# coopchain — common tasks. `make run` builds and serves on the embedded
# SQLite database; `make test` runs every test (what CI runs).
GO      ?= go
BIN     ?= bin/coopchain
ADDR    ?= 127.0.0.1:8080
PKGS    := ./...

.PHONY: run build test test-short vet imports tidy bench bench-compare fuzz clean

run: build
	./$(BIN) serve --addr $(ADDR)

build:
	$(GO) build -o $(BIN) ./cmd/coopchain

test: vet imports tidy
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

# tidy fails when go.mod or go.sum is not what `go mod tidy` would write
# (run `go mod tidy` and commit the result).
tidy:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }

# imports checks the dependency direction: graphmodel imports no other
# package of ours; analysis only graphmodel; server only graphmodel and
# analysis (and their subpackages); seeds only graphmodel.
imports:
	@$(GO) list -f '{{.ImportPath}} {{join .Imports " "}}' $(PKGS) | scripts/check-imports.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# bench-compare runs coopchain beside igraph and networkx on generated
# networks (10k/50k and 1M/10M) and prints medians and ratios.
bench-compare:
	bench/compare.sh --repeat 3 --large

clean:
	rm -rf bin
