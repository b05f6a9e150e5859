# coopchain — common tasks. `make run` builds and serves on the embedded
# SQLite database; `make test` runs every test (what CI runs).
GO      ?= go
BIN     ?= bin/coopchain
ADDR    ?= 127.0.0.1:8080
PKGS    := ./...

.PHONY: run build test test-short vet imports bench fuzz clean

run: build
	./$(BIN) serve --addr $(ADDR)

build:
	$(GO) build -o $(BIN) ./cmd/coopchain

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

clean:
	rm -rf bin
