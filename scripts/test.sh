#!/usr/bin/env bash
# The README's test command: installs what is missing, checks the formatting, builds,
# fuzzes the decoders for a minute, then runs every test suite (unit, real SQLite, real
# PostgreSQL, real podman, nginx, Chromium, python-tuf, Go's sumdb, end-to-end through
# the binary).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# The code follows .swift-format; `swift format -i -r Sources Tests Benchmarks Fuzz` fixes most findings.
swift format lint --strict -r Sources Tests Benchmarks Fuzz
swift build
# The manifest decoder and the catalog document under libFuzzer, 60 s.
bash scripts/fuzz.sh 60
swift test --no-parallel 2>&1 | tee /tmp/lockstep-test.log
