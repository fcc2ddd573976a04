#!/usr/bin/env bash
# Ledger benchmark: fills a store with ROWS synthetic rows through the real
# append path (`LockstepBenchmarks ledger-fill`), then times audit queries
# and `ledger verify` as separate processes with hyperfine.
# Targets (DESIGN.md section 7): each query < 50 ms, verify < 3 s, at 1,000,000 rows.
#
# Usage: Benchmarks/ledger.sh            (ROWS=1000000, release build)
#        ROWS=100000 Benchmarks/ledger.sh
#        LOCKSTEP_BIN=/path/to/lockstep LEDGER_BENCH_DIR=/tmp/x Benchmarks/ledger.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
DIR=${LEDGER_BENCH_DIR:-/tmp/lockstep-ledger-bench}
STORE="$DIR/store-$ROWS.sqlite"
RESULTS=Benchmarks/results/ledger.md

if [[ -z "${LOCKSTEP_BIN:-}" ]]; then
    swift build -c release --product lockstep >&2
    LOCKSTEP_BIN="$(swift build -c release --show-bin-path)/lockstep"
fi
if [[ -z "${BENCH_BIN:-}" ]]; then
    swift build -c release --product LockstepBenchmarks >&2
    BENCH_BIN="$(swift build -c release --show-bin-path)/LockstepBenchmarks"
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 1; }
mkdir -p "$DIR"

count() { /usr/bin/sqlite3 "$STORE" "SELECT count(*) FROM ledger_entry" 2>/dev/null || echo 0; }

fill_seconds=$(cat "$STORE.fill-seconds" 2>/dev/null || echo "(unknown)")
if [[ ! -f "$STORE" || "$(count)" != "$ROWS" ]]; then
    rm -f "$STORE" "$STORE-wal" "$STORE-shm"
    start=$(date +%s.%N)
    "$BENCH_BIN" ledger-fill --store "$STORE" --rows "$ROWS" --batch 10000
    end=$(date +%s.%N)
    fill_seconds=$(printf '%.1f' "$(echo "$end - $start" | bc)")
    echo "$fill_seconds" > "$STORE.fill-seconds"
