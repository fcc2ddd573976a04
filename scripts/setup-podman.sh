#!/usr/bin/env bash
# Prepares podman on hosts where crun cannot apply cgroups/rlimits (DESIGN.md §10):
# runtime runc and explicit default ulimits. Idempotent: an existing
# containers.conf that already carries both settings is left untouched.
set -euo pipefail

CONF="${LOCKSTEP_CONTAINERS_CONF:-/etc/containers/containers.conf}"

if ! command -v podman >/dev/null 2>&1; then
    echo "error: podman is not installed (apt-get install podman runc)" >&2
    exit 69
fi
if ! command -v runc >/dev/null 2>&1; then
    echo "error: runc is not installed (apt-get install runc)" >&2
    exit 69
fi

has_runtime() { grep -Eq '^[[:space:]]*runtime[[:space:]]*=[[:space:]]*"runc"' "$CONF"; }
has_ulimits() { grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=.*nofile=1024:1024.*nproc=1024:1024' "$CONF"; }

write_conf() {
    mkdir -p "$(dirname "$CONF")"
    if [[ -f "$CONF" ]]; then
        cp -p "$CONF" "$CONF.lockstep-backup.$(date +%s)"
        echo "setup-podman: $CONF lacked the runc/ulimit settings; previous file backed up"
    fi
    cat > "$CONF" <<'CONF'
# Written by lockstep scripts/setup-podman.sh: crun fails on this kind of host
# (cgroups and rlimits), runc with explicit ulimits works.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
    echo "setup-podman: wrote $CONF"
}

if [[ ! -f "$CONF" ]] || ! has_runtime || ! has_ulimits; then
    write_conf
else
    echo "setup-podman: $CONF already configured"
fi

runtime=$(podman info --format '{{.Host.OCIRuntime.Name}}' 2>&1) || {
    echo "error: podman info failed: $runtime" >&2
    exit 1
}
if [[ "$runtime" != "runc" ]]; then
    echo "error: podman reports OCI runtime '$runtime', expected runc; check $CONF" >&2
    exit 1
fi
echo "setup-podman: podman $(podman version --format '{{.Client.Version}}') with runtime $runtime is ready"
