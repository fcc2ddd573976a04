#!/usr/bin/env bash
# Console benchmark (issue 13): latency of console pages under wrk, one connection at a
# time, against a store with ROWS ledger entries (`LockstepBenchmarks ledger-fill`)
# and channels, releases and promotions made through the CLI.
# Targets: the ledger page with filters under 100 ms on 1,000,000 entries; the channels
# page under 20 ms.
#
# Usage: Benchmarks/console.sh               (ROWS=1000000, release build, 5 s per page)
#        ROWS=100000 DURATION=3s Benchmarks/console.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
DURATION=${DURATION:-5s}
DIR=${CONSOLE_BENCH_DIR:-/tmp/lockstep-console-bench}
STORE="$DIR/store-$ROWS.sqlite"
RESULTS=Benchmarks/results/console.md
MANIFEST=examples/manifests/demo.yaml

if [[ -z "${LOCKSTEP_BIN:-}" ]]; then
    swift build -c release --product lockstep >&2
    LOCKSTEP_BIN="$(swift build -c release --show-bin-path)/lockstep"
fi
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DIR"

count() { /usr/bin/sqlite3 "$STORE" "SELECT count(*) FROM ledger_entry" 2>/dev/null || echo 0; }
if [[ ! -f "$STORE" || "$(count)" != "$ROWS" ]]; then
    rm -f "$STORE" "$STORE-wal" "$STORE-shm"
    export LOCKSTEP_STORE="$STORE"
    for i in $(seq 0 19); do
        "$LOCKSTEP_BIN" release create --manifest "$MANIFEST" --version "1.$i.0" --notes "Release 1.$i.0" --promote Stable \
            $([[ $((i % 5)) == 0 ]] && echo --required) >/dev/null
    done
    "$LOCKSTEP_BIN" channel demote Stable 1.7.0 >/dev/null
    "$LOCKSTEP_BIN" install mark --install shop-eu --channel Stable --release 1.0.0 >/dev/null
    "$(dirname "$LOCKSTEP_BIN")/LockstepBenchmarks" ledger-fill --store "$STORE" --rows "$ROWS" --batch 10000
    unset LOCKSTEP_STORE
fi

tmp=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$LOCKSTEP_BIN" serve --console --store "$STORE" --listen 127.0.0.1:0 2>"$tmp/console.log" &
pid=$!
for _ in $(seq 100); do grep -q 'on http://' "$tmp/console.log" 2>/dev/null && break; sleep 0.1; done
base="http://$(grep -o '127.0.0.1:[0-9]*' "$tmp/console.log" | head -1)"

# A keyset position half-way down the ledger: page N costs what page 1 costs.
middle=$(/usr/bin/sqlite3 "$STORE" "SELECT recorded_at || '_' || id FROM ledger_entry WHERE id = $((ROWS / 2))" | sed 's/:/%3A/g')

pages=(
    "/channels"
    "/installations"
    "/ledger"
    "/ledger?status=failed"
    "/ledger?install=site-7&since=7d"
    "/ledger?release=1.42.0&component=migrate"
    "/ledger?status=failed&component=migrate&install=site-3"
    "/ledger?status=failed&component=migrate&install=site-3&release=1.42.0&since=30d"
    "/ledger?status=succeeded&component=db&install=site-5&after=$middle"
    "/ledger?release=42&install=site-3"
    "/ledger?release=42&status=failed&component=migrate"
    "/ledger?component=migrate&after=$middle"
    "/ledger/$((ROWS / 2))"
    "/plan?channel=Stable&from=1.0.0&to=latest"
)

{
    echo "## console pages, $ROWS ledger entries, wrk -t1 -c1 -d$DURATION"
    echo
    echo "| page | requests/s | p50 | p99 | bytes |"
    echo "|---|---|---|---|---|"
    for page in "${pages[@]}"; do
        bytes=$(curl -s -o /dev/null -w '%{size_download}' "$base$page")
        wrk -t1 -c1 -d"$DURATION" --latency "$base$page" > "$tmp/wrk.txt"
        rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt")
        p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt")
        p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
        echo "| \`$page\` | $rps | $p50 | $p99 | $bytes |"
    done
} | tee "$RESULTS"
