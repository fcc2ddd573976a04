#!/usr/bin/env bash
# Issues 4, 5 and 12: applying releases, three ways side by side in one run, taking turns:
# a shell script issuing the podman commands directly (the peer), lockstep with its CLI
# driver (a podman process per engine call), lockstep with its API driver (the Docker
# Engine API of a `podman system service` this script starts on a socket in its
# temporary folder, and stops at the end).
#
#   bash Benchmarks/upgrade.sh [rounds] [ten-step runs]    (default 15 and 3;
#                                                           writes Benchmarks/results/upgrade.md)
#
# One release step = the db container kept (already running), the previous web app
# stopped and removed, an ephemeral psql migration (create, start, wait, logs, rm),
# then the new web app (create, start). The shell peer does exactly those podman calls
# plus one psql readiness query (and waits with the same 20 ms poll interval lockstep's
# CLI driver gives podman); lockstep adds planning, the libpq probe, the journal, the
# ledger and the event engine. Each lockstep driver has its own store, installation and
# ports, so the three never share a container.
#
# Downtime: during every single step a poller (Benchmarks/downtime-poller.py) asks the
# app over HTTP every 10 ms; the step's downtime is the longest time between two answers.
# Beside it, the migration container's own run time as lockstep's ledger records it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
tens=${2:-3}

command -v python3 >/dev/null || { echo "error: the downtime poller needs python3" >&2; exit 1; }
bash scripts/install-deps.sh >/dev/null
bash scripts/build-images.sh busybox psql postgres >/dev/null
# SCRATCH=DIR builds and runs from another scratch path (a second checkout's build, say).
scratch=${SCRATCH:-$PWD/.build}
swift build -c release --scratch-path "$scratch" --product lockstep >/dev/null
lockstep="$scratch/release/lockstep"

