#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the C toolchain for
# `go test -race`, Debian's chromium for the end-to-end tests (scripts/e2e.sh
# drives /usr/bin/chromium with playwright-core; no browser is downloaded),
# and the frontend's npm packages. apt runs only as root and
# only for packages that are missing, so a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(build-essential pkg-config chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "deps: missing apt packages (run as root to install): ${missing[*]}" >&2
  fi
fi

if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm ci --no-audit --no-fund)
fi
