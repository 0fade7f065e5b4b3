#!/usr/bin/env bash
# Desktop smoke test (make test-desktop): the real Linux desktop build under
# Xvfb, started with NO agents, a NATS token and NO HTTP listener, so
# everything the window shows comes through the Wails bindings.
#
#  1. the empty dashboard (00-dashboard-empty.png); with xdotool: Connect
#     agents in the nav (01-connect.png), Copy on the agent URL and on the
#     token (read back from the X clipboard), then "Start simulated agents":
#     the 10 demo agents must be projected, and the window must have called
#     the bound GetConnectInfo and StartDemo; a `sim --agents 1` process with
#     the copied URL and token must turn the guide's check green
#     (02-connect-green.png, checked by the green banner's pixels); the
#     dashboard with the demo fleet (03-dashboard.png);
#  2. clicks Run in the nav, types DEMO-00001 and `echo desktop-smoke`,
#     presses Run;
#  3. checks the effect outside the UI: the result row in the app's SQLite
#     file (read-only) and the RESULTS stream on the embedded NATS listener;
#     screenshots the Run page with the result (04-run-result.png);
#  4. a second launch on the same data dir must hand over to the first
#     instance and exit; SIGTERM must stop the core gracefully.
#
# The clicks use coordinates of the 1280x800 window at 0,0 (the script
# pre-seeds window.json, which also exercises the saved window state): the
# nav items, the guide's buttons and the Script textarea. If the SPA's
# layout moves them, update the coordinates below.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/desktop-lib.sh

ART=${ART:-artifacts/desktop}
BIN=${BIN:-build/bin/kanade-console}
AGENTS=10 # the guide's default demo fleet
PC=DEMO-00001
MARK=desktop-smoke