fi
size=$(du -h "$STORE" | cut -f1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

hyperfine --warmup 2 --runs 20 --export-markdown "$tmp/queries.md" \
    -n "ls --status failed --since 24h" "$LOCKSTEP_BIN ledger ls --store $STORE --status failed --since 24h" \
    -n "ls --release 1.42.0" "$LOCKSTEP_BIN ledger ls --store $STORE --release 1.42.0" \
    -n "ls --release 42 (sequence or version)" "$LOCKSTEP_BIN ledger ls --store $STORE --release 42" \
    -n "ls --install site-7 --since 7d --output csv" "$LOCKSTEP_BIN ledger ls --store $STORE --install site-7 --since 7d --output csv" \
    -n "ls --component migrate --output json" "$LOCKSTEP_BIN ledger ls --store $STORE --component migrate --output json" \
    -n "ls (newest 100)" "$LOCKSTEP_BIN ledger ls --store $STORE" \
    -n "show $((ROWS / 2))" "$LOCKSTEP_BIN ledger show --store $STORE $((ROWS / 2))" >&2

# The Merkle log's operations, timed in process (no process start), then as whole processes.
# The ledger key and checkpoints live in the benchmark folder, never in ~/.config.
export LOCKSTEP_LEDGER_KEY="$DIR/keys/ledger.key"
"$LOCKSTEP_BIN" ledger checkpoint --store "$STORE" --out "$DIR/before.checkpoint" >/dev/null
# A plain cp can miss the newest commits, which the store keeps in its WAL between commands.
/usr/bin/sqlite3 "$STORE" ".backup '$tmp/ops.sqlite'"
"$BENCH_BIN" ledger-ops --store "$tmp/ops.sqlite" --ledger-key "$LOCKSTEP_LEDGER_KEY" --checkpoints "$tmp/ops.checkpoints" --iterations 300 > "$tmp/ops.md"
rm -f "$tmp/ops.sqlite"*

hyperfine --warmup 2 --runs 20 --export-markdown "$tmp/merkle.md" \
    -n "ledger checkpoint --out" "$LOCKSTEP_BIN ledger checkpoint --store $STORE --checkpoints $tmp/cp --out $tmp/cp.out" \
    -n "ledger prove $((ROWS / 2))" "$LOCKSTEP_BIN ledger prove --store $STORE $((ROWS / 2)) --checkpoint $DIR/before.checkpoint" >&2

hyperfine --warmup 1 --runs 5 --export-markdown "$tmp/verify.md" \
    -n "ledger verify" "$LOCKSTEP_BIN ledger verify --store $STORE" \
    -n "ledger verify --checkpoint" "$LOCKSTEP_BIN ledger verify --store $STORE --checkpoint $DIR/before.checkpoint" >&2

verify_line=$("$LOCKSTEP_BIN" ledger verify --store "$STORE")
plan() { /usr/bin/sqlite3 "$STORE" "EXPLAIN QUERY PLAN $1" | sed 's/^/    /'; }
cols=$(/usr/bin/sqlite3 "$STORE" "SELECT group_concat(name, ', ') FROM pragma_table_info('ledger_entry')")

{
    echo "# Ledger benchmark"
    echo
    echo "Command: \`ROWS=$ROWS Benchmarks/ledger.sh\` (release build; each query is a whole \`lockstep\` process: start, open the store, query, print)."
    echo
    echo "Machine: $(nproc) cores, \`$(uname -a)\`, SQLite $(/usr/bin/sqlite3 --version | cut -d' ' -f1), $(date -u +%Y-%m-%d)."
    echo
    echo "Store: $ROWS rows, $size on disk. Filled through the real append path (\`LockstepBenchmarks ledger-fill\`, batches of 10,000 rows per transaction) in $fill_seconds s."
    echo
    echo "## Audit queries (target < 50 ms each)"
    echo
    cat "$tmp/queries.md"
    echo
    echo "## Merkle log operations (targets: append < 1 ms, checkpoint < 5 ms, inclusion proof < 5 ms)"
    echo
    echo "In process, on a copy of the store (\`LockstepBenchmarks ledger-ops --iterations 300\`):"
    echo
    cat "$tmp/ops.md"
    echo
    echo "As whole \`lockstep\` processes (process start and store open included):"
    echo
    cat "$tmp/merkle.md"
    echo
    echo "## Verify (target < 3 s)"
    echo
    cat "$tmp/verify.md"
    echo
    echo "Output: \`$verify_line\`"
    echo
    echo "## Query plans"
    echo
    echo "\`--status failed --since 24h\`:"
    echo
    plan "SELECT $cols FROM ledger_entry WHERE recorded_at >= '2000-01-01T00:00:00.000Z' AND status = 'failed' ORDER BY recorded_at DESC, id DESC LIMIT 100"
    echo
    echo "\`--release 1.42.0\`:"
    echo
    plan "SELECT $cols FROM ledger_entry WHERE release_version = '1.42.0' ORDER BY recorded_at DESC, id DESC LIMIT 100"
    echo
    echo "\`--release 42\`:"
    echo
    plan "SELECT $cols FROM ledger_entry WHERE release_sequence = 42 UNION SELECT $cols FROM ledger_entry WHERE release_version = '42' ORDER BY recorded_at DESC, id DESC LIMIT 100"
    echo
    echo "## Notes"
    echo
    echo "- Synthetic rows: 100 releases of 10,000 rows, 20 installations, about 1 in 97 failed; every row recorded in the last minutes, so \`--since 24h\` matches all ~10,300 failed rows and the index still stops after the newest 100."
    echo "- A bare number for \`--release\` means a sequence or a version label: two arms (\`release_sequence = ?\` UNION \`release_version = ?\`), each read in time order from its own index and merged, stop at the limit. A version label (\`1.42.0\`) is read in index order."
    echo "- Verify checks the log in blocks of 16,384 leaves on every core, each thread on a read-only connection of its own, with \`quick_check\` as the pool's first task; per row it hashes the chain encoding and the Merkle leaf and compares the hashes the leaf completes with the stored ones; the blocks are then linked in log order, and the signed checkpoint checked (one root read at its size)."
} > "$RESULTS"
echo "results written to $RESULTS" >&2
