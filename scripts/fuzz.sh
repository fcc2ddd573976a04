#!/usr/bin/env bash
# Fuzzes the manifest decoder (decode, lint, render) and the catalog document with
# libFuzzer for a bounded time: scripts/fuzz.sh [SECONDS] (default 60). A crash, a trap
# or a hang fails the script and leaves the reproducer in .build-fuzz/artifacts/;
# replay one with `swift run LockstepFuzz FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
scratch=.build-fuzz
swift build --product LockstepFuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
mkdir -p "$scratch/corpus" "$scratch/artifacts"
"$scratch/debug/LockstepFuzz" "$scratch/corpus" Fuzz/corpus \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$scratch/artifacts/" -print_final_stats=1 2>&1 | tee /tmp/lockstep-fuzz.log | grep -E "^(INFO|#[0-9]+ +(INITED|DONE|pulse))|Done|stat::|ERROR|SUMMARY" || true
grep -q "^Done " /tmp/lockstep-fuzz.log