if [ "${1:-}" != "--inside-xvfb" ]; then
  start=$(date +%s)
  scripts/desktop-deps.sh
  if [ ! -x "$BIN" ] || [ -n "${REBUILD:-}" ]; then
    make --no-print-directory desktop-linux
  fi
  mkdir -p "$ART"
  rm -f "$ART"/*.png "$ART"/desktop.log "$ART"/second-instance.log
  go build -o "$ART/desktop-check" ./scripts/desktop-check
  export SMOKE_START=$start
  # Bounded: the whole window part must finish in 4 minutes.
  exec timeout --kill-after=10 240 xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside-xvfb
fi

check="$ART/desktop-check"
data=$(mktemp -d /tmp/kanade-desktop-smoke.XXXXXX)
port=$(free_port) || { echo "desktop-smoke: no free port" >&2; exit 1; }
log="$ART/desktop.log"
pid=

fail() {
  import -window root "$ART/99-failure.png" 2>/dev/null || true
  fail_report desktop-smoke "$log" "$*"
  exit 1
}
cleanup() {
  [ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null || true
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

# The window where the clicks expect it: 1280x800 at 0,0.
printf '{"width":1280,"height":800,"x":0,"y":0,"has_position":true}\n' >"$data/window.json"
nats_token=smoke-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')

echo "desktop-smoke: starting $BIN --data $data --nats-listen 127.0.0.1:$port (no agents, NATS token set)"
KANADE_NATS_TOKEN=$nats_token "$BIN" --data "$data" --nats-listen "127.0.0.1:$port" --log-level debug >"$log" 2>&1 &
pid=$!

wait_window "kanade console" 60 || fail "no window titled 'kanade console' within 60 s"
for _ in $(seq 1 60); do bound GetFleetHealth >/dev/null && break; sleep 0.5; done
sleep 3
import -window root "$ART/00-dashboard-empty.png"

# The Connect agents guide (last item of the Fleet section in the nav).
xdotool mousemove 104 669 click 1
for _ in $(seq 1 40); do bound GetConnectInfo >/dev/null && break; sleep 0.5; done
bound GetConnectInfo >/dev/null || fail "the Connect agents page did not open (no GetConnectInfo call after the nav click)"
sleep 2
import -window root "$ART/01-connect.png"
echo "desktop-smoke: screenshot $ART/01-connect.png"
# Copy the agent URL and the token with the guide's buttons.
clip() { xclip -o -selection clipboard 2>/dev/null || true; }
printf '' | xclip -selection clipboard
xdotool mousemove 450 460 click 1          # Copy (URL)
for _ in $(seq 1 20); do [ -n "$(clip)" ] && break; sleep 0.25; done
url=$(clip)
[ "$url" = "nats://127.0.0.1:$port" ] || fail "copied URL '$url', want nats://127.0.0.1:$port"
xdotool mousemove 564 673 click 1          # Copy (token)
for _ in $(seq 1 20); do [ "$(clip)" != "$url" ] && break; sleep 0.25; done
token=$(clip)
[ "$token" = "$nats_token" ] || fail "copied token '$token' is not the app's NATS token"
echo "desktop-smoke: copied $url and the token from the guide"

# Try it with simulated agents (the guide's default: 10).
xdotool mousemove 472 348 click 1          # Start simulated agents
"$check" agents -db "$data/kanade.db" -n $AGENTS -timeout 60s || fail "the demo agents were not projected (did the Start click land?)"
bound StartDemo >/dev/null || fail "the demo fleet did not come from the bound StartDemo"
! bound StartDemo | grep -q ' err=' || fail "StartDemo answered an error: $(bound StartDemo | grep ' err=' | head -1)"

# One simulated 0.29 agent process with the copied URL and token: the
# guide's check turns green (its banner's background is --ok-soft).
KANADE_NATS_TOKEN=$token "$BIN" sim --nats-url "$url" --agents 1 --prefix WS --heartbeat 2s >"$ART/sim.log" 2>&1 &
sim_pid=$!
"$check" agents -db "$data/kanade.db" -n $((AGENTS + 1)) -timeout 30s || fail "the sim agent with the copied URL and token was not projected"
green=0
for _ in $(seq 1 20); do
  import -window root "$ART/02-connect-green.png"
  green=$(convert "$ART/02-connect-green.png" -crop 1000x45+230+130 +repage -fill black +opaque '#dcf3e2' -fill white -opaque '#dcf3e2' -format '%[fx:int(mean*1000)]' info:)
  [ "$green" -ge 300 ] && break
  sleep 1
done
[ "$green" -ge 300 ] || fail "the guide's check did not turn green (green pixels: $green per mille)"
echo "desktop-smoke: the check turned green ($green per mille of the region); screenshot $ART/02-connect-green.png"
kill "$sim_pid" 2>/dev/null || true

# The dashboard has asked the bound methods (debug log of package app).
for op in GetFleetHealth ListResults ListAudit GetStatus; do
  for _ in $(seq 1 60); do bound "$op" >/dev/null && break; sleep 0.5; done
  bound "$op" >/dev/null || fail "the window never called the bound method $op"
done
# No HTTP listener: the only TCP port the app listens on is NATS for agents.
listening=$(ss -Hltnp | grep "pid=$pid," | awk '{print $4}' | sort -u | tr '\n' ' ')
[ "$listening" = "127.0.0.1:$port " ] || fail "expected only the NATS listener 127.0.0.1:$port, the app listens on: $listening"
echo "desktop-smoke: listening only on $listening(NATS for agents; no HTTP)"

# The dashboard with the demo fleet.
xdotool mousemove 56 97 click 1           # nav "Dashboard"
sleep 6
import -window root "$ART/03-dashboard.png"
echo "desktop-smoke: screenshot $ART/03-dashboard.png"

# Scripted interaction: nav -> Run, fill the form, press Run. WebKitGTK
# under Xvfb handles keys up to a second behind xdotool, so after the clicks
# the form is filled with the keyboard only (key events stay in order):
# Script, then Shift+Tab x3 back to PC (its suggestion list closes by itself
# on the one exact match and on blur: no Escape), Enter submits the form.
xdotool mousemove 56 223 click 1           # nav "Run"
# The Run page asks ListAgents (for its PC suggestions) when it mounts; the
# dashboard does not: that call says the page is there.
for _ in $(seq 1 40); do bound ListAgents >/dev/null && break; sleep 0.5; done
bound ListAgents >/dev/null || fail "the Run page did not open (no ListAgents call after the nav click)"
sleep 1
xdotool mousemove 737 300 click 1          # the Script textarea
sleep 1
xdotool type --delay 50 "echo $MARK"
xdotool key --delay 100 shift+Tab shift+Tab shift+Tab
xdotool type --delay 50 "$PC"
xdotool key --delay 300 Return
"$check" result -db "$data/kanade.db" -pc "$PC" -stdout "$MARK" -timeout 60s || fail "no result of $PC with stdout $MARK (did the clicks land? see the screenshots)"
bound RunScript >/dev/null || fail "the result did not come from the bound RunScript"
run_errs=$(bound RunScript | grep -c ' err=' || true)
[ "$run_errs" = 0 ] || fail "RunScript answered an error: $(bound RunScript | grep ' err=' | head -1)"
KANADE_NATS_TOKEN=$nats_token "$check" nats -url "nats://127.0.0.1:$port" -timeout 20s || fail "the embedded NATS listener"
sleep 2
import -window root "$ART/04-run-result.png"
echo "desktop-smoke: screenshot $ART/04-run-result.png"

# A second launch on the same data dir focuses the first and exits.
set +e
timeout 30 "$BIN" --data "$data" --nats-listen "127.0.0.1:$port" >"$ART/second-instance.log" 2>&1
rc=$?
set -e
grep -q "already running" "$ART/second-instance.log" && [ $rc = 1 ] || fail "second instance: rc=$rc, $(cat "$ART/second-instance.log")"
echo "desktop-smoke: second instance handed over: $(head -1 "$ART/second-instance.log")"

# SIGTERM: graceful stop of the console core.
kill -TERM "$pid"
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$pid" 2>/dev/null && fail "still running 20 s after SIGTERM"
wait "$pid" || true
pid=
grep -q 'msg="console stopped"' "$log" || fail "no graceful stop in the log"
events=$(grep -c 'msg="ui event"' "$log" || true)
[ "$events" -gt 0 ] || fail "no console events were pushed to the window (runtime.EventsEmit)"
calls=$(grep -c 'msg="bound call"' "$log" || true)
ops=$(grep 'msg="bound call"' "$log" | grep -o ' op=[A-Za-z]*' | sort -u | sed 's/.*op=//' | tr '\n' ' ')
echo "desktop-smoke: $calls bound calls ($ops), $events events pushed to the window"
echo "desktop-smoke: OK in $(($(date +%s) - ${SMOKE_START:-$(date +%s)})) s"
