#!/usr/bin/env bash
# Installs what Kubedesk needs where it is missing, and nothing else: Debian packages used by the
# tests (etcd, etcdctl, the Python Kubernetes client, Chromium, Xvfb) and the npm dependencies.
# Safe to run again: it only acts on what is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need_apt+=(etcd-client)
# Debian's client is for Debian's interpreter, which may not be the python3 first on PATH.
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || need_apt+=(python3-kubernetes)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need_apt+=(xvfb)
if [ "${#need_apt[@]}" -gt 0 ] && [ "${KUBEDESK_SKIP_APT:-}" != "1" ]; then
  echo "ensure-deps: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file. Electron's binary cannot be
# downloaded on these machines, and nothing here needs it to build or test.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-deps: npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