source scripts/lib.sh
work=$(mktemp -d /tmp/lockstep-bench.XXXXXX)
tag=bench$$
service_pid=""
poller_pid=""
cleanup() {
    [[ -n $poller_pid ]] && kill "$poller_pid" 2>/dev/null || true
    for driver in cli api; do remove_installation_containers "$tag-$driver"; done
    podman ps -aq --filter "label=lockstep-bench=$tag" | xargs -r podman rm -f >/dev/null 2>&1 || true
    [[ -n $service_pid ]] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

podman system service --time=0 "unix://$work/podman.sock" >/dev/null 2>&1 &
service_pid=$!
for _ in $(seq 200); do [[ -S $work/podman.sock ]] && break; sleep 0.05; done
[[ -S $work/podman.sock ]] || { echo "error: podman system service did not start" >&2; exit 1; }

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A engine_of db_port web_port
engine_of[cli]=cli
engine_of[api]="unix://$work/podman.sock"
db_port[cli]=$(free_port 56432); db_port[api]=$(free_port $((${db_port[cli]} + 1)))
web_port[cli]=$(free_port 59080); web_port[api]=$(free_port $((${web_port[cli]} + 2)))
shell_port=$(free_port $((${web_port[api]} + 1)))
(umask 077 && echo 'db_password: "bench-secret"' > "$work/values.yaml")

# lockstep with one driver: its own store, installation and ports.
ls_run() {
    local driver=$1; shift
    LOCKSTEP_STORE="$work/$driver.sqlite" LOCKSTEP_ENGINE="${engine_of[$driver]}" "$lockstep" "$@"
}

# Releases 1.0.0 (install), then one per single step and ten per ten-step run, every
# one required, each with a migration that records its version.
total=$((rounds + 10 * tens))
for driver in cli api; do
    for i in $(seq 0 "$total"); do
        version="1.$i.0"
        sql="CREATE TABLE IF NOT EXISTS schema_history (version text PRIMARY KEY); INSERT INTO schema_history VALUES ('$version');"
        render_demo_manifest "$work/m-$driver-$i.yaml" "$version" "$sql" "${db_port[$driver]}" "${web_port[$driver]}"
        ls_run "$driver" release create --manifest "$work/m-$driver-$i.yaml" --version "$version" --promote Stable --required >/dev/null 2>&1
    done
    ls_run "$driver" upgrade --to 1.0.0 --install "$tag-$driver" --network host --config "$work/values.yaml" >/dev/null 2>&1
done

# The shell peer: the same engine calls, issued directly, against the CLI install's database.
shell_web_command="mkdir -p /www && echo shell > /www/index.html; trap 'kill \$child; exit 0' TERM; httpd -f -p 127.0.0.1:$shell_port -h /www & child=\$!; wait \$child"
shell_step() {
    local n=$1
    local env="$work/env-$n"
    (umask 077 && printf 'PGHOST=127.0.0.1\nPGPORT=%s\nPGUSER=postgres\nPGPASSWORD=bench-secret\nPGDATABASE=inventory\n' "${db_port[cli]}" > "$env")
    PGPASSWORD=bench-secret psql -X -q -h 127.0.0.1 -p "${db_port[cli]}" -U postgres -d inventory -c 'SELECT 1' >/dev/null
    podman stop -t 1 "bench-$tag-web" >/dev/null 2>&1 || true
    podman rm -f "bench-$tag-web" >/dev/null 2>&1 || true
    podman create --pull never --name "bench-$tag-migrate" --label "lockstep-bench=$tag" --network host --env-file "$env" \
        lockstep-test/psql:1 psql -X -v ON_ERROR_STOP=1 -c "SELECT 'shell step $n'" >/dev/null
    rm -f "$env"
    podman start "bench-$tag-migrate" >/dev/null
    podman wait --interval 20ms "bench-$tag-migrate" >/dev/null
    podman logs "bench-$tag-migrate" >/dev/null
    podman rm "bench-$tag-migrate" >/dev/null
    podman create --pull never --name "bench-$tag-web" --label "lockstep-bench=$tag" --network host --stop-timeout 1 \
        lockstep-test/busybox:1 sh -c "$shell_web_command" >/dev/null
    podman start "bench-$tag-web" >/dev/null
}
shell_step warmup

# Polls port $1 from now until poll_stop, which leaves "longest-gap-ms missed-polls" in $work/poll
# (called directly, not in $(...): only this shell can wait for the poller).
poll_start() {
    rm -f "$work/poll.ready"
    python3 Benchmarks/downtime-poller.py "$1" "$work/poll" & poller_pid=$!
    # A first answer before the step begins (on a loaded machine python alone takes >100 ms).
    for _ in $(seq 500); do [[ -e $work/poll.ready ]] && break; sleep 0.01; done
}
poll_stop() {
    kill "$poller_pid"; wait "$poller_pid" || true; poller_pid=""
}
# The migration container's run time of release $2, from driver $1's ledger.
migration_ms() {
    ls_run "$1" ledger ls --install "$tag-$1" --kind run --component migrate --release "$2" --output json \
        | python3 -c 'import json, sys; rows = json.load(sys.stdin); print(rows[-1]["duration_ms"] if rows else "")'
}

declare -A single downtime migration
record() { single[$1]+="$2 "; }
timed_step() {
    local who=$1 n=$2 start elapsed gap
    if [[ $who == shell ]]; then
        poll_start "$shell_port"; start=$(now_ms); shell_step "$n"; elapsed=$(( $(now_ms) - start ))
    else
        poll_start "${web_port[$who]}"; start=$(now_ms)
        ls_run "$who" upgrade --to "1.$n.0" --install "$tag-$who" >/dev/null 2>&1
        elapsed=$(( $(now_ms) - start ))
    fi
    sleep 0.1  # the new app answers at least once before the poller stops
    poll_stop
    gap=$(cut -d' ' -f1 "$work/poll"); rm -f "$work/poll"
    single[$who]+="$elapsed "
    downtime[$who]+="$gap "
    [[ $who == shell ]] || migration[$who]+="$(migration_ms "$who" "1.$n.0") "
}
# Who goes first rotates, so that drift in the machine hits all three alike.
order=(shell cli api)
for round in $(seq 1 "$rounds"); do
    for k in 0 1 2; do timed_step "${order[$(( (round + k) % 3 ))]}" "$round"; done
done

# Ten steps in one upgrade, against ten shell steps.
declare -A ten
at=$rounds
for run in $(seq 1 "$tens"); do
    for k in 0 1 2; do
        who=${order[$(( (run + k) % 3 ))]}
        start=$(now_ms)
        if [[ $who == shell ]]; then
            for n in $(seq 1 10); do shell_step "ten-$run-$n"; done
        else
            ls_run "$who" upgrade --to "1.$((at + 10)).0" --install "$tag-$who" >/dev/null 2>&1
        fi
        ten[$who]+="$(( $(now_ms) - start )) "
    done
    at=$((at + 10))
done

http_get() { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && tail -1 <&3; exec 3<&-; }
for driver in cli api; do
    installed=$(ls_run "$driver" status --install "$tag-$driver" | awk '$1 == "current:" { print $2 }')
    [[ "$installed" == "1.$at.0" ]] || { echo "error: the $driver installation does not run 1.$at.0" >&2; exit 1; }
    # The app must answer, or a side skipped work (a port taken by something else, say).
    [[ "$(http_get "${web_port[$driver]}")" == "inventory 1.$at.0" ]] || { echo "error: the $driver app does not answer" >&2; exit 1; }
done
[[ "$(http_get "$shell_port")" == "shell" ]] || { echo "error: the shell's app does not answer on $shell_port" >&2; exit 1; }

# What a stop costs: the demo app with its SIGTERM handler against the same httpd as
# PID 1 without one (which ignores SIGTERM, so podman waits out --stop-timeout 1, then kills).
stop_ms() {
    local name="bench-$tag-stop" start
    podman create --pull never --name "$name" --label "lockstep-bench=$tag" --network host --stop-timeout 1 \
        lockstep-test/busybox:1 sh -c "$1" >/dev/null
    podman start "$name" >/dev/null; sleep 0.3
    start=$(now_ms); podman stop "$name" >/dev/null; echo $(( $(now_ms) - start ))
    podman rm -f "$name" >/dev/null
}
stop_port=$(free_port $((shell_port + 1)))
with_handler="" without_handler=""
for _ in 1 2 3 4 5; do
    with_handler+="$(stop_ms "mkdir -p /www; trap 'kill \$child; exit 0' TERM; httpd -f -p 127.0.0.1:$stop_port -h /www & child=\$!; wait \$child") "
    without_handler+="$(stop_ms "mkdir -p /www && exec httpd -f -p 127.0.0.1:$stop_port -h /www") "
done

med() { printf '%s\n' $1 | median; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
sh_med=$(med "${single[shell]}"); sh_ten=$(med "${ten[shell]}")
mkdir -p Benchmarks/results
{
    echo "## Applying releases: the shell peer, lockstep's CLI driver, lockstep's API driver (issues 4, 5, 12)"
    echo
    echo "Command: \`bash Benchmarks/upgrade.sh $rounds $tens\` (release build, podman $(podman version --format '{{.Client.Version}}') with runc; API driver against \`podman system service\` on a Unix socket)."
    echo "Machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%d)."
    echo
    echo "| measurement (median) | shell + podman | lockstep, CLI driver | lockstep, API driver | API / shell |"
    echo "|---|---:|---:|---:|---:|"
    echo "| one release step, whole process, ms ($rounds each) | $sh_med | $(med "${single[cli]}") | $(med "${single[api]}") | $(ratio "$(med "${single[api]}")" "$sh_med") |"
    echo "| ten-step upgrade, whole path, ms ($tens each) | $sh_ten | $(med "${ten[cli]}") | $(med "${ten[api]}") | $(ratio "$(med "${ten[api]}")" "$sh_ten") |"
    echo "| downtime per single step (no HTTP answer), ms | $(med "${downtime[shell]}") | $(med "${downtime[cli]}") | $(med "${downtime[api]}") | |"
    echo "| the migration's own run time (ledger), ms | | $(med "${migration[cli]}") | $(med "${migration[api]}") | |"
    echo "| downtime minus migration run time, ms | | $(awk "BEGIN { print $(med "${downtime[cli]}") - $(med "${migration[cli]}") }") | $(awk "BEGIN { print $(med "${downtime[api]}") - $(med "${migration[api]}") }") | |"
    echo
    echo "Stopping the demo app (podman stop, --stop-timeout 1), ms, median of 5: with its SIGTERM handler $(med "$with_handler") ($with_handler); without (httpd as PID 1 ignores SIGTERM) $(med "$without_handler") ($without_handler)."
    echo
    for who in shell cli api; do
        echo "Samples, $who: one step ${single[$who]}; ten steps ${ten[$who]}; downtime ${downtime[$who]}${migration[$who]:+; migration ${migration[$who]}}."
    done
} | tee Benchmarks/results/upgrade.md
