#!/usr/bin/env bash
# Fault-injection suite: a throwaway PostgreSQL under /tmp, N silos and the API on 127.0.0.1 (API :5180, silos
# 11400+i / gateways 30400+i), a seeded mixed workload over HTTP while silos are SIGKILLed and PostgreSQL is
# paused, then the invariants. Exits non-zero if any check fails. See docs/operations.md.
#   tools/chaos.sh [--seed 42] [--duration 120] [--silos 3] [--pg-pause 30] [--workers 16] [--riders 80]
#   tools/chaos.sh --short        2 silos, 40 s, one silo kill and an 8 s PostgreSQL pause (run by test.sh)
#   --no-build                    skip the Release build (test.sh has just built)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/postgres.sh"
pg_require_binaries || exit 1

ARGS=()
BUILD=1
SHORT=0
DURATION=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --short) SHORT=1; DURATION=40; ARGS+=("$1"); shift ;;
    --duration) DURATION="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --seed|--silos|--pg-pause|--workers|--riders|--api-port) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] || { echo "--duration takes seconds" >&2; exit 2; }

RUN_DIR="$(mktemp -d /tmp/friendly-chaoyang-chaos.XXXXXX)"
chmod 755 "$RUN_DIR"
API_PORT="$(pg_free_port 5180 5199)"
# The suite's own timeout is duration + 300 s; this outer one also covers the build and start-up.
HARD_TIMEOUT=$((DURATION + 420))
KEEP="${CHAOS_KEEP_LOGS:-0}"

# Stops only what this run started: the PIDs the suite wrote to $RUN_DIR/pids (checked to still be our dotnet
# processes), and this run's PostgreSQL (resumed first if the suite was stopped while it was frozen).
cleanup() {
  if [[ -f "$RUN_DIR/pg-frozen" ]]; then xargs -r kill -CONT <"$RUN_DIR/pg-frozen" 2>/dev/null || true; fi
  if [[ -f "$RUN_DIR/pids" ]]; then
    while read -r pid; do
      if [[ -n "$pid" ]] && grep -qa FriendlyChaoyang "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done <"$RUN_DIR/pids"
  fi
  pg_stop "$RUN_DIR/pg/data"
  if [[ "$KEEP" == 1 ]]; then echo "logs kept in $RUN_DIR/logs"; else rm -rf "$RUN_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RUN_DIR/pg"
pg_init "$RUN_DIR/pg/data" && PG_PORT="$(pg_start_free "$RUN_DIR/pg/data" 55600 55699)" || exit 1
pg_create_db "$PG_PORT" fc_chaos || exit 1
echo "Chaos PostgreSQL on 127.0.0.1:$PG_PORT ($RUN_DIR/pg/data), API on 127.0.0.1:$API_PORT"

if [[ $BUILD -eq 1 ]]; then
  echo "Building (Release)..."
  dotnet build "$ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >"$RUN_DIR/build.log" 2>&1 || { tail -30 "$RUN_DIR/build.log"; exit 1; }
fi

timeout --signal=TERM --kill-after=20 "$HARD_TIMEOUT" \
  dotnet "$ROOT/tools/FriendlyChaoyang.Chaos/bin/Release/net10.0/FriendlyChaoyang.Chaos.dll" \
  --root "$ROOT" --run-dir "$RUN_DIR" --pg-data "$RUN_DIR/pg/data" --pg-port "$PG_PORT" --api-port "$API_PORT" "${ARGS[@]}"
status=$?
if [[ $status -ne 0 ]]; then
  echo "chaos suite exited with $status; logs: $RUN_DIR/logs (kept)"
  KEEP=1
fi
exit $status
