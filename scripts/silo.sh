#!/usr/bin/env bash
# Starts or stops one silo of the local cluster that ./run.sh runs (same PostgreSQL, same cluster id).
#   scripts/silo.sh start N   silo N on ports 11111+N (silo) and 30000+N (gateway), in the background
#   scripts/silo.sh stop N    graceful stop (SIGTERM): its grains move to the other silos
#   scripts/silo.sh kill N    crash it (SIGKILL), for fault drills
#   scripts/silo.sh status    the silos this checkout started, and whether they run
# PIDs go to .data/pids/silo-N.pid, logs to .data/logs/silo-N.log. Settings come from the same environment
# variables as the silo itself (ConnectionStrings__Orleans, Orleans__ClusterId, ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
mkdir -p "$DATA/pids" "$DATA/logs"
export ConnectionStrings__Orleans="${ConnectionStrings__Orleans:-Host=127.0.0.1;Port=${FC_PG_PORT:-55432};Username=postgres;Database=friendly_chaoyang;Maximum Pool Size=64}"
# As ./run.sh: the local cluster shows the Orleans dashboard (off by default elsewhere; docs/operations.md).
export Dashboard__Enabled="${Dashboard__Enabled:-true}"
SILO_DLL="$ROOT/silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll"

pid_of() { cat "$DATA/pids/silo-$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

case "${1:-}" in
  start)
    n="${2:?silo number}"
    if running "$n"; then echo "silo-$n already runs (pid $(pid_of "$n"))"; exit 0; fi
    [[ -f "$SILO_DLL" ]] || dotnet build "$ROOT/silo/FriendlyChaoyang.Silo" -c Release -nologo -v q
    Orleans__SiloPort=$((11111 + n)) Orleans__GatewayPort=$((30000 + n)) Orleans__SiloName="silo-$n" \
      nohup dotnet "$SILO_DLL" >>"$DATA/logs/silo-$n.log" 2>&1 &
    echo $! >"$DATA/pids/silo-$n.pid"
    echo "silo-$n started (pid $!, ports $((11111 + n))/$((30000 + n)))"
    ;;
  stop|kill)
    n="${2:?silo number}"
    if ! running "$n"; then echo "silo-$n is not running"; rm -f "$DATA/pids/silo-$n.pid"; exit 0; fi
    pid="$(pid_of "$n")"
    if [[ "$1" == kill ]]; then kill -KILL "$pid"; else kill -TERM "$pid"; fi
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$DATA/pids/silo-$n.pid"
    echo "silo-$n ${1/stop/stopp}ed (pid $pid)"
    ;;
  status)
    for f in "$DATA"/pids/silo-*.pid; do
      [[ -e "$f" ]] || continue
      n="$(basename "$f" .pid)"; n="${n#silo-}"
      if running "$n"; then echo "silo-$n running (pid $(pid_of "$n"))"; else echo "silo-$n not running"; fi
    done
    ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
