#!/usr/bin/env bash
# Desktop sign-in smoke (make test-desktop-signin): the real Linux desktop
# build under Xvfb with its HTTP listener ON (--addr, a static API token), so
# the window is not the local admin: it must sign in through the bindings.
#
#  1. the window opens on the sign-in page (10-signin.png): its GetMe
#     binding answered 401, and no page of the fleet was asked for;
#  2. an operator account made through the HTTP listener (static token)
#     signs in with the keyboard: the AuthLogin binding, then GetMe as the
#     account, the dashboard with the user menu (11-signed-in.png);
#  3. the header's sign-out button ends the session (AuthLogout): GetMe is a
#     401 again, the sign-in page is back (12-signed-out.png);
#  4. the HTTP listener still refuses a call without a token (401).
#
# Everything the window does is read back from the app's debug log (one
# "bound call" line per binding call, with its error). Like
# desktop-smoke.sh it needs Xvfb, xdotool and ImageMagick (desktop-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/desktop-lib.sh

ART=${ART:-artifacts/desktop}
BIN=${BIN:-build/bin/kanade-console}
USERNAME=olga
PASSWORD=olga-signs-in-1

if [ "${1:-}" != "--inside-xvfb" ]; then
  start=$(date +%s)
  scripts/desktop-deps.sh
  if [ ! -x "$BIN" ] || [ -n "${REBUILD:-}" ]; then
    make --no-print-directory desktop-linux
  fi
  mkdir -p "$ART"
  rm -f "$ART"/1[0-9]-*.png "$ART"/desktop-signin.log
  export SMOKE_START=$start
  exec timeout --kill-after=10 180 xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside-xvfb
fi

data=$(mktemp -d /tmp/kanade-desktop-signin.XXXXXX)
port=$(free_port) || { echo "desktop-signin-smoke: no free port" >&2; exit 1; }
log="$ART/desktop-signin.log"
pid=
fail() {
  import -window root "$ART/19-failure.png" 2>/dev/null || true
  fail_report desktop-signin-smoke "$log" "$*"
  exit 1
}
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

printf '{"width":1280,"height":800,"x":0,"y":0,"has_position":true}\n' >"$data/window.json"
api_token=signin-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
url="http://127.0.0.1:$port"

echo "desktop-signin-smoke: starting $BIN --data $data --addr 127.0.0.1:$port (HTTP listener on, static token)"
KANADE_AUTH_STATIC_TOKEN=$api_token "$BIN" --data "$data" --nats-listen off --addr "127.0.0.1:$port" --log-level debug >"$log" 2>&1 &
pid=$!

wait_window "kanade console" 60 || fail "no window titled 'kanade console' within 60 s"
for _ in $(seq 1 60); do curl -fsS "$url/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$url/readyz" >/dev/null || fail "the HTTP listener $url is not ready"

# 1. Signed out: GetMe answers 401, the window shows the sign-in page.
for _ in $(seq 1 60); do bound GetMe | grep -q ':401,' && break; sleep 0.5; done
bound GetMe | grep -q ':401,' || fail "the window's GetMe did not answer 401 (is the window signed in automatically?)"
sleep 2
import -window root "$ART/10-signin.png"
echo "desktop-signin-smoke: signed out, GetMe 401; screenshot $ART/10-signin.png"
if bound ListAgents | grep -qv ':401,'; then fail "a fleet op answered a signed-out window: $(bound ListAgents | head -1)"; fi

# An operator account, made through the HTTP listener with the static token.
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $api_token" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USERNAME\",\"role\":\"operator\",\"password\":\"$PASSWORD\"}" "$url/api/accounts")
[ "$status" = 201 ] || fail "creating $USERNAME over HTTP answered $status"

# 2. Sign in: a click in each field of the sign-in card (Username at y=226,
# Password at y=285 in the 1280x800 window), then Enter. WebKitGTK under
# Xvfb may drop a Tab typed right after text, so the fields are clicked.
xdotool mousemove 640 285 click 1
sleep 1
xdotool type --delay 50 "$PASSWORD"
sleep 1
xdotool mousemove 640 226 click 1
sleep 1
xdotool type --delay 50 "$USERNAME"
sleep 1
xdotool key --delay 300 Return
for _ in $(seq 1 40); do grep -q "msg=\"window signed in\".* username=$USERNAME" "$log" && break; sleep 0.5; done
grep -q "msg=\"window signed in\".* username=$USERNAME" "$log" || fail "no sign-in of $USERNAME (AuthLogin: $(bound AuthLogin | tail -1))"
for _ in $(seq 1 40); do bound GetMe | grep -qv ' err=' && break; sleep 0.5; done
bound GetMe | grep -qv ' err=' || fail "GetMe never answered the signed-in window"
for _ in $(seq 1 40); do bound GetFleetHealth | grep -qv ' err=' && break; sleep 0.5; done
bound GetFleetHealth | grep -qv ' err=' || fail "the dashboard did not load after the sign-in"
sleep 3
import -window root "$ART/11-signed-in.png"
echo "desktop-signin-smoke: $USERNAME signed in through AuthLogin; screenshot $ART/11-signed-in.png"

# 3. Sign out with the header's button (top right): the session ends
# (AuthLogout), and the window is back on its sign-in page (GetMe 401).
before=$(bound GetMe | grep -c ':401,' || true)
xdotool mousemove 1237 23 click 1
for _ in $(seq 1 20); do grep -q "msg=\"window signed out\".* username=$USERNAME" "$log" && break; sleep 0.5; done
grep -q "msg=\"window signed out\".* username=$USERNAME" "$log" || fail "the sign-out button did not end the session (no AuthLogout)"
for _ in $(seq 1 20); do [ "$(bound GetMe | grep -c ':401,' || true)" -gt "$before" ] && break; sleep 0.5; done
[ "$(bound GetMe | grep -c ':401,' || true)" -gt "$before" ] || fail "after the sign-out, GetMe did not answer 401 again"
xdotool mousemove 640 600 # away from the button (its tooltip)
sleep 2
import -window root "$ART/12-signed-out.png"
echo "desktop-signin-smoke: signed out through AuthLogout; screenshot $ART/12-signed-out.png"

# 4. The listener's own rule still holds.
status=$(curl -sS -o /dev/null -w '%{http_code}' "$url/api/agents")
[ "$status" = 401 ] || fail "GET /api/agents without a token answered $status over HTTP"

kill -TERM "$pid"
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
wait "$pid" 2>/dev/null || true
pid=
calls=$(grep -c 'msg="bound call"' "$log" || true)
echo "desktop-signin-smoke: $calls bound calls; OK in $(($(date +%s) - ${SMOKE_START:-$(date +%s)})) s"
