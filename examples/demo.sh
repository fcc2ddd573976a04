#!/usr/bin/env bash
# The README's demo: a vendor and a customer, each with a store of its own.
#   vendor:   cuts releases 1.0.0 … 1.5.0 of a small app (PostgreSQL + psql migration +
#             busybox httpd, images built locally), marks 1.2.0 and 1.4.0 required,
#             promotes them to Stable, publishes Stable as a signed TUF repository and
#             serves it over HTTP with `lockstep serve`;
#   customer: trusts the vendor's root metadata, syncs the channel (verified), installs
#             1.0.0, runs `upgrade --to latest` and watches lockstep walk the required
#             steps (probe, migration, app); the vendor then marks a new release required
#             and it reaches the customer at the next sync;
#   auditor:  reads the ledger, verifies it against its signed checkpoint.
# It cleans up after itself (server, containers, stores, keys, temporary files).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build-images.sh busybox psql postgres
swift build --product lockstep >/dev/null
lockstep_bin="$PWD/.build/debug/lockstep"

source scripts/lib.sh
work=$(mktemp -d /tmp/lockstep-demo.XXXXXX)
install_name="demo-$$"
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    remove_installation_containers "$install_name"
    rm -rf "$work"
}
trap cleanup EXIT

db_port=$(free_port 55432)
web_port=$(free_port 58080)
repo_port=$(free_port 58480)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Each party has its own store; the customer's ledger key, checkpoints and config key
# live in its own folder (by default they go to ~/.config/lockstep).
vendor() {
    printf '\n\033[1mvendor$ lockstep %s\033[0m\n' "$*"
    LOCKSTEP_STORE="$work/vendor/store.sqlite" "$lockstep_bin" "$@"
}
customer() {
    printf '\n\033[1mcustomer$ lockstep %s\033[0m\n' "$*"
    LOCKSTEP_STORE="$work/customer/store.sqlite" LOCKSTEP_LEDGER_KEY="$work/customer/keys/ledger.key" \
        "$lockstep_bin" "$@"
}
mkdir -p "$work/vendor" "$work/customer"

say "vendor: cut releases 1.0.0 … 1.5.0, promote them to Stable (1.2.0 and 1.4.0 required)"
while IFS=$'\t' read -r version required sql; do
    manifest="$work/vendor/inventory-$version.yaml"
    render_demo_manifest "$manifest" "$version" "$sql" "$db_port" "$web_port"
    flags=()
    [[ $required == yes ]] && flags=(--required)
    vendor release create --manifest "$manifest" --version "$version" --promote Stable "${flags[@]}" \
        --notes "inventory $version"
done < examples/demo/migrations.tsv
vendor channel show Stable

say "vendor: publish Stable as a signed TUF repository and serve it"
vendor repo init --keys "$work/vendor/keys" --out "$work/vendor/repo"
vendor publish --keys "$work/vendor/keys" --out "$work/vendor/repo" --channel Stable
"$lockstep_bin" serve "$work/vendor/repo" --listen "127.0.0.1:$repo_port" 2>"$work/vendor/access.log" &
server_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$repo_port") 2>/dev/null && break; sleep 0.1; done
echo "serving $work/vendor/repo on http://127.0.0.1:$repo_port"

say "customer: trust the vendor's root (handed over out of band), sync, look at the channel"
cp "$work/vendor/repo/metadata/1.root.json" "$work/customer/acme-root.json"
customer remote add acme "http://127.0.0.1:$repo_port" --root "$work/customer/acme-root.json"
customer sync acme
customer channel show acme/Stable

say "customer: install 1.0.0 (the password comes from a 0600 values file, never the command line)"
values="$work/customer/values.yaml"
(umask 077 && printf 'db_password: "demo@/:%%-%s"\n' "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" > "$values")
customer upgrade --channel acme/Stable --to 1.0.0 --install "$install_name" --network host --config "$values"

say "customer: what does \`upgrade --to latest\` walk?"
customer status --install "$install_name"
customer plan --to latest --install "$install_name"

say "customer: upgrade to latest (syncs acme first)"
customer upgrade --to latest --install "$install_name"
printf '\nthe app answers: '
exec 3<>"/dev/tcp/127.0.0.1/$web_port"
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
tail -n 1 <&3
exec 3<&-

say "vendor: 1.6.0, required, published; the customer sees it at its next sync"
manifest="$work/vendor/inventory-1.6.0.yaml"
render_demo_manifest "$manifest" 1.6.0 "CREATE TABLE IF NOT EXISTS audit_note (id serial PRIMARY KEY, note text)" "$db_port" "$web_port"
vendor release create --manifest "$manifest" --version 1.6.0 --promote Stable --required --notes "inventory 1.6.0"
vendor publish --keys "$work/vendor/keys" --out "$work/vendor/repo" --channel Stable
customer sync acme
customer plan --to latest --install "$install_name"

say "auditor: what ran, and is the record intact? (checked against the signed checkpoint)"
customer ledger ls --install "$install_name" --kind run --limit 20
customer ledger verify
customer ledger key
