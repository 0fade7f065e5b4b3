#!/usr/bin/env bash
# Installs what building and testing the desktop app needs on a fresh Debian
# or Ubuntu machine: GTK 3 and WebKitGTK 4.1 headers (the Linux window),
# Xvfb + xauth + ImageMagick + xdotool + xclip (the smoke test), NSIS (the Windows
# installer), plus the pinned Wails CLI. apt runs only as root and only for
# missing packages, so a second run costs nothing.
#   scripts/desktop-deps.sh            everything
#   scripts/desktop-deps.sh --no-cli   apt packages only
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=${WAILS_VERSION:-v2.16.0}
apt_packages=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev xvfb xauth imagemagick xdotool xclip nsis iproute2)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "desktop-deps: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "desktop-deps: missing apt packages (run as root to install): ${missing[*]}" >&2
    exit 1
  fi
fi

if [ "${1:-}" != "--no-cli" ]; then
  wails="$(go env GOPATH)/bin/wails"
  if ! { [ -x "$wails" ] && "$wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; }; then
    echo "desktop-deps: go install github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
    go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
  fi
fi
