# Shared by the desktop smoke scripts (sourced, not run).

# wait_window TITLE SECONDS: waits until a visible window with that title is
# mapped. xdotool's own --sync walks the window tree and aborts with X's
# BadWindow when a window in it is destroyed mid-walk (WebKit's helper windows
# come and go while the app starts; it failed a CI run), so poll a plain
# search instead and treat an X error as "not yet".
wait_window() {
  local title=$1 secs=$2 i
  for ((i = 0; i < secs * 4; i++)); do
    if xdotool search --onlyvisible --name "$title" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

# fail_report NAME LOG MESSAGE: the end of a failed smoke run. CI shows only
# the last lines of the output, so the message comes last, after the app's
# log (INFO and above) and the bound calls the window made.
fail_report() {
  local name=$1 log=$2
  shift 2
  echo "--- last lines of $log (INFO and above, bound calls omitted) ---" >&2
  grep -v 'msg="bound call"' "$log" | grep -v 'level=DEBUG' | tail -15 >&2 || true
  echo "--- bound calls so far: $(grep -o 'msg="bound call".* op=[A-Za-z]*' "$log" | sed 's/.* op=//' | sort | uniq -c | tr -s ' \n' ' ')" >&2
  echo "$name: FAIL after $(($(date +%s) - ${SMOKE_START:-$(date +%s)})) s: $*" >&2
}

# free_port: a loopback TCP port in 20000-39999 nothing listens on (the
# NATS listener of the app under test); fails after 50 tries.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! ss -Hltn "sport = :$p" | grep -q .; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# bound OP: the debug lines of package app for calls of that bound method
# in the app's log ($log).
bound() { grep 'msg="bound call"' "$log" | grep -E " op=$1( |\$)"; }
