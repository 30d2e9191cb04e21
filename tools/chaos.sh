#!/usr/bin/env bash
# Fault-injection suite: a throwaway PostgreSQL under /tmp, N silos and the API on 127.0.0.1 (API :5180, silos
# 11400+i / gateways 30400+i), a seeded mixed workload over HTTP while silos are SIGKILLed and PostgreSQL is
# paused, then the invariants. Exits non-zero if any check fails. See docs/operations.md.
#   tools/chaos.sh [--seed 42] [--duration 120] [--silos 3] [--pg-pause 30] [--workers 16] [--riders 80]
#   tools/chaos.sh --short        2 silos, 40 s, one silo kill and an 8 s PostgreSQL pause (run by test.sh)
#   --no-build                    skip the Release build (test.sh has just built)
#   tools/chaos.sh --hosts 3 [--seed N] [--short]   each silo, the API and PostgreSQL on its own host (network
#                                 namespaces, scripts/hosts.sh; root only), adding partition faults: a silo cut off
#                                 from the other silos, from PostgreSQL, the API from a gateway, a one-way link
#                                 (default 300 s, --short 130 s). Exits 77 if this machine cannot make namespaces.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/postgres.sh"
source "$ROOT/scripts/hosts.sh"
pg_require_binaries || exit 1

ARGS=()
BUILD=1
SHORT=0
DURATION=""
HOSTS=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --short) SHORT=1; ARGS+=("$1"); shift ;;
    --duration) DURATION="$2"; shift 2 ;;
    --hosts) HOSTS="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --seed|--silos|--pg-pause|--workers|--riders|--api-port) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$DURATION" ]]; then
  if [[ $HOSTS -gt 0 ]]; then DURATION=$((SHORT ? 130 : 300)); else DURATION=$((SHORT ? 40 : 120)); fi
fi
[[ "$DURATION" =~ ^[0-9]+$ ]] || { echo "--duration takes seconds" >&2; exit 2; }
[[ "$HOSTS" =~ ^[0-9]$ ]] || { echo "--hosts takes 2 to 9 silos" >&2; exit 2; }
ARGS+=(--duration "$DURATION")
if [[ $HOSTS -gt 0 ]]; then
  why="$(hosts_check)" || { echo "SKIPPED: tools/chaos.sh --hosts needs network namespaces: $why" >&2; exit 77; }
  [[ $HOSTS -ge 2 ]] || { echo "--hosts takes 2 to 9 silos (partitions need two)" >&2; exit 2; }
fi

RUN_DIR="$(mktemp -d /tmp/friendly-chaoyang-chaos.XXXXXX)"
chmod 755 "$RUN_DIR"
HOSTS_ID=""
if [[ $HOSTS -gt 0 ]]; then
  API_PORT=5080  # the API's own host: no port to share
else
  API_PORT="$(pg_free_port 5180 5199)"
fi
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
  # The hosts: whatever still runs inside them, the namespaces, the bridge and the veth pairs.
  if [[ -n "$HOSTS_ID" ]]; then hosts_heal "$HOSTS_ID"; hosts_net_down "$HOSTS_ID"; fi
  if [[ "$KEEP" == 1 ]]; then echo "logs kept in $RUN_DIR/logs"; else rm -rf "$RUN_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RUN_DIR/pg"
if [[ $HOSTS -gt 0 ]]; then
  # Instances 20-39 of scripts/hosts.sh (./run.sh --hosts uses 1): PostgreSQL on the db host, port 5432.
  HOSTS_ID="$(hosts_claim 20 39)" || exit 1
  hosts_net_up "$HOSTS_ID" "$HOSTS" || { echo "could not create the hosts network" >&2; exit 1; }
  echo "$RUN_DIR/pg/data" >"$(hosts_state "$HOSTS_ID")/pg-data"  # so FC_HOSTS_ID=N scripts/hosts.sh down can clean up by hand
  export PG_HOST; PG_HOST="$(hosts_addr "$HOSTS_ID" db)"
  PG_PORT=5432
  pg_init "$RUN_DIR/pg/data" && pg_allow_subnet "$RUN_DIR/pg/data" "10.231.$HOSTS_ID.0/24" || exit 1
  hosts_exec "$HOSTS_ID" db env PG_HOST="$PG_HOST" bash -c "source '$ROOT/scripts/postgres.sh' && pg_start '$RUN_DIR/pg/data' $PG_PORT" || exit 1
  ARGS+=(--hosts-id "$HOSTS_ID")
else
  pg_init "$RUN_DIR/pg/data" && PG_PORT="$(pg_start_free "$RUN_DIR/pg/data" 55600 55699)" || exit 1
fi
pg_create_db "$PG_PORT" fc_chaos || exit 1
echo "Chaos PostgreSQL on $PG_HOST:$PG_PORT ($RUN_DIR/pg/data), API port $API_PORT${HOSTS_ID:+, hosts fcy$HOSTS_ID-* on 10.231.$HOSTS_ID.0/24}"

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
