#!/usr/bin/env bash
# End-to-end tests of the console UI in real headless Chromium.
#
# Builds bin/kanade-console (unless E2E_NO_BUILD=1: `make test-e2e` has just
# built it), starts `serve` on free loopback ports with a fresh data dir and
# a simulated fleet (`sim`) against its embedded NATS, waits until the
# console is ready and the agents are online, then runs frontend/e2e/run.mjs.
# The console requires a static bearer token made up for the run (E2E_TOKEN):
# the suite signs in the way an operator does, and one test meets the 401.
# (playwright-core driving Debian's /usr/bin/chromium). Both processes are
# always stopped. Screenshots, page dumps of failures, results.json and the
# serve/sim logs land in artifacts/e2e/. The last line is "N passed, M failed";
# the exit status is non-zero on any failure.
#
#   E2E_AGENTS=25  E2E_GREP=regex  E2E_CHROMIUM=/usr/bin/chromium  E2E_NO_BUILD=1
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/artifacts/e2e
BIN=$ROOT/bin/kanade-console
AGENTS=${E2E_AGENTS:-25}
CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}
RUN_TIMEOUT=${E2E_TIMEOUT:-300}
started=$(date +%s)
data=""
serve_pid=""
sim_pid=""
tests_pid=""
rc=1

log() { echo "e2e: $*"; }

stop() { # pid name
  local pid=$1 name=$2 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  log "$name did not stop within 12s; killing it"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

finish() {
  trap - EXIT INT TERM
  stop "$tests_pid" "browser tests"
  stop "$sim_pid" sim
  stop "$serve_pid" serve
  [ -n "$data" ] && rm -rf "$data"
  log "took $(($(date +%s) - started))s; artifacts in ${ART#"$ROOT"/}/"
  if [ -s "$ART/summary.txt" ]; then
    cat "$ART/summary.txt"
  else
    echo "0 passed, 1 failed"
    rc=1
  fi
  exit "$rc"
}
trap finish EXIT
trap 'log "interrupted"; exit 130' INT TERM

rm -rf "$ART"
mkdir -p "$ART"

if [ "${E2E_NO_BUILD:-}" != 1 ]; then
  log "make build"
  make --no-print-directory build >"$ART/build.log" 2>&1 || { tail -n 30 "$ART/build.log"; log "build failed"; exit 1; }
fi
[ -x "$BIN" ] || { log "$BIN is missing (make build)"; exit 1; }
if [ ! -x "$CHROMIUM" ]; then
  log "no browser at $CHROMIUM: install Debian's chromium (scripts/deps.sh does as root)"
  exit 1
fi
if [ ! -d frontend/node_modules/playwright-core ]; then
  (cd frontend && npm ci --no-audit --no-fund) || { log "npm ci failed"; exit 1; }
fi

# free_ports N: N distinct free loopback TCP ports, held open together while chosen.
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]);
    const servers = [];
    const next = () => {
      if (servers.length === n) {
        console.log(servers.map((s) => s.address().port).join(" "));
        servers.forEach((s) => s.close());
        return;
      }
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => { servers.push(s); next(); });
    };
    next();' "$1"
}

# get URL: body on 2xx (exit 0), nothing and exit 1 otherwise.
get() {
  node -e '
    fetch(process.argv[1], { headers: { Authorization: "Bearer " + process.argv[2] }, signal: AbortSignal.timeout(2000) })
      .then(async (r) => { const t = await r.text(); if (!r.ok) process.exit(1); process.stdout.write(t); })
      .catch(() => process.exit(1));' "$1" "$token"
}

token=e2e-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

read -r http_port nats_port < <(free_ports 2)
data=$(mktemp -d "${TMPDIR:-/tmp}/kanade-e2e.XXXXXX")
base=http://127.0.0.1:$http_port
log "serve on $base (static token), NATS on 127.0.0.1:$nats_port, data in $data"
env -u KANADE_AUTH_DISABLE -u KANADE_JWT_SECRET KANADE_AUTH_STATIC_TOKEN="$token" KANADE_OPENAPI_VALIDATE=1 "$BIN" serve --data "$data" --addr "127.0.0.1:$http_port" --nats-listen "127.0.0.1:$nats_port" >"$ART/serve.log" 2>&1 &
serve_pid=$!

ready=""
for _ in $(seq 1 150); do
  kill -0 "$serve_pid" 2>/dev/null || break
  if get "$base/readyz" >/dev/null; then ready=1; break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  tail -n 20 "$ART/serve.log"
  log "the console did not become ready within 30s"
  exit 1
fi

"$BIN" sim --nats-url "nats://127.0.0.1:$nats_port" --agents "$AGENTS" --heartbeat 2s --time-scale 0.05 \
  --failure-rate 0.1 --started-events >"$ART/sim.log" 2>&1 &
sim_pid=$!

online=""
for _ in $(seq 1 150); do
  kill -0 "$sim_pid" 2>/dev/null || break
  n=$(get "$base/api/health/fleet" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).agents.active)}catch{console.log(0)}})')
  if [ "${n:-0}" -ge "$AGENTS" ]; then online=1; break; fi
  sleep 0.2
done
if [ -z "$online" ]; then
  tail -n 20 "$ART/sim.log"
  log "the $AGENTS simulated agents did not come online within 30s"
  exit 1
fi
log "console ready, $AGENTS agents online after $(($(date +%s) - started))s"

# In the background so that a signal to this script runs the trap at once.
(cd frontend && E2E_BASE_URL=$base E2E_TOKEN=$token E2E_AGENTS=$AGENTS E2E_ARTIFACTS=$ART E2E_CHROMIUM=$CHROMIUM \
  exec timeout --kill-after=10 "$RUN_TIMEOUT" node e2e/run.mjs) > >(tee "$ART/run.log") 2>&1 &
tests_pid=$!
wait "$tests_pid"
rc=$?
tests_pid=""
[ "$rc" = 124 ] && log "the browser tests did not finish within ${RUN_TIMEOUT}s"

# serve checked every response the page received against /api/openapi.json
# (KANADE_OPENAPI_VALIDATE=1); the counts ride on each response's headers.
counts=$(node -e '
  fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
    .then((r) => console.log(r.headers.get("x-kanade-openapi-validated") + " " + r.headers.get("x-kanade-openapi-mismatches")))
    .catch(() => console.log("? ?"));' "$base/healthz")
read -r validated mismatches <<<"$counts"
log "openapi: $validated responses validated against /api/openapi.json, $mismatches mismatches"
if [ "$mismatches" != 0 ]; then
  grep "openapi response mismatch" "$ART/serve.log" | head -n 5
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
