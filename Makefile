# Returns Portal. `make run` serves the demo; `make test` is everything CI runs.
GO ?= go
# mattn/go-sqlite3 and -race need cgo: never build with CGO_ENABLED=0.
export CGO_ENABLED = 1
BIN := bin/returns-portal
ADDR ?= 127.0.0.1:8080
DB ?= data/returns.db

.PHONY: run build deps test lint fmt-check generate generate-check unit bench bench-compare bench-memory fuzz clean

run: build
	./$(BIN) serve --demo --addr $(ADDR) --db $(DB)

build:
	$(GO) build -o $(BIN) .

# The label tests read PDFs with poppler's pdftotext/pdfinfo/pdftoppm; the
# browser tests (e2e/) drive Debian's chromium; the store's and the handlers'
# tests run again on a throwaway PostgreSQL cluster (internal/pgtest) that
# they start with Debian's postgresql (or on RETURNS_TEST_PG, a URL).
deps:
	command -v pdftotext >/dev/null || (apt-get update && apt-get install -y --no-install-recommends poppler-utils)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends postgresql)

test: deps lint generate-check unit

# The browser tests (e2e) take minutes on a loaded 2-core machine: more than
# go test's default 10-minute limit per package would allow for safety.
unit:
	$(GO) test -race -count=1 -timeout 30m ./...

lint: fmt-check
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go') $$(git ls-files --others --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

generate:
	$(GO) tool templ generate

# Generated templ code is committed; regenerating must change nothing.
generate-check: generate
	@if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "templ generate changed files (commit them):"; git status --porcelain -- '*_templ.go'; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./returns/ ./handlers/ ./labels/ ./store/ ./service/

# The portal against a bare Echo + templ + SQLite server, in one run on this
# machine (../shared/bench/compare.sh; not part of `make test`): each
# endpoint's req/s and p99 at 16 and 64 connections and its ratio to the
# baseline. SYNC=FULL (the default here, as the portal's) makes the baseline
# write with synchronous=FULL too, so that writes compare like with like.
# The script lies in the shared folder next to the checkout (../shared), or
# next to the folder of worktrees (../../shared from wt/<name>).
SYNC ?= FULL
COMPARE ?= $(firstword $(wildcard ../shared/bench/compare.sh ../../shared/bench/compare.sh))
bench-compare:
	@test -n "$(COMPARE)" || { echo "compare.sh not found: set COMPARE=path/to/compare.sh"; exit 1; }
	SYNC=$(SYNC) bash $(COMPARE)

# Where the memory goes under compare.sh's load: the server's anonymous
# memory (Go, SQLite and malloc) apart from its executable's pages, phase by
# phase (scripts/bench-memory.sh; not part of `make test`).
bench-memory:
	bash scripts/bench-memory.sh

# Fuzz the API's input parsing for a while (the seed corpus runs in `make test`).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLookupInput -fuzztime $(FUZZTIME) ./handlers/
	$(GO) test -run '^$$' -fuzz FuzzCreateInput -fuzztime $(FUZZTIME) ./handlers/

clean:
	rm -rf bin

# The staff queue on a million returns (not part of `make test`): the database
# is built once into $(BENCH_DB) (again when the schema changes), then the
# store queries and the whole page through the app are timed. -p 1: one
# package at a time, so that they neither build the file twice nor share the CPU.
# bench-admin-pg runs the same benchmarks on a copy of that file in PostgreSQL.
BENCH_DB ?= $(CURDIR)/bench/admin-queue.db
BENCH_RETURNS ?= 1000000
.PHONY: bench-admin bench-admin-pg bench-analytics bench-pg
bench-admin:
	RETURNS_TEST_ENGINE=sqlite RETURNS_BENCH_DB=$(BENCH_DB) RETURNS_BENCH_RETURNS=$(BENCH_RETURNS) \
		$(GO) test -p 1 -timeout 60m -run '^$$' -bench 'BenchmarkQueueStore|BenchmarkAdminQueue|BenchmarkAnalytics' -benchmem ./store/ ./handlers/

bench-admin-pg:
	BENCH_DB=$(BENCH_DB) BENCH_RETURNS=$(BENCH_RETURNS) bash scripts/bench-admin-pg.sh

# The seven reports on the same database (every filter, 90 days, a year, two
# years), through the app; the budget is 100 ms a page. ANALYTICS narrows
# them, e.g. ANALYTICS=overview/90d.
ANALYTICS ?= .
bench-analytics:
	RETURNS_TEST_ENGINE=sqlite RETURNS_BENCH_DB=$(BENCH_DB) RETURNS_BENCH_RETURNS=$(BENCH_RETURNS) \
		$(GO) test -p 1 -timeout 60m -run '^$$' -bench 'BenchmarkAnalytics/$(ANALYTICS)' -benchmem ./handlers/

# Create-return and item-page throughput on PostgreSQL with one and three
# instances against SQLite with one, the same data in both (not part of
# `make test`; scripts/bench-pg.sh says what it measures). ORDERS, DUR and C
# size it.
bench-pg:
	bash scripts/bench-pg.sh
