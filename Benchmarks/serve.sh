#!/usr/bin/env bash
# Serving benchmark (issue 15): requests per second for metadata/timestamp.json of a
# realistic size, from `lockstep serve` and from nginx serving the same folder, both
# measured with wrk on this machine (2 cores: wrk gets one thread, the server the rest).
# Target: `serve` at least 5,000 requests/s; the ratio to nginx is reported.
#
# Usage: Benchmarks/serve.sh                 (release build, 10 s per run)
#        DURATION=5s CONNECTIONS=32 Benchmarks/serve.sh
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
RESULTS=Benchmarks/results/serve.md

if [[ -z "${LOCKSTEP_BIN:-}" ]]; then
    swift build -c release --product lockstep >&2
    LOCKSTEP_BIN="$(swift build -c release --show-bin-path)/lockstep"
fi
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
[[ -x /usr/sbin/nginx ]] || { echo "nginx is needed (apt-get install nginx)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

# A timestamp.json as `publish` writes it: one Ed25519 signature, one snapshot entry.
mkdir -p "$tmp/repo/metadata"
printf '{"signatures":[{"keyid":"%s","sig":"%s"}],"signed":{"_type":"timestamp","expires":"2026-12-01T00:00:00Z","meta":{"snapshot.json":{"hashes":{"sha256":"%s"},"length":1021,"version":42}},"spec_version":"1.0.31","version":42}}' \
    "$(printf 'a1%.0s' {1..32})" "$(printf '7c%.0s' {1..64})" "$(printf 'e3%.0s' {1..32})" > "$tmp/repo/metadata/timestamp.json"
size=$(stat -c %s "$tmp/repo/metadata/timestamp.json")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$1/metadata/timestamp.json" && return 0; sleep 0.1; done; return 1; }

serve_port=$(free_port)
"$LOCKSTEP_BIN" serve "$tmp/repo" --listen "127.0.0.1:$serve_port" 2>"$tmp/serve.log" &
pids+=($!)
wait_port "$serve_port"

nginx_port=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log $tmp/nginx-access.log;
    types { application/json json; }
    client_body_temp_path $tmp/body;
    server { listen 127.0.0.1:$nginx_port; root $tmp/repo; }
}
CONF
/usr/sbin/nginx -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" &
pids+=($!)
wait_port "$nginx_port"

run() { wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$1/metadata/timestamp.json"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

run "$serve_port" > /dev/null  # warm-up
run "$serve_port" | tee "$tmp/serve.wrk" >&2
run "$nginx_port" > /dev/null
run "$nginx_port" | tee "$tmp/nginx.wrk" >&2

serve_rps=$(rps "$tmp/serve.wrk")
nginx_rps=$(rps "$tmp/nginx.wrk")
ratio=$(python3 -c "print(f'{$serve_rps / $nginx_rps:.2f}')")
logged=$(wc -l < "$tmp/serve.log")

{
    echo "## serve: timestamp.json ($size bytes), wrk -t1 -c$CONNECTIONS -d$DURATION"
    echo
    echo "Both servers write an access log (lockstep to stderr, redirected to a file; nginx to a file)."
    echo
    echo "| server | requests/s | p99 latency |"
    echo "|---|---|---|"
    echo "| lockstep serve | $serve_rps | $(p99 "$tmp/serve.wrk") |"
    echo "| nginx (1 worker) | $nginx_rps | $(p99 "$tmp/nginx.wrk") |"
    echo
    echo "ratio lockstep/nginx: $ratio; lockstep access-log lines: $logged"
    echo
    echo '```'
    cat "$tmp/serve.wrk"
    echo '```'
} | tee "$RESULTS"
