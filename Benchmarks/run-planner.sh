#!/usr/bin/env bash
# Issue 2's benchmark: 100,000 releases on one channel, 10% required; the planner
# in-process, then `lockstep plan/status/--version` as processes (hyperfine), among them
# the vendor's preview `plan --from 0.0.0` (issue 14: under 100 ms), with CPU time beside wall.
# Usage: bash Benchmarks/run-planner.sh [releases]   (writes Benchmarks/results/planner.md)
set -euo pipefail
cd "$(dirname "$0")/.."
releases=${1:-100000}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
# SCRATCH=DIR builds and runs from another scratch path (a second checkout's build, say).
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product lockstep >/dev/null
swift build -c release --scratch-path "$scratch" --product LockstepBenchmarks >/dev/null
work=$(mktemp -d /tmp/lockstep-planner-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LOCKSTEP_STORE="$work/store.sqlite"
mkdir -p Benchmarks/results
{
    echo "## Planner and \`plan\` (issue 2)"
    echo
    echo "Command: \`bash Benchmarks/run-planner.sh $releases\` (release build)."
    echo "Machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%d)."
    echo
    "$scratch"/release/LockstepBenchmarks planner --releases "$releases" --store "$LOCKSTEP_STORE"
    echo
    echo "Processes (hyperfine, warm cache; the installation is on the oldest release; \`--from 0.0.0\` is the vendor's preview of the same path without an installation):"
    echo
    hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/processes.md" --export-json "$work/processes.json" \
        "$scratch/release/lockstep plan --to latest" \
        "$scratch/release/lockstep plan --to latest --output json" \
        "$scratch/release/lockstep plan --from 0.0.0 --channel Bench --to latest --output json" \
        "$scratch/release/lockstep status" \
        "$scratch/release/lockstep --version" >/dev/null
    cat "$work/processes.md"
    echo
    echo "CPU time per run (hyperfine's user + system means; on a shared machine wall time includes waiting for a core):"
    echo
    python3 - "$work/processes.json" <<'PY'
import json, sys
print("| Command | Wall mean [ms] | User [ms] | System [ms] | CPU [ms] |")
print("|:---|---:|---:|---:|---:|")
for r in json.load(open(sys.argv[1]))["results"]:
    user, system = r["user"] * 1000, r["system"] * 1000
    print(f"| `{r['command']}` | {r['mean'] * 1000:.1f} | {user:.1f} | {system:.1f} | {user + system:.1f} |")
PY
    steps=$("$scratch"/release/lockstep plan --to latest --output json | grep -c '"channelSequence"')
    echo
    echo "\`plan --to latest\` printed $steps steps."
} | tee Benchmarks/results/planner.md
