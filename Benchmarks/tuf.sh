#!/usr/bin/env bash
# Issue 15's benchmark: a channel of 10,000 promotions (10% required, 100 distinct
# manifests). Times `publish` of the whole channel, then the customer's `sync` with
# nothing changed (only timestamp.json is new) and with one new promotion, as processes.
# Usage: bash Benchmarks/tuf.sh [promotions]   (writes Benchmarks/results/tuf.md)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
swift build -c release --product lockstep >/dev/null
bin="$PWD/.build/release/lockstep"
work=$(mktemp -d /tmp/lockstep-tuf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
vendor="--store $work/vendor.sqlite"
customer="--store $work/customer.sqlite"

python3 - "$count" "$work/catalog.json" <<'PY'
import json, sys
count, path = int(sys.argv[1]), sys.argv[2]
version = lambda i: f"{i // 10000}.{i // 100 % 100}.{i % 100}"
doc = {
    "channels": [{"name": "Bench", "semver": True}],
    "releases": [{"version": version(i), "manifest": f"name: bench\ncomponents: []\n# build {i % 100}\n"} for i in range(count)],
    "promotions": [{"channel": "Bench", "release": version(i), "required": i % 10 == 5} for i in range(count)],
}
json.dump(doc, open(path, "w"))
PY
$bin catalog import $vendor "$work/catalog.json" >/dev/null
$bin repo init --keys "$work/keys" --out "$work/repo-initial" >/dev/null
mkdir -p Benchmarks/results
# The machine is shared: CPU time (user + system) beside the wall time says how much of
# a run was this process and how much was waiting for the disk or for other processes.
cpu() {
    python3 - "$1" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
user, system = result["user"] * 1000, result["system"] * 1000
load = open("/proc/loadavg").read().split()[0]
print(f"\nCPU time per run (mean): user {user:.1f} ms + system {system:.1f} ms = {user + system:.1f} ms; load average {load}")
PY
}
{
    echo "## TUF publish and sync (issue 15)"
    echo
    echo "Command: \`bash Benchmarks/tuf.sh $count\` (release build, local-directory remote)."
    echo "Machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%d)."
    echo
    hyperfine -N --warmup 1 --runs 5 --export-markdown "$work/publish.md" --export-json "$work/publish.json" \
        --prepare "bash -c 'rm -rf $work/repo && cp -r $work/repo-initial $work/repo'" \
        "$bin publish $vendor --keys $work/keys --out $work/repo" >/dev/null
    echo "\`publish\` of $count promotions into a new repository (every target and metadata file written):"
    echo
    cat "$work/publish.md"
    cpu "$work/publish.json"
    $bin publish $vendor --keys "$work/keys" --out "$work/repo" >/dev/null
    $bin remote add acme "$work/repo" --root "$work/repo/metadata/1.root.json" $customer >/dev/null
    $bin sync acme $customer >/dev/null
    echo
    echo "\`sync\` with nothing changed (the vendor's scheduled timestamp refresh before each run):"
    echo
    hyperfine -N --warmup 2 --runs 10 --export-markdown "$work/unchanged.md" --export-json "$work/unchanged.json" \
        --prepare "$bin publish --keys $work/keys --out $work/repo --refresh-timestamp" \
        "$bin sync acme $customer" >/dev/null
    cat "$work/unchanged.md"
    cpu "$work/unchanged.json"
    echo
    echo "\`sync\` with one new promotion (promoted and published before each run):"
    echo
    cat > "$work/promote-one.sh" <<SH
#!/usr/bin/env bash
n=\$(cat $work/next 2>/dev/null || echo 0); echo \$((n + 1)) > $work/next
$bin release create $vendor --manifest $work/manifest.yaml --version 9.0.\$n --promote Bench >/dev/null
$bin publish $vendor --keys $work/keys --out $work/repo >/dev/null
SH
    printf 'name: bench\ncomponents: []\n' > "$work/manifest.yaml"
    hyperfine -N --warmup 1 --runs 5 --export-markdown "$work/one.md" --export-json "$work/one.json" \
        --prepare "bash $work/promote-one.sh" \
        "$bin sync acme $customer" >/dev/null
    cat "$work/one.md"
    cpu "$work/one.json"
} | tee Benchmarks/results/tuf.md
