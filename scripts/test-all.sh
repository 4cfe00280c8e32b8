#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what is missing, then typecheck, lint, unit and
# integration tests with the real kubectl, etcd and Python client.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx eslint .
echo "== tests"; npx vitest run --reporter=default
