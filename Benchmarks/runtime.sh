#!/usr/bin/env bash
# Baseline for the runner's overhead benchmark: how long the raw engine takes
# for one ephemeral container (create + start + wait + rm of busybox `true`),
# called directly, without lockstep. Writes Benchmarks/results/runtime.md.
#
#   Benchmarks/runtime.sh [runs]      (default 10; engine from LOCKSTEP_RUNTIME, else podman)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-10}"
ENGINE="${LOCKSTEP_RUNTIME:-podman}"
IMAGE=lockstep-test/busybox:1
OUT="$ROOT/Benchmarks/results/runtime.md"

"$ROOT/scripts/build-images.sh" busybox >/dev/null

now_ms() { date +%s%3N; }
# podman's wait polls every 250 ms unless told otherwise; lockstep asks for 20 ms.
wait_flags=(); [[ "$ENGINE" == podman ]] && wait_flags=(--interval 20ms)
declare -a total create start wait rm short_wait default_wait
for i in $(seq 1 "$RUNS"); do
    name="lockstep-bench-$$-$i"
    t0=$(now_ms)
    "$ENGINE" create --name "$name" --label io.lockstep.bench=1 --pull never "$IMAGE" true >/dev/null
    t1=$(now_ms)
    "$ENGINE" start "$name" >/dev/null
    t2=$(now_ms)
    status=$("$ENGINE" wait "${wait_flags[@]}" "$name")
    t3=$(now_ms)
    "$ENGINE" rm "$name" >/dev/null
    t4=$(now_ms)
    [[ "$status" == 0 ]] || { echo "error: container exited $status" >&2; exit 1; }
    create+=($((t1 - t0))); start+=($((t2 - t1))); wait+=($((t3 - t2))); rm+=($((t4 - t3))); total+=($((t4 - t0)))
    # What the poll interval does to a container that runs 0.3 s, as a short migration would.
    for flags in lockstep default; do
        "$ENGINE" create --name "$name" --label io.lockstep.bench=1 --pull never "$IMAGE" sleep 0.3 >/dev/null
        "$ENGINE" start "$name" >/dev/null
        t5=$(now_ms)
        if [[ $flags == lockstep ]]; then "$ENGINE" wait "${wait_flags[@]}" "$name" >/dev/null; else "$ENGINE" wait "$name" >/dev/null; fi
        t6=$(now_ms)
        "$ENGINE" rm "$name" >/dev/null
        if [[ $flags == lockstep ]]; then short_wait+=($((t6 - t5))); else default_wait+=($((t6 - t5))); fi
    done
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
minmax() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd- ; }

{
    echo "# Raw container engine operations"
    echo
    echo "Baseline for the runner's overhead: one ephemeral container, engine called directly."
    echo
    echo "- command: \`Benchmarks/runtime.sh $RUNS\` ($ENGINE create --pull never $IMAGE true; start; wait ${wait_flags[*]}; rm)"
    echo "- engine: $("$ENGINE" --version), OCI runtime $("$ENGINE" info --format '{{.Host.OCIRuntime.Name}}' 2>/dev/null || echo '?')"
    echo "- machine: nproc $(nproc); $(uname -a)"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); runs: $RUNS"
    echo
    echo "| operation | median ms | min-max ms |"
    echo "|---|---|---|"
    echo "| create | $(median "${create[@]}") | $(minmax "${create[@]}") |"
    echo "| start | $(median "${start[@]}") | $(minmax "${start[@]}") |"
    echo "| wait ${wait_flags[*]} | $(median "${wait[@]}") | $(minmax "${wait[@]}") |"
    echo "| rm | $(median "${rm[@]}") | $(minmax "${rm[@]}") |"
    echo "| **create+start+wait+rm** | **$(median "${total[@]}")** | $(minmax "${total[@]}") |"
    echo
    echo 'Waiting for a container that runs `sleep 0.3` (started just before the wait; bridge network):'
    echo
    echo "| wait | median ms | min-max ms |"
    echo "|---|---|---|"
    echo "| ${wait_flags[*]:-as is} (as lockstep calls it) | $(median "${short_wait[@]}") | $(minmax "${short_wait[@]}") |"
    echo "| engine default (podman polls every 250 ms) | $(median "${default_wait[@]}") | $(minmax "${default_wait[@]}") |"
} > "$OUT"
cat "$OUT"
