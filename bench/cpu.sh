#!/usr/bin/env bash
# CPU share per process group while a benchmark runs: every INTERVAL seconds, COUNT times, one line such as
#   22:23:00 silo=72% api=81% postgres=41% loadgen=20% baseline=0%
# (100% = one core). Groups by command line: the silo, the API, the plain-PostgreSQL baseline,
# the load generator and every postgres process. Used for the "where the time goes" table in docs/benchmarks.md:
#   bench/cpu.sh 5 40 > cpu.txt & bench/run.sh --workloads spread,hot,spread,hot --duration 15
set -euo pipefail
INTERVAL="${1:-5}" COUNT="${2:-12}"
HZ="$(getconf CLK_TCK)"

# pid group ticks, for every process of a known group
sample() {
  local p pid cmd group
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    # (a process may end between the listing and the read: skip it quietly)
    cmd="$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | head -c 300)" || continue
    case "$cmd" in
      *FriendlyChaoyang.Silo.dll*) group=silo ;;
      *FriendlyChaoyang.Api.dll*) group=api ;;
      *Bench.Baseline.dll*) group=baseline ;;
      *FriendlyChaoyang.Bench.dll*) group=loadgen ;;
      postgres*|*bin/postgres*) group=postgres ;;
      *) continue ;;
    esac
    # utime and stime are fields 14 and 15 of /proc/PID/stat (our command names have no spaces)
    awk -v pid="$pid" -v g="$group" '{print pid, g, $14 + $15}' "$p/stat" 2>/dev/null || true
  done | sort
}

previous="$(sample)"
for _ in $(seq 1 "$COUNT"); do
  sleep "$INTERVAL"
  current="$(sample)"
  join -a1 <(echo "$current") <(echo "$previous") | awk -v hz="$HZ" -v dt="$INTERVAL" -v now="$(date +%T)" '
    { used[$2] += $3 - ($5 == "" ? 0 : $5) }
    END { line = now; for (g in used) line = line sprintf(" %s=%.0f%%", g, 100 * used[g] / hz / dt); print line }'
  previous="$current"
done
