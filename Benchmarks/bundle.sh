#!/usr/bin/env bash
# Issue 11's benchmark: `bundle import` of a bundle holding ~500 MB of images. Reports
# verification time separately from `podman load` time, peak RSS (/usr/bin/time -v) and
# the verification rate beside `sha256sum` on the same file.
# Usage: bash Benchmarks/bundle.sh [MB] [lockstep binary]   (writes Benchmarks/results/bundle.md)
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes=${1:-500}
bin=${2:-}
if [ -z "$bin" ]; then swift build -c release --product lockstep >/dev/null; bin="$PWD/.build/release/lockstep"; fi
work=$(mktemp -d /tmp/lockstep-bundle-bench.XXXXXX)
image="localhost/lockstep-bundle-bench-$$:1"
cleanup() { podman rmi -f "$image" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# An image of the benchmark's own: one file of random bytes (incompressible).
mkdir -p "$work/rootfs"
head -c "$((megabytes * 1000000))" /dev/urandom > "$work/rootfs/blob"
tar -C "$work/rootfs" -cf "$work/rootfs.tar" blob
rm -rf "$work/rootfs"
podman import -q "$work/rootfs.tar" "$image" >/dev/null
rm -f "$work/rootfs.tar"

vendor="--store $work/vendor.sqlite"
customer="--store $work/customer.sqlite"
printf 'name: bench\ncomponents:\n  - name: web\n    containers:\n      - source: public\n        image_name: %s\n        version: "1"\n' "${image%:1}" > "$work/m.yaml"
$bin release create $vendor --manifest "$work/m.yaml" --version 1.0.0 --promote Stable >/dev/null
$bin repo init --keys "$work/keys" --out "$work/repo" >/dev/null
$bin publish $vendor --keys "$work/keys" --out "$work/repo" >/dev/null
$bin bundle create --repo "$work/repo" --channel Stable --to latest --images --keys "$work/keys" --out "$work/bundle.tar" >/dev/null
$bin remote add $customer acme --root "$work/repo/metadata/1.root.json" >/dev/null
size=$(stat -c %s "$work/bundle.tar")

# The image is removed so the import really loads it.
podman rmi -f "$image" >/dev/null
sha_start=$(date +%s.%N); sha256sum "$work/bundle.tar" >/dev/null; sha_end=$(date +%s.%N)
/usr/bin/time -v $bin bundle import $customer "$work/bundle.tar" --remote acme > "$work/out.txt" 2> "$work/time.txt"
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$work/time.txt")
sha_rate=$(python3 -c "print(f'{$size / 1e6 / ($sha_end - $sha_start):.0f}')")

mkdir -p Benchmarks/results
{
  echo "# bundle import of $((size / 1000000)) MB ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "Command: \`bash Benchmarks/bundle.sh $megabytes\`"
  echo
  echo '```'
  cat "$work/out.txt"
  echo '```'
  echo
  echo "- whole import (verify + podman load + mirror): $wall wall, peak RSS $((rss / 1024)) MiB"
  echo "- sha256sum on the same file: ${sha_rate} MB/s"
} | tee Benchmarks/results/bundle.md
