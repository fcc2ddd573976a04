#!/usr/bin/env bash
# Issues 4 and 5: lockstep's own overhead when applying releases, side by side with
# a shell script that issues the same podman commands directly, in one run.
#
#   bash Benchmarks/upgrade.sh [rounds] [ten-step runs]    (default 15 and 3;
#                                                           writes Benchmarks/results/upgrade.md)
#
# One release step = the db container kept (already running), the previous web app
# stopped and removed, an ephemeral psql migration (create, start, wait, logs, rm),
# then the new web app (create, start). The shell peer does exactly those podman
# calls plus one psql readiness query (and waits with the same 20 ms poll interval
# lockstep gives podman); lockstep adds planning, the libpq probe, the journal, the
# ledger and the event engine. A ten-step upgrade measures the same
# per step across a whole path.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
tens=${2:-3}

bash scripts/install-deps.sh >/dev/null
bash scripts/build-images.sh busybox psql postgres >/dev/null
swift build -c release --product lockstep >/dev/null
lockstep="$PWD/.build/release/lockstep"

source scripts/lib.sh
work=$(mktemp -d /tmp/lockstep-bench.XXXXXX)
install=bench$$
cleanup() {
    remove_installation_containers "$install"
    podman ps -aq --filter "label=lockstep-bench=$install" | xargs -r podman rm -f >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export LOCKSTEP_STORE="$work/store.sqlite"

db_port=$(free_port 56432)
web_port=$(free_port 59080)
(umask 077 && echo 'db_password: "bench-secret"' > "$work/values.yaml")

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Releases 1.0.0 (install), then one per single step and ten per ten-step run, every
# one required, each with a migration that records its version.
total=$((rounds + 10 * tens))
for i in $(seq 0 "$total"); do
    version="1.$i.0"
    sql="CREATE TABLE IF NOT EXISTS schema_history (version text PRIMARY KEY); INSERT INTO schema_history VALUES ('$version');"
    render_demo_manifest "$work/m-$i.yaml" "$version" "$sql" "$db_port" "$web_port"
    "$lockstep" release create --manifest "$work/m-$i.yaml" --version "$version" --promote Stable --required >/dev/null 2>&1
done
"$lockstep" upgrade --to 1.0.0 --install "$install" --network host --config "$work/values.yaml" >/dev/null 2>&1

# The shell peer: the same engine calls, issued directly.
shell_step() {
    local n=$1
    local env="$work/env-$n"
    (umask 077 && printf 'PGHOST=127.0.0.1\nPGPORT=%s\nPGUSER=postgres\nPGPASSWORD=bench-secret\nPGDATABASE=inventory\n' "$db_port" > "$env")
    PGPASSWORD=bench-secret psql -X -q -h 127.0.0.1 -p "$db_port" -U postgres -d inventory -c 'SELECT 1' >/dev/null
    podman stop -t 1 "bench-$install-web" >/dev/null 2>&1 || true
    podman rm -f "bench-$install-web" >/dev/null 2>&1 || true
    podman create --pull never --name "bench-$install-migrate" --label "lockstep-bench=$install" --network host --env-file "$env" \
        lockstep-test/psql:1 psql -X -v ON_ERROR_STOP=1 -c "SELECT 'shell step $n'" >/dev/null
    rm -f "$env"
    podman start "bench-$install-migrate" >/dev/null
    podman wait --interval 20ms "bench-$install-migrate" >/dev/null
    podman logs "bench-$install-migrate" >/dev/null
    podman rm "bench-$install-migrate" >/dev/null
    podman create --pull never --name "bench-$install-web" --label "lockstep-bench=$install" --network host --stop-timeout 1 \
        lockstep-test/busybox:1 sh -c "mkdir -p /www && echo shell > /www/index.html && exec httpd -f -p 127.0.0.1:$((web_port + 1)) -h /www" >/dev/null
    podman start "bench-$install-web" >/dev/null
}

# Lockstep starts from an installed 1.0.0 with its app running; so does the shell.
shell_step warmup
lockstep_single=() shell_single=()
lockstep_step() {
    local start; start=$(now_ms)
    "$lockstep" upgrade --to "1.$1.0" --install "$install" >/dev/null 2>&1
    lockstep_single+=($(( $(now_ms) - start )))
}
shell_timed_step() {
    local start; start=$(now_ms)
    shell_step "$1"
    shell_single+=($(( $(now_ms) - start )))
}
# Who goes first alternates, so that drift in the machine hits both alike.
for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then lockstep_step "$round"; shell_timed_step "$round"
    else shell_timed_step "$round"; lockstep_step "$round"; fi
done

# Ten steps in one upgrade, against ten shell steps.
lockstep_ten=() shell_ten=()
at=$rounds
for run in $(seq 1 "$tens"); do
    start=$(now_ms); "$lockstep" upgrade --to "1.$((at + 10)).0" --install "$install" >/dev/null 2>&1; lockstep_ten+=($(( $(now_ms) - start )))
    start=$(now_ms); for n in $(seq 1 10); do shell_step "ten-$run-$n"; done; shell_ten+=($(( $(now_ms) - start )))
    at=$((at + 10))
done
steps_done=$("$lockstep" ledger ls --install "$install" --kind step --status succeeded --limit 0 --output json | grep -c '"release_version"' || true)
installed=$("$lockstep" status --install "$install" | awk '$1 == "current:" { print $2 }')
[[ "$installed" == "1.$at.0" ]] || { echo "error: the installation does not run 1.$at.0" >&2; exit 1; }
# Both apps must answer, or a side skipped work (a port taken by something else, say).
http_get() { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && tail -1 <&3; exec 3<&-; }
[[ "$(http_get "$web_port")" == "inventory 1.$at.0" ]] || { echo "error: lockstep's app does not answer on $web_port" >&2; exit 1; }
[[ "$(http_get $((web_port + 1)))" == "shell" ]] || { echo "error: the shell's app does not answer on $((web_port + 1))" >&2; exit 1; }

ls_med=$(printf '%s\n' "${lockstep_single[@]}" | median)
sh_med=$(printf '%s\n' "${shell_single[@]}" | median)
ls_ten=$(printf '%s\n' "${lockstep_ten[@]}" | median)
sh_ten=$(printf '%s\n' "${shell_ten[@]}" | median)
mkdir -p Benchmarks/results
{
    echo "## Applying releases: lockstep against the same podman commands (issues 4 and 5)"
    echo
    echo "Command: \`bash Benchmarks/upgrade.sh $rounds $tens\` (release build, podman $(podman version --format '{{.Client.Version}}') with runc)."
    echo "Machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%d)."
    echo
    echo "| measurement | lockstep ms | shell + podman ms | lockstep overhead ms |"
    echo "|---|---:|---:|---:|"
    echo "| one release step, a whole \`lockstep upgrade\` process (median of $rounds): db kept, migration, app | $ls_med | $sh_med | $(awk "BEGIN { print $ls_med - $sh_med }") |"
    echo "| ten-step upgrade, whole path (median of $tens) | $ls_ten | $sh_ten | $(awk "BEGIN { print ($ls_ten - $sh_ten) / 10 }") per step |"
    echo
    echo "Samples, one step: lockstep ${lockstep_single[*]}; shell ${shell_single[*]}."
    echo "Samples, ten steps: lockstep ${lockstep_ten[*]}; shell ${shell_ten[*]}."
    echo "Steps journaled as succeeded: $steps_done (1 install + $rounds + $((10 * tens)))."
} | tee Benchmarks/results/upgrade.md
