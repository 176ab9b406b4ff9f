#!/usr/bin/env bash
# make bench-memory: where the portal's memory goes under compare.sh's load.
# Not part of `make test`.
#
# compare.sh reports the server's peak RSS (VmHWM), which mixes two kinds of
# pages: the executable's own (file-backed, shared page cache; this kernel
# maps a freshly written binary's page cache in 2 MB huge pages, so the
# figure swings by 10-20 MB from run to run with the cache's state) and the
# process's own memory (anonymous: Go's heap and stacks, SQLite and malloc).
# This runs compare.sh's sequence of the portal's endpoints (no baseline) on
# one core and samples both twice a second, and prints each phase's split:
#   C   anonymous mappings above 0x7f00... (glibc's malloc arenas and mmaps:
#       SQLite; thread stacks)
#   Go  the other anonymous mappings (Go's heap, and malloc's brk heap)
#   file the executable's mappings (its data pages written at start included)
# then the peaks of anonymous and file-backed memory. The server's log is
# kept in the work directory, which is printed. ORDERS (50000), DUR (10s).
set -euo pipefail
ROOT=$PWD
LOAD_DIR=${LOAD_DIR:-$(cd "$ROOT/../shared/bench/load" 2>/dev/null || cd "$ROOT/../../shared/bench/load"; pwd)}
ORDERS=${ORDERS:-50000}; DUR=${DUR:-10s}
W=$(mktemp -d /tmp/bench-memory-XXXX)
echo "building into $W (kept: the server's log is portal.log)"
(cd "$ROOT" && CGO_ENABLED=1 go build -o "$W/portal" .)
(cd "$LOAD_DIR" && go build -o "$W/load" ./load && go build -o "$W/prep" ./prep)
cd "$W"; mkdir -p req
./portal migrate --db p.db >/dev/null; ./portal seed demo --db p.db >/dev/null
./prep orders -n "$ORDERS" | ./portal import orders - --db p.db

GOMAXPROCS=1 taskset -c 1 ./portal serve --addr 127.0.0.1:18190 --db p.db --base-url http://127.0.0.1:18190 \
  --lookup-limit-ip 0 --lookup-limit-order 0 > portal.log 2>&1 &
PP=$!
trap 'kill $PP 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:18190/healthz && break; sleep 0.05; done

split() {
  awk '/^[0-9a-f]+-[0-9a-f]+ /{anon = (NF < 6); high = ($1 ~ /^7f/)}
       /^Rss:/{ if (anon) { if (high) c += $2; else g += $2 } else f += $2 }
       END { printf "C %5.1f MB  Go %5.1f MB  file %5.1f MB", c/1024, g/1024, f/1024 }' "/proc/$PP/smaps"
}
( while kill -0 "$PP" 2>/dev/null; do
    awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a, f}' "/proc/$PP/status"; sleep 0.5
  done ) > rss.txt &

taskset -c 0 ./prep project -base http://127.0.0.1:18190 -n "$ORDERS" -k 40000 -dir req
echo "after the requests' preparation: $(split)"
for c in 16 64; do
  for e in page lookup status create label; do
    GOMAXPROCS=1 taskset -c 0 ./load -base http://127.0.0.1:18190 -f "req/$e.jsonl" -c "$c" -d "$DUR" -name "$e" >> results.jsonl
    printf '%-7s c%-3s %s\n' "$e" "$c" "$(split)"
  done
done
echo "peak RSS (VmHWM): $(awk '/^VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$PP/status")"
awk 'BEGIN{a=0; f=0} {if ($1>a) a=$1; if ($2>f) f=$2}
     END{printf "peak anonymous memory (sampled): %.1f MB; peak file-backed: %.1f MB\n", a/1024, f/1024}' rss.txt
if grep -q '"level":"ERROR"' portal.log; then echo "the server logged errors: $W/portal.log"; exit 1; fi
