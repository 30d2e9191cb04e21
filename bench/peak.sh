#!/usr/bin/env bash
# The lunch peak for all 101,000 riders (docs/benchmarks.md): open-loop rate ladders against FriendlyChaoyang with 1
# silo and with 3 silos and against the plain-PostgreSQL alternative, the cold start (time to /readyz 200, then the
# first requests), and memory with every rider active in one silo. One throwaway PostgreSQL; prints one report.
#   bench/peak.sh                     full run, about 15-20 minutes on 2 cores
#   bench/peak.sh --smoke             everything scaled down (low rates, short windows, 3,000 riders), 5-8 minutes
#   bench/peak.sh --only 1silo        any of 1silo,3silos,baseline,memory (comma-separated)
#   bench/peak.sh --storage memory    FriendlyChaoyang with in-memory grain state: the non-durable ceiling
#   bench/peak.sh --cold              no morning: the ladder starts with every rider asleep (by default each rider
#                                     opens the app once before the ladder, as after a morning of deliveries)
# Knobs (defaults for the full run): --rates 1000,2000,3000,5000,7500,10000,15000 --warmup 5 --duration 20 --stay 10
# --riders 101000. Tokens and the signing key are cached in $PEAK_CACHE (default /tmp/friendly-chaoyang-peak).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/postgres.sh"
source "$ROOT/bench/lib.sh"

ONLY="1silo,3silos,baseline,memory"
STORAGE=postgres
MORNING=--morning
RATES=1000,2000,3000,5000,7500,10000,15000 WARMUP=5 DURATION=20 STAY=10 RIDERS=101000 MEMORY_RIDERS=101000 COLLECTION_AGE=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) RATES=300,600 WARMUP=2 DURATION=6 STAY=3 RIDERS=3000 MEMORY_RIDERS=5000 COLLECTION_AGE=20; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --storage) STORAGE="$2"; shift 2 ;;
    --cold) MORNING=; shift ;;
    --rates) RATES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --stay) STAY="$2"; shift 2 ;;
    --riders) RIDERS="$2" MEMORY_RIDERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$STORAGE" == postgres || "$STORAGE" == memory ]] || { echo "--storage is postgres or memory" >&2; exit 2; }
pg_require_binaries

CACHE="${PEAK_CACHE:-/tmp/friendly-chaoyang-peak}"
use_cached_signing_key

WORK="$(mktemp -d /tmp/friendly-chaoyang-peak-run.XXXXXX)"
chmod 755 "$WORK"
RESULTS="$WORK/results.jsonl"
REPORT="$WORK/report.md"
: >"$RESULTS"
PIDS=()
cleanup() {
  stop_started
  pg_stop "$WORK/pg/data"
  rm -rf "$WORK/pg"
  echo "logs: $WORK" >&2
}
trap cleanup EXIT
pg_init "$WORK/pg/data"
PG_PORT="$(pg_start_free "$WORK/pg/data" 55600 55699)"
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Max Auto Prepare=20"

# BENCH_NO_BUILD=1 runs the binaries as built (for back-to-back runs of one build).
[[ -n "${BENCH_NO_BUILD:-}" ]] || dotnet build "$ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
BENCH=("dotnet" "$ROOT/bench/FriendlyChaoyang.Bench/bin/Release/net10.0/FriendlyChaoyang.Bench.dll")
LADDER=(--rates "$RATES" --warmup "$WARMUP" --duration "$DURATION" --stay "$STAY" --riders "$RIDERS" --token-cache "$CACHE" --results "$RESULTS" $MORNING)
API=http://127.0.0.1:5181

{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') fsync on; grain storage: $STORAGE"
  echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Rates offered: $RATES req/s, $WARMUP s warm-up + $DURATION s measured each, stays of $STAY s, $RIDERS riders, $([[ -n $MORNING ]] && echo "a morning first (each rider opens the app once)" || echo "cold (no morning)")"
  echo
} >"$REPORT"

