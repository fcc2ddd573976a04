#!/usr/bin/env bash
# The README's demo, the whole story on one machine:
#   vendor:   cuts releases 1.0.0 … 1.5.0 of a small app (PostgreSQL + psql migration +
#             busybox httpd, images built locally), marks 1.2.0 and 1.4.0 required,
#             promotes them to Stable;
#   customer: installs 1.0.0, runs `upgrade --to latest` and watches lockstep walk the
#             required steps (probe, migration, app), then reads the ledger and verifies it.
# It cleans up after itself (containers, store, temporary files).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build-images.sh busybox psql postgres
swift build --product lockstep >/dev/null
lockstep_bin="$PWD/.build/debug/lockstep"

source scripts/lib.sh
work=$(mktemp -d /tmp/lockstep-demo.XXXXXX)
install_name="demo-$$"
cleanup() {
    remove_installation_containers "$install_name"
    rm -rf "$work"
}
trap cleanup EXIT
export LOCKSTEP_STORE="$work/store.sqlite"

db_port=$(free_port 55432)
web_port=$(free_port 58080)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '\n\033[1m$ lockstep %s\033[0m\n' "$*"; "$lockstep_bin" "$@"; }

say "vendor: cut releases 1.0.0 … 1.5.0, promote them to Stable (1.2.0 and 1.4.0 required)"
while IFS=$'\t' read -r version required sql; do
    manifest="$work/inventory-$version.yaml"
    render_demo_manifest "$manifest" "$version" "$sql" "$db_port" "$web_port"
    flags=()
    [[ $required == yes ]] && flags=(--required)
    run release create --manifest "$manifest" --version "$version" --promote Stable "${flags[@]}" \
        --notes "inventory $version"
done < examples/demo/migrations.tsv
run channel show Stable

say "customer: install 1.0.0 (the password comes from a 0600 values file, never the command line)"
values="$work/values.yaml"
(umask 077 && printf 'db_password: "demo@/:%%-%s"\n' "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" > "$values")
run upgrade --to 1.0.0 --install "$install_name" --network host --config "$values"

say "customer: what does \`upgrade --to latest\` walk?"
run status --install "$install_name"
run plan --to latest --install "$install_name"

say "customer: upgrade to latest"
run upgrade --to latest --install "$install_name"
printf '\nthe app answers: '
exec 3<>"/dev/tcp/127.0.0.1/$web_port"
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
tail -n 1 <&3
exec 3<&-

say "auditor: what ran, and is the record intact?"
run ledger ls --install "$install_name" --kind run --limit 20
run ledger verify
