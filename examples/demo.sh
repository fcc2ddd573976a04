#!/usr/bin/env bash
# The README's demo: a vendor cuts releases 1.0.0 … 1.5.0, marks two as required and
# promotes them to Stable; a customer on 1.0.0 asks what `upgrade --to latest` will walk.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --product lockstep >/dev/null
lockstep() { .build/debug/lockstep "$@"; }

work=$(mktemp -d /tmp/lockstep-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LOCKSTEP_STORE="$work/store.sqlite"
manifest=examples/manifests/demo-app.yaml
[[ -f $manifest ]] || manifest=examples/manifests/minimal.yaml

step() { printf '\n\033[1m$ lockstep %s\033[0m\n' "$*"; lockstep "$@"; }

echo "== vendor: cut releases and promote them to Stable (1.2.0 and 1.4.0 are required)"
for version in 1.0.0 1.1.0 1.2.0 1.3.0 1.4.0 1.5.0; do
    required=()
    [[ $version == 1.2.0 || $version == 1.4.0 ]] && required=(--required)
    step release create --manifest "$manifest" --version "$version" --promote Stable "${required[@]}" \
        --notes "inventory $version"
done
step channel show Stable

echo
echo "== customer: on 1.0.0, what does \`upgrade --to latest\` walk?"
step install mark --channel Stable --release 1.0.0
step status
step plan --to latest
step plan --to latest --output json

echo
echo "== vendor: preview a customer on 1.3.0 before marking more releases required"
step plan --from 1.3.0 --channel Stable --to latest
