#!/usr/bin/env bash
# Packages the Linux desktop build (build/bin/kanade-console, from
# `make desktop-linux`) as a .deb with a .desktop entry and an icon:
# build/bin/kanade-console_<version>_<arch>.deb. Version, name and
# maintainer come from wails.json.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/bin/kanade-console
[ -x "$bin" ] || { echo "desktop-deb: $bin is missing; run make desktop-linux" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" wails.json | head -1; }
version=$(field productVersion)
product=$(field productName)
comments=$(field comments)
author() { sed -n '/"author"/,/}/p' wails.json | sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p"; }
maint="$(author name) <$(author email)>"
arch=$(dpkg --print-architecture)
out="build/bin/kanade-console_${version}_${arch}.deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$bin" "$root/usr/bin/kanade-console"
# made from build/appicon.png by scripts/icons.sh (committed: no image tools needed here)
install -D -m 0644 build/linux/kanade-console.png "$root/usr/share/icons/hicolor/256x256/apps/kanade-console.png"
mkdir -p "$root/usr/share/applications" "$root/usr/share/doc/kanade-console" "$root/DEBIAN"
# The headless server as a systemd service, installed but not enabled
# (rendered by backend/service; its test keeps the two the same).
install -D -m 0644 build/service/kanade-console.service "$root/lib/systemd/system/kanade-console.service"
cat >"$root/usr/share/applications/kanade-console.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=$product
GenericName=Endpoint management console
Comment=$comments
Exec=kanade-console
Icon=kanade-console
Terminal=false
Categories=System;Network;Monitor;
StartupWMClass=kanade-console
DESKTOP
cat >"$root/usr/share/doc/kanade-console/README" <<DOC
$product $version: the desktop window is "kanade-console" (also in the
applications menu); the headless server is "kanade-console serve".
State lives in ~/.config/kanade-console (desktop.json, kanade.db, nats/).
As a service: "systemctl enable --now kanade-console" runs
"kanade-console serve --data /var/lib/kanade-console", reading
/etc/kanade/backend.toml when present and secrets from
/etc/kanade/console.env (KANADE_NATS_TOKEN=…, KANADE_AUTH_STATIC_TOKEN=…).
DOC
cat >"$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
# Let systemd see the shipped unit; enabling it is the administrator's call.
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null || true; fi
POSTINST
cat >"$root/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null || true; fi
POSTRM
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
size_kb=$(du -sk "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: kanade-console
Version: $version
Section: admin
Priority: optional
Architecture: $arch
Maintainer: $maint
Installed-Size: $size_kb
Depends: libgtk-3-0, libwebkit2gtk-4.1-0
Homepage: https://github.com/kanade-console/kanade-console
Description: $product: admin console for kanade agents
 Desktop app (Wails, WebKitGTK) and headless server ("kanade-console serve")
 for fleets of Windows PCs running kanade agents: embedded NATS JetStream,
 a local SQLite projection, jobs, schedules, inventory and agent rollouts.
CONTROL
dpkg-deb --build --root-owner-group "$root" "$out" >/dev/null
dpkg-deb --field "$out" Package Version Architecture Maintainer Depends | sed 's/^/  /'
dpkg-deb --contents "$out" | awk '{print "  " $6}' | grep -v '/$'
ls -l "$out" | awk '{printf "%-56s %6.1f MB\n", $9, $5/1048576}'
