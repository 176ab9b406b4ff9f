#!/usr/bin/env bash
# make bench-pg: the portal's create-return and item-page throughput on
# PostgreSQL with one and with three instances, against SQLite with one, on
# the same data (ORDERS orders of 10 lines, imported into both), on this
# machine. Not part of `make test`.
#
# Uses the load generator and request builder of ../shared/bench/load
# (LOAD_DIR). PostgreSQL runs with its durable defaults (fsync, synchronous
# commit), as SQLite runs with synchronous=FULL. Each instance has
# GOMAXPROCS=1; the three instances, PostgreSQL and the load share the
# machine's cores, so "3 instances" measures contention on one machine,
# not the scaling of three machines.
#   ORDERS (100000)  DUR (10s) per run  C (32) connections in total
#   TOKENS (20000)   lookups whose tokens the page and create requests use
set -euo pipefail
ROOT=$PWD
LOAD_DIR=${LOAD_DIR:-$(cd "$ROOT/../shared/bench/load" 2>/dev/null || cd "$ROOT/../../shared/bench/load"; pwd)}
ORDERS=${ORDERS:-100000}; DUR=${DUR:-10s}; C=${C:-32}; TOKENS=${TOKENS:-20000}
W=$(mktemp -d /tmp/bench-pg-XXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL is not installed: make deps"; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$W"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$W/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

echo "building into $W"
(cd "$ROOT" && CGO_ENABLED=1 go build -o "$W/portal" .)
(cd "$LOAD_DIR" && go build -o "$W/load" ./load && go build -o "$W/prep" ./prep)
cd "$W"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$W/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$W/pg" -l "$W/pg.log" -w \
  -o "-p $PORT -k $W -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bench
PG="postgres://postgres@127.0.0.1:$PORT/bench?sslmode=disable"

./prep orders -n "$ORDERS" > orders.jsonl
for db in p.db "$PG"; do
  ./portal migrate --db "$db" >/dev/null; ./portal seed demo --db "$db" >/dev/null
  t0=$(date +%s.%N); ./portal import orders orders.jsonl --db "$db" >/dev/null; t1=$(date +%s.%N)
  python3 -c "print('import $ORDERS orders into %s: %.1f s (%.0f orders/s)' % ('${db%%:*}' if '$db'.startswith('postgres') else 'sqlite', $t1-$t0, $ORDERS/($t1-$t0)))"
done

SECRET=bench-secret-0123456789abcdef0123456789
up() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "not up: $1"; exit 1; }
# run NAME DB INSTANCES: start the instances, build the requests through the
# first, split them round-robin over the instances, load all at once.
run() {
  local name=$1 db=$2 n=$3 ports=() started=()
  for i in $(seq 1 "$n"); do
    local port=$((18100 + i))
    GOMAXPROCS=1 ./portal serve --addr "127.0.0.1:$port" --db "$db" --base-url "http://127.0.0.1:18101" --secret "$SECRET" \
      --lookup-limit-ip 0 --lookup-limit-order 0 > "$name-$i.log" 2>&1 &
    PIDS+=($!); started+=($!); ports+=("$port")
  done
  for p in "${ports[@]}"; do up "http://127.0.0.1:$p/healthz"; done
  mkdir -p "req-$name"
  ./prep project -base http://127.0.0.1:18101 -n "$ORDERS" -k "$TOKENS" -dir "req-$name" 2>/dev/null
  for e in page create; do
    for i in $(seq 1 "$n"); do
      awk -v n="$n" -v i="$i" 'NR % n == i % n' "req-$name/$e.jsonl" > "req-$name/$e-$i.jsonl"
    done
    local loads=()
    for i in $(seq 1 "$n"); do
      ./load -base "http://127.0.0.1:${ports[$((i-1))]}" -f "req-$name/$e-$i.jsonl" -c $((C / n)) -d "$DUR" \
        -name "$name/$e" >> results.jsonl &
      loads+=($!)
    done
    wait "${loads[@]}"
  done
  for p in "${started[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
}
run sqlite-1 p.db 1
run postgres-1 "$PG" 1
run postgres-3 "$PG" 3

python3 - results.jsonl <<'PY'
import json, sys, collections
agg = collections.OrderedDict()
for l in open(sys.argv[1]):
    r = json.loads(l)
    ok = r["rps"] * sum(v for k, v in r["status"].items() if k.startswith(("2", "3"))) / max(1, sum(r["status"].values()))
    a = agg.setdefault(r["name"], {"ok": 0.0, "p50": [], "p99": [], "c": 0})
    a["ok"] += ok; a["p50"].append(r["p50_ms"]); a["p99"].append(r["p99_ms"]); a["c"] += r["c"]
print("| run / endpoint | connections | req/s (2xx) | p50 ms | p99 ms (worst instance) |")
print("|---|---|---|---|---|")
for n, a in agg.items():
    print("| %s | %d | %.0f | %.1f | %.0f |" % (n, a["c"], a["ok"], sum(a["p50"]) / len(a["p50"]), max(a["p99"])))
PY
