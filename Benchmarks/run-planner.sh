#!/usr/bin/env bash
# Issue 2's benchmark: 100,000 releases on one channel, 10% required.
# Usage: bash Benchmarks/run-planner.sh [releases]   (writes Benchmarks/results/planner.md)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product lockstep >/dev/null
swift build -c release --product LockstepBenchmarks >/dev/null
mkdir -p Benchmarks/results
{
    echo "## Planner and \`plan\` (issue 2)"
    echo
    echo "Command: \`bash Benchmarks/run-planner.sh ${1:-100000}\` (release build)."
    echo "Machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%d)."
    echo
    .build/release/LockstepBenchmarks planner --releases "${1:-100000}" --lockstep .build/release/lockstep
} | tee Benchmarks/results/planner.md
