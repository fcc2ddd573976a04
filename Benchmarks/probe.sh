#!/usr/bin/env bash
# Readiness benchmark: restart a PostgreSQL server many times (after an
# immediate stop, so it runs crash recovery like a killed container) and
# measure, for three ways of waiting, how long after the server really began
# accepting connections each one said "ready" — and how often it said so too early.
#
#   probe     lockstep probe postgres URL --require-writable
#   isready   until pg_isready -h 127.0.0.1 -p PORT; do sleep 1; done
#   tcp       until (exec 3<>/dev/tcp/127.0.0.1/PORT); do sleep 0.01; done   (a port-listen check)
#
# Ground truth: the server log's "database system is ready to accept
# connections" line, timestamped with log_line_prefix='%m' (milliseconds).
# A "false ready" is a ready answer before that moment; each ready answer is
# also checked by running CREATE TABLE right after it.
#
# Usage: Benchmarks/probe.sh [rounds per method, default 20]   (run as root or postgres; needs PostgreSQL 15 and a built lockstep)
set -euo pipefail

ROUNDS=${1:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOCKSTEP=${LOCKSTEP_BIN:-$ROOT/.build/debug/lockstep}
PGBIN=${LOCKSTEP_PG_BIN:-/usr/lib/postgresql/15/bin}
RESULTS=$ROOT/Benchmarks/results/probe.md
[[ -x $LOCKSTEP ]] || { echo "build lockstep first (swift build) or set LOCKSTEP_BIN" >&2; exit 1; }

as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

WORK=$(mktemp -d /tmp/lockstep-probe-bench-XXXXXX)
chmod 755 "$WORK"; [[ $(id -u) == 0 ]] && chown postgres: "$WORK"
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$WORK/data" stop -m immediate >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

PASSWORD=bench-Secret-pw
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "$PASSWORD" > "$WORK/pw"; [[ $(id -u) == 0 ]] && chown postgres: "$WORK/pw"
as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --pwfile "$WORK/pw" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >/dev/null
mkdir -p "$WORK/socket"; [[ $(id -u) == 0 ]] && chown postgres: "$WORK/socket"
cat >> "$WORK/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK/socket'
log_line_prefix = '%m '
logging_collector = off
shared_buffers = 32MB
CONF
LOG=$WORK/server.log
touch "$LOG"; [[ $(id -u) == 0 ]] && chown postgres: "$LOG"
URL="postgresql://postgres:$PASSWORD@127.0.0.1:$PORT/postgres"
export PGPASSWORD=$PASSWORD

now() { date +%s.%N; }
write_works() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE TABLE IF NOT EXISTS bench_check_$1 (id int)" >/dev/null 2>&1; }

wait_probe()   { "$LOCKSTEP" probe postgres "$URL" --timeout 60 --require-writable --quiet; }
wait_isready() { until "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do sleep 1; done; }
wait_tcp()     { until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do sleep 0.01; done; }

as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$LOG" -w start >/dev/null
"$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE TABLE load (id int, pad text)"

DATA=$WORK/samples.csv
echo "method,round,latency_ms,false_ready,write_failed" > "$DATA"
for round in $(seq 1 "$ROUNDS"); do
    for method in probe isready tcp; do
        # Leave WAL to replay, then kill the server the hard way.
        "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -c "INSERT INTO load SELECT g, repeat('x', 100) FROM generate_series(1, 100000) g" >/dev/null
        as_pg "$PGBIN/pg_ctl" -D "$WORK/data" stop -m immediate >/dev/null
        : > "$LOG"
        as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$LOG" -W start >/dev/null
        "wait_$method"
        said_ready=$(now)
        write_failed=0; write_works "${method}_$round" || write_failed=1
        # The server's own moment of readiness (wait for the line if the method was early).
        for _ in $(seq 1 500); do grep -q "ready to accept connections" "$LOG" && break; sleep 0.01; done
        stamp=$(grep -m1 "ready to accept connections" "$LOG" | cut -d' ' -f1-3)
        truth=$(date -d "$stamp" +%s.%N)
        python3 - "$method" "$round" "$said_ready" "$truth" "$write_failed" >> "$DATA" <<'PY'
import sys
method, rnd, said, truth, failed = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
latency = (said - truth) * 1000
print(f"{method},{rnd},{latency:.1f},{1 if latency < 0 else 0},{failed}")
PY
        "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -c "TRUNCATE load" >/dev/null 2>&1 || true
    done
    echo "round $round/$ROUNDS done" >&2
done

python3 - "$DATA" "$RESULTS" "$ROUNDS" "$LOCKSTEP" <<'PY'
import csv, statistics, subprocess, sys, datetime
data, results, rounds, lockstep = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(data)))
def q(values, p):
    values = sorted(values); k = (len(values) - 1) * p; f = int(k); c = min(f + 1, len(values) - 1)
    return values[f] + (values[c] - values[f]) * (k - f)
names = {"probe": "lockstep probe postgres --require-writable",
         "isready": "until pg_isready …; do sleep 1; done",
         "tcp": "until bash /dev/tcp connect; do sleep 0.01; done"}
lines = ["# Probe benchmark: time from first accepted connection to \"ready\"", "",
         f"Run: `Benchmarks/probe.sh {rounds}` on {datetime.date.today()}, lockstep binary `{lockstep}`.", "",
         f"Machine: nproc {subprocess.check_output(['nproc']).decode().strip()}; `{subprocess.check_output(['uname','-a']).decode().strip()}`", "",
         "Each round: 100k rows inserted, `pg_ctl stop -m immediate`, `pg_ctl start` without waiting, then one waiting method",
         "(methods take turns, one server start each). Ground truth is the server log's `%m`-stamped \"database system is ready",
         "to accept connections\" line. Latency = when the method returned minus that moment; negative means it answered",
         "ready before the server accepted connections (a false ready). \"write failed\" = a CREATE TABLE run right after the",
         "ready answer failed.", "",
         "| method | n | median ms | p90 ms | max ms | false ready | write failed right after |",
         "|---|---|---|---|---|---|---|"]
for key in ["probe", "isready", "tcp"]:
    sample = [r for r in rows if r["method"] == key]
    lat = [float(r["latency_ms"]) for r in sample]
    lines.append(f"| {names[key]} | {len(lat)} | {statistics.median(lat):.1f} | {q(lat, 0.9):.1f} | {max(lat):.1f} | "
                 f"{sum(int(r['false_ready']) for r in sample)} | {sum(int(r['write_failed']) for r in sample)} |")
lines += ["", "Notes: the probe's latency includes its backoff (20 ms growing, restarted when the server's state changes) and",
          "one full check (ping, SCRAM login, query); the debug build was used. pg_isready is never early but waits for its",
          "next 1 s tick. The TCP check is early every time: the postmaster listens during crash recovery, and a write right",
          "after its \"ready\" fails (\"the database system is starting up\")."]
lines += ["", "Raw samples (ms):", ""]
for key in ["probe", "isready", "tcp"]:
    lines.append(f"- {key}: " + ", ".join(r["latency_ms"] for r in rows if r["method"] == key))
open(results, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
