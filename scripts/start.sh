#!/usr/bin/env bash
# Sets up what is missing, then runs Kubedesk with its sandbox as the default cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
KUBEDESK_SKIP_APT=1 bash scripts/ensure-deps.sh
exec npx tsx src/cli/main.ts sandbox --data-dir "${KUBEDESK_DATA_DIR:-$HOME/.local/share/kubedesk/sandbox}" "$@"