# start_friendly NAME SILOS [ENV...]: a fresh database, SILOS silos and the API; READY_MS: from starting them to /readyz 200.
start_friendly() {
  local name="$1" silos="$2"; shift 2
  pg_create_db "$PG_PORT" "fc_$name"
  local started; started=$(date +%s%N)
  for ((i = 0; i < silos; i++)); do
    env "$@" ConnectionStrings__Orleans="$CS;Database=fc_$name;Maximum Pool Size=64" Orleans__ClusterId="peak-$name" Orleans__ServiceId="peak-$name" \
      Orleans__SiloPort=$((11400 + i)) Orleans__GatewayPort=$((30400 + i)) Orleans__SiloName="silo-$i" Storage__InMemory=$([[ $STORAGE == memory ]] && echo true || echo false) \
      dotnet "$ROOT/silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll" >"$WORK/$name-silo-$i.log" 2>&1 &
    PIDS+=($!)
  done
  ConnectionStrings__Orleans="$CS;Database=fc_$name;Maximum Pool Size=16" Orleans__ClusterId="peak-$name" Orleans__ServiceId="peak-$name" \
    ASPNETCORE_ENVIRONMENT=Staging RateLimits__Enabled=false \
    dotnet "$ROOT/client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll" \
    --contentRoot "$ROOT/client-api/FriendlyChaoyang.Api" --urls "$API" >"$WORK/$name-api.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    curl -fsS -m 5 "$API/readyz" >/dev/null 2>&1 && break
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process of $name exited; see $WORK" >&2; exit 1; }; done
    sleep 0.2
  done
  curl -fsS -m 5 "$API/readyz" >/dev/null || { echo "$name not ready after 120 s; see $WORK" >&2; exit 1; }
  READY_MS=$((($(date +%s%N) - started) / 1000000))
}

# run_friendly NAME SILOS: cold start, first requests, the ladder, the nearby bar; the silos' batch sizes after they stop.
run_friendly() {
  local name="$1" silos="$2"
  start_friendly "$name" "$silos"
  echo "- cold start, $silos silo(s): /readyz 200 $((READY_MS / 1000)).$((READY_MS % 1000 / 100)) s after starting the silos and the API" >>"$WORK/notes"
  "${BENCH[@]}" --mode first --api "$API" --target "FriendlyChaoyang, $silos silo(s)" --riders 2000 --token-cache "$CACHE" | sed 's/^/- /' >>"$WORK/notes"
  "${BENCH[@]}" --mode peak --api "$API" --target "FriendlyChaoyang, $silos silo(s)" "${LADDER[@]}"
  # After the ladder: the probe's top rate may overload the system, and its backlog must not land in the ladder.
  "${BENCH[@]}" --mode nearby --api "$API" --target "FriendlyChaoyang, $silos silo(s)" --warmup "$WARMUP" --duration "$DURATION" | sed '1s/^/- /' >>"$WORK/notes"
  stop_started
  grep -ho "Batched storage: .*" "$WORK/$name"-silo-*.log | sed "s/^/- $silos silo(s): /" >>"$WORK/notes" || true
}

IFS=',' read -ra STEPS <<<"$ONLY"
for step in "${STEPS[@]}"; do
  case "$step" in
    1silo) run_friendly one 1 ;;
    3silos) run_friendly three 3 ;;
    baseline)
      pg_create_db "$PG_PORT" fc_baseline
      ConnectionStrings__Baseline="$CS;Database=fc_baseline;Maximum Pool Size=64" ASPNETCORE_URLS=http://127.0.0.1:5191 \
        dotnet "$ROOT/bench/FriendlyChaoyang.Bench.Baseline/bin/Release/net10.0/FriendlyChaoyang.Bench.Baseline.dll" >"$WORK/baseline.log" 2>&1 &
      PIDS+=($!)
      for _ in $(seq 1 300); do curl -fsS -m 5 http://127.0.0.1:5191/bench/invariants >/dev/null 2>&1 && break; sleep 0.2; done
      "${BENCH[@]}" --mode peak --api http://127.0.0.1:5191 --target "plain PostgreSQL row lock" --postgres-baseline "${LADDER[@]}"
      stop_started
      ;;
    memory)
      # One silo that logs its runtime stats every 2 s (after a full GC: the heap is the live set) and deactivates riders
      # idle for COLLECTION_AGE seconds.
      start_friendly memory 1 Diagnostics__RuntimeStatsPeriod=00:00:02 Diagnostics__CollectBeforeStats=true Orleans__GrainCollection__CollectionAge="00:$((COLLECTION_AGE / 60)):$((COLLECTION_AGE % 60))" \
        Orleans__GrainCollection__CollectionQuantum=00:00:05
      "${BENCH[@]}" --mode memory --api "$API" --riders "$MEMORY_RIDERS" --token-cache "$CACHE" --silo-log "$WORK/memory-silo-0.log" >"$WORK/memory.md"
      stop_started
      ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done

{
  if [[ -s "$RESULTS" ]]; then
    echo "Open loop: latency from each request's intended send time; an error is any answer but 200/201 (and 409 on a check-in) or no answer in 30 s."
    echo
    "${BENCH[@]}" --mode table --results "$RESULTS"
  fi
  [[ -s "$WORK/notes" ]] && cat "$WORK/notes"
  if [[ -s "$WORK/memory.md" ]]; then
    echo
    echo "Memory, one silo, the 791 stations warm; riders activated by GET /riders/me (rider + points ledger grains); collection age $COLLECTION_AGE s;"
    echo "GC heap = live set after a forced full GC (those induced GCs are not in the pause figures):"
    echo
    cat "$WORK/memory.md"
  fi
} >>"$REPORT"
cat "$REPORT"
