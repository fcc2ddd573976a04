#!/usr/bin/env bash
# Installs what lockstep builds and tests with on Debian: the C libraries it links,
# PostgreSQL (tests start their own throwaway clusters), podman with runc, busybox,
# Go with golang.org/x/mod (the ledger checkpoints are checked against sumdb/note and tlog).
set -euo pipefail

packages=(libpq-dev libsqlite3-dev libyaml-dev sqlite3 postgresql podman runc busybox-static golang-go golang-golang-x-mod-dev)
# serve and console tests: nginx serves the same folder, curl asks, chromium renders; wrk benchmarks.
packages+=(nginx curl chromium wrk)
# TUF interop and end-to-end tests: python-tuf in a venv, libfaketime, iproute2.
packages+=(python3 python3-venv faketime iproute2)
# upgrade display and install tests: a real terminal (tmux), man -l renders the page.
packages+=(tmux man-db groff-base)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -x scripts/setup-podman.sh ]] || [[ -f scripts/setup-podman.sh ]]; then
    bash scripts/setup-podman.sh
fi

# python-tuf, the reference TUF implementation the interop tests run against
# (Tests/LockstepRepositoryTests/PythonTUFInteropTests.swift reads $LOCKSTEP_VENV).
venv="${LOCKSTEP_VENV:-/opt/lockstep-venv}"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import tuf.ngclient" 2>/dev/null; then
    echo "creating $venv with python-tuf"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'tuf==7.0.0' 'securesystemslib[crypto]==1.4.0'
fi
