#!/usr/bin/env bash
# Benchmark: FriendlyChaoyang (1 silo + API) against the plain-PostgreSQL baseline, both on one throwaway
# PostgreSQL, same machine, same load generator. Prints a markdown table; extra arguments go to the generator
# (e.g. --duration 30 --concurrency 128 --workloads hot,spread). --storage memory (first) runs the silo with in-memory
# grain state: the non-durable ceiling of the same design, to compare the durable path with.
set -euo pipefail
STORAGE_IN_MEMORY=false
if [[ "${1:-}" == --storage ]]; then
  [[ "${2:-}" == memory || "${2:-}" == postgres ]] || { echo "--storage is memory or postgres" >&2; exit 2; }
  [[ "$2" == memory ]] && STORAGE_IN_MEMORY=true
  shift 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/postgres.sh"
source "$ROOT/bench/lib.sh"
pg_require_binaries

PG_DIR="$(mktemp -d /tmp/friendly-chaoyang-bench-pg.XXXXXX)"
chmod 755 "$PG_DIR"
PIDS=()
cleanup() {
  stop_started
  grep -ho "Batched storage: .*" "$PG_DIR"/silo-*.log >&2 || true
  pg_stop "$PG_DIR/data"
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
pg_init "$PG_DIR/data"
PG_PORT="$(pg_start_free "$PG_DIR/data" 55500 55599)"
pg_create_db "$PG_PORT" fc_bench
pg_create_db "$PG_PORT" fc_baseline

# BENCH_NO_BUILD=1 runs the binaries as built (for back-to-back runs of one build).
[[ -n "${BENCH_NO_BUILD:-}" ]] || dotnet build "$ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >"$PG_DIR/build.log" 2>&1 || { tail -30 "$PG_DIR/build.log"; exit 1; }

KEY="$(head -c 48 /dev/urandom | base64 -w0)"
export Auth__SigningKey="$KEY" Auth__DevTokens=true
export Orleans__ClusterId=bench Orleans__ServiceId=bench
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Max Auto Prepare=20"
# SILOS=3 bench/run.sh ... runs the cluster on three silos (the ports workload reports each one's memory).
SILO_PIDS=()
for n in $(seq 0 $((${SILOS:-1} - 1))); do
  ConnectionStrings__Orleans="$CS;Database=fc_bench;Maximum Pool Size=64" Orleans__SiloPort=$((11300 + n)) Orleans__GatewayPort=$((30300 + n)) \
    Storage__InMemory=$STORAGE_IN_MEMORY \
    dotnet "${BENCH_SILO_DLL:-$ROOT/silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll}" >"$PG_DIR/silo-$n.log" 2>&1 &
  PIDS+=($!)
  SILO_PIDS+=($!)
done
# Staging: dev tokens are refused in Production, and Development adds what production does not run (the developer
# exception page, DI scope checks). No rate limits: every bench rider comes from one address.
ConnectionStrings__Orleans="$CS;Database=fc_bench;Maximum Pool Size=16" ASPNETCORE_ENVIRONMENT=Staging RateLimits__Enabled=false \
  dotnet "$ROOT/client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll" \
  --contentRoot "$ROOT/client-api/FriendlyChaoyang.Api" --urls http://127.0.0.1:5081 >"$PG_DIR/api.log" 2>&1 &
PIDS+=($!)
ConnectionStrings__Baseline="$CS;Database=fc_baseline;Maximum Pool Size=64" ASPNETCORE_URLS=http://127.0.0.1:5091 \
  dotnet "$ROOT/bench/FriendlyChaoyang.Bench.Baseline/bin/Release/net10.0/FriendlyChaoyang.Bench.Baseline.dll" >"$PG_DIR/baseline.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 120); do
  curl -fsS -m 5 http://127.0.0.1:5081/readyz >/dev/null 2>&1 && curl -fsS -m 5 'http://127.0.0.1:5091/bench/invariants' >/dev/null 2>&1 && break
  sleep 1
done
echo "Grain storage in memory: $STORAGE_IN_MEMORY; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') fsync on" >&2
dotnet "$ROOT/bench/FriendlyChaoyang.Bench/bin/Release/net10.0/FriendlyChaoyang.Bench.dll" \
  --api http://127.0.0.1:5081 --baseline http://127.0.0.1:5091 \
  --database "$CS;Database=fc_bench" --silo-pids "$(IFS=,; echo "${SILO_PIDS[*]}")" "$@"
