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

.PHONY: run build test test-short vet imports bench bench-compare fuzz clean

run: build
	./$(BIN) serve --addr $(ADDR)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/coopchain

test: vet imports
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

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
