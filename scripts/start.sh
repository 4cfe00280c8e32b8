#!/usr/bin/env bash
# `npm start`: the desktop app (Electron) where its binary is installed; elsewhere (every machine
# where Electron's download host is unreachable) the same app in web mode, with the sandbox as the
# default cluster. Extra arguments go to web mode (--port N, --data-dir DIR, --no-open).
set -euo pipefail
cd "$(dirname "$0")/.."
KUBEDESK_SKIP_APT=1 bash scripts/ensure-deps.sh
npx electron-vite build --logLevel warn
if electron_bin=$(node -e "process.stdout.write(require('electron'))" 2>/dev/null) && [ -x "$electron_bin" ]; then
  exec "$electron_bin" .
fi
echo "Kubedesk: Electron's binary is not installed here, so Kubedesk runs in web mode instead (open the URL below)."
args=()
[ -n "${CI:-}" ] && args+=(--no-open)
[ -n "${KUBEDESK_DATA_DIR:-}" ] && args+=(--data-dir "$KUBEDESK_DATA_DIR")
exec node out/main/web-main.js "${args[@]}" "$@"
