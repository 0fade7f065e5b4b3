#!/usr/bin/env bash
# Regenerates every icon from the one source image, build/appicon.png
# (1024x1024; how it is drawn: build/README.md). The outputs are committed so
# that builds need no image tools; run this (ImageMagick `convert`) after
# changing the source, and commit the results:
#   build/windows/icon.ico           desktop exe icon and the NSIS installer icon
#   build/linux/kanade-console.png   256x256 icon of the .deb (scripts/desktop-deb.sh)
#   frontend/public/favicon.ico      browser tab icon (16/32/48), served at /favicon.ico
# The desktop window icon and the macOS .icns use build/appicon.png itself.
set -euo pipefail
cd "$(dirname "$0")/.."
src=build/appicon.png
command -v convert >/dev/null || { echo "icons.sh: needs ImageMagick (convert)" >&2; exit 1; }
strip=(-strip -define png:exclude-chunks=date,time)
convert "$src" -define icon:auto-resize=256,128,64,48,32,16 build/windows/icon.ico
mkdir -p build/linux frontend/public
convert "$src" -resize 256x256 "${strip[@]}" build/linux/kanade-console.png
convert "$src" -define icon:auto-resize=48,32,16 frontend/public/favicon.ico
echo "icons.sh: wrote build/windows/icon.ico build/linux/kanade-console.png frontend/public/favicon.ico from $src"
