#!/usr/bin/env bash
# The flake check of issue 13: the fleetsim and console packages, COUNT
# consecutive runs each under -race, while a CPU burner keeps every core
# busy (stress-ng --cpu N when installed, else N `yes` processes). It prints
# passes and failures per test and exits non-zero on any failure.
#
#   scripts/flake-check.sh                       # 30 runs of both packages
#   COUNT=10 PKGS=./backend/console/ scripts/flake-check.sh
#   RUN='TestSchedule|TestTwoConsoles' COUNT=30 PKGS=./backend/console/ scripts/flake-check.sh
#   BURNERS=0 scripts/flake-check.sh             # no burner
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-30}
BURNERS=${BURNERS:-2}
PKGS=${PKGS:-./backend/fleetsim/ ./backend/console/}
RUN=${RUN:-}
LOG=${LOG:-$(mktemp -t flake-check.XXXXXX.log)}

pids=()
stop_burners() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop_burners EXIT
if [ "$BURNERS" -gt 0 ]; then
  if command -v stress-ng >/dev/null; then
    stress-ng --cpu "$BURNERS" --quiet >/dev/null 2>&1 &
    pids+=("$!")
    burner="stress-ng --cpu $BURNERS"
  else
    for _ in $(seq "$BURNERS"); do
      yes >/dev/null &
      pids+=("$!")
    done
    burner="$BURNERS x yes"
  fi
else
  burner="none"
fi

echo "flake check: go test -race -count=$COUNT${RUN:+ -run '$RUN'} $PKGS; CPU burner: $burner; log: $LOG"
start=$(date +%s)
status=0
# -timeout 0: COUNT runs of the console package take longer than the
# default 10 minutes per test binary.
go test -race -count="$COUNT" -timeout 0 -v ${RUN:+-run "$RUN"} $PKGS >"$LOG" 2>&1 || status=$?
took=$(( $(date +%s) - start ))

# Per top-level test: passes and failures over the runs.
awk '
  /^--- (PASS|FAIL|SKIP): / {
    split($0, f, " "); name = f[3]
    if (name ~ /\//) next
    res[name, f[2]]++; names[name] = 1
  }
  END {
    for (n in names) {
      p = res[n, "PASS:"] + 0; x = res[n, "FAIL:"] + 0; s = res[n, "SKIP:"] + 0
      printf "%-60s %4d passed %4d failed%s\n", n, p, x, (s ? sprintf(" %d skipped", s) : "")
      tp += p; tf += x
    }
    printf "~ total: %d passed, %d failed\n", tp, tf
  }' "$LOG" | LC_ALL=C sort
grep -E '^(ok|FAIL|---) ' "$LOG" | grep -vE '^--- (PASS|SKIP)' | grep -E '^(ok|FAIL)' || true
echo "wall time: ${took} s (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$status" -ne 0 ]; then
  echo "FAILURES: see $LOG"
  grep -n -A15 -E '^--- FAIL' "$LOG" | head -200 || true
fi
exit "$status"
