#!/usr/bin/env bash
# make bench-admin-pg: the staff-area benchmarks of `make bench-admin` (the
# queue's store queries and pages, the reports) on PostgreSQL, on the same
# generated database of a million returns: the SQLite file is built as for
# bench-admin (BENCH_DB), then copied into a PostgreSQL cluster started here
# with its durable defaults (store.Copy, as `returns-portal copy` does, then
# ANALYZE). Both packages share the cluster, so the copy is made once. Not
# part of `make test`.
#   BENCH_DB (bench/admin-queue.db)  BENCH_RETURNS (1000000)  BENCH (the -bench pattern)
set -euo pipefail
ROOT=$PWD
BENCH_DB=${BENCH_DB:-$ROOT/bench/admin-queue.db}
BENCH_RETURNS=${BENCH_RETURNS:-1000000}
BENCH=${BENCH:-BenchmarkQueueStore|BenchmarkAdminQueue|BenchmarkAnalytics}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL is not installed: make deps"; exit 1; }
W=$(mktemp -d /tmp/bench-admin-pg-XXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$W"
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$W/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$W/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$W/pg" -l "$W/pg.log" -w \
  -o "-p $PORT -k $W -c listen_addresses=127.0.0.1" start >/dev/null
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (default settings)"

cd "$ROOT"
RETURNS_TEST_PG="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable" RETURNS_TEST_ENGINE=postgres \
RETURNS_BENCH_DB="$BENCH_DB" RETURNS_BENCH_RETURNS="$BENCH_RETURNS" \
  go test -p 1 -timeout 90m -run '^$' -bench "$BENCH" -benchmem ./store/ ./handlers/
