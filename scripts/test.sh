#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test suite
# (unit, real SQLite, real PostgreSQL, real podman, end-to-end through the binary).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build
swift test --no-parallel 2>&1 | tee /tmp/lockstep-test.log
# The manifest decoder and the catalog document under libFuzzer, 60 s.
bash scripts/fuzz.sh 60
