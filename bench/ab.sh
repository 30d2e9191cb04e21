#!/usr/bin/env bash
# Same-time A/B of two builds or settings of FriendlyChaoyang on one throwaway PostgreSQL: the load generator measures
# A, then B, then A again..., so both sides see the same machine (single runs here differ by 10-20% from minute to minute).
#
#   A_ENV="..." B_ENV="..."            environment for API A / API B (e.g. B_ENV="DOTNET_gcServer=0")
#   SILO_A_ENV / SILO_B_ENV            environment for side A's / side B's silos (two-system layout only)
#   A_DLL / B_DLL, SILO_A_DLL / SILO_B_DLL   other builds of the API / silo (default: this checkout's Release build)
#   SILOS=3                            silos per cluster (default 1);  ROUNDS=3   A/B rounds for --mode runs (default 3)
#
#   bench/ab.sh --workloads spread,spread,spread --warmup 15 --duration 10    two whole systems (silos + API each),
#                                                 closed loop: each workload runs against A, then B
#                                                 (each run also prints each side's CPU time per op, silo and API:
#                                                 steadier than ops/s; when one side's silo changed, compare its
#                                                 silo/API ratio with the other side's)
#   bench/ab.sh --shared-cluster --mode nearby --warmup 5 --duration 12       one cluster, two APIs; the generator's
#                                                 --mode (nearby, peak ...) runs against A, then B, ROUNDS times
set -euo pipefail
SHARED=false
[[ "${1:-}" == --shared-cluster ]] && { SHARED=true; shift; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/postgres.sh"
source "$ROOT/bench/lib.sh"
pg_require_binaries
[[ -n "${BENCH_NO_BUILD:-}" ]] || dotnet build "$ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/friendly-chaoyang-ab.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  stop_started
  pg_stop "$WORK/data"
  rm -rf "$WORK/data"
  echo "logs: $WORK" >&2
}
trap cleanup EXIT
pg_init "$WORK/data"
PG_PORT="$(pg_start_free "$WORK/data" 55700 55799)"
CACHE="${PEAK_CACHE:-/tmp/friendly-chaoyang-peak}"
use_cached_signing_key
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Max Auto Prepare=20"
SILO_DLL="$ROOT/silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll"
API_DLL="$ROOT/client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll"

# Each side's processes by group ("A.silo" -> pids), for the generator's CPU time per op (two-system layout).
declare -A CPU_PIDS

# start_silos CLUSTER FIRST_PORT_OFFSET [ENV...]
start_silos() {
  local cluster="$1" offset="$2"; shift 2
  pg_create_db "$PG_PORT" "fc_$cluster"
  for ((i = 0; i < ${SILOS:-1}; i++)); do
    env "$@" ConnectionStrings__Orleans="$CS;Database=fc_$cluster;Maximum Pool Size=64" Orleans__ClusterId="ab-$cluster" Orleans__ServiceId="ab-$cluster" \
      Orleans__SiloPort=$((11500 + offset + i)) Orleans__GatewayPort=$((30500 + offset + i)) Orleans__SiloName="silo-$cluster-$i" \
      dotnet "$(silo_dll "$cluster")" >"$WORK/silo-$cluster-$i.log" 2>&1 &
    PIDS+=($!)
    CPU_PIDS[${cluster^^}.silo]+="$! "
  done
}
silo_dll() { local v="SILO_${1^^}_DLL"; echo "${!v:-$SILO_DLL}"; }

# start_api SIDE CLUSTER PORT: the side's API, with its environment and build.
start_api() {
  local side="$1" cluster="$2" port="$3" envv="${1}_ENV" dllv="${1}_DLL"
  env ${!envv:-} ConnectionStrings__Orleans="$CS;Database=fc_$cluster;Maximum Pool Size=16" Orleans__ClusterId="ab-$cluster" Orleans__ServiceId="ab-$cluster" \
    ASPNETCORE_ENVIRONMENT=Staging RateLimits__Enabled=false \
    dotnet "${!dllv:-$API_DLL}" --contentRoot "$ROOT/client-api/FriendlyChaoyang.Api" --urls "http://127.0.0.1:$port" >"$WORK/api-$side.log" 2>&1 &
  PIDS+=($!)
  CPU_PIDS[$side.api]="$!"
}

if $SHARED; then
  start_silos a 0
  start_api A a 5281
  start_api B a 5282
else
  start_silos a 0 ${SILO_A_ENV:-}
  start_silos b 10 ${SILO_B_ENV:-}
  start_api A a 5281
  start_api B b 5282
fi
for _ in $(seq 1 180); do
  curl -fsS -m 5 http://127.0.0.1:5281/readyz >/dev/null 2>&1 && curl -fsS -m 5 http://127.0.0.1:5282/readyz >/dev/null 2>&1 && break
  sleep 1
done
echo "A: ${A_ENV:-} ${SILO_A_ENV:-} ${A_DLL:-} ${SILO_A_DLL:-}; B: ${B_ENV:-} ${SILO_B_ENV:-} ${B_DLL:-} ${SILO_B_DLL:-}; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
BENCH=(dotnet "$ROOT/bench/FriendlyChaoyang.Bench/bin/Release/net10.0/FriendlyChaoyang.Bench.dll")
if [[ " $* " == *" --mode "* ]]; then
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for side in A B; do
      echo "## $side, round $round"
      "${BENCH[@]}" --api "http://127.0.0.1:$([[ $side == A ]] && echo 5281 || echo 5282)" --target "$side" --token-cache "$CACHE" "$@"
    done
  done
else
  cpu_pids=""
  for group in "${!CPU_PIDS[@]}"; do cpu_pids+="$group=${CPU_PIDS[$group]};"; done
  "${BENCH[@]}" --api http://127.0.0.1:5281 --targets "A=http://127.0.0.1:5281,B=http://127.0.0.1:5282" --cpu-pids "$cpu_pids" "$@"
fi
