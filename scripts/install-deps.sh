#!/usr/bin/env bash
# Installs what lockstep builds and tests with on Debian: the C libraries it links,
# PostgreSQL (tests start their own throwaway clusters), podman with runc, busybox,
# Go with golang.org/x/mod (the ledger checkpoints are checked against sumdb/note and tlog).
set -euo pipefail

packages=(libpq-dev libsqlite3-dev libyaml-dev sqlite3 postgresql podman runc busybox-static golang-go golang-golang-x-mod-dev)
# serve and console tests: nginx serves the same folder, curl asks, chromium renders; wrk benchmarks.
packages+=(nginx curl chromium wrk)
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
