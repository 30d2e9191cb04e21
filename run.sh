#!/usr/bin/env bash
# Runs the whole system locally: PostgreSQL (127.0.0.1:55432, data under .data/), N silos and the REST API
# (http://127.0.0.1:5080). Ctrl-C or SIGTERM stops everything this script started.
#   ./run.sh              one silo
#   ./run.sh --silos 3    three silos in one cluster
#   ./run.sh --hosts 3    each silo, the API and PostgreSQL on its own host (network namespaces; root): scripts/hosts.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/postgres.sh"

SILOS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --silos) SILOS="$2"; shift 2 ;;
    --silos=*) SILOS="${1#*=}"; shift ;;
    --hosts) exec "$ROOT/scripts/hosts.sh" run --silos "${2:?--hosts takes a number of silos}" ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$SILOS" =~ ^[1-9][0-9]?$ ]] || { echo "--silos takes a number from 1 to 99" >&2; exit 2; }

export Auth__DevTokens="${Auth__DevTokens:-true}"
# The Orleans dashboard is off by default (it costs the silos CPU every second; docs/operations.md); on for a local run.
export Dashboard__Enabled="${Dashboard__Enabled:-true}"
API_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
if [[ "$Auth__DevTokens" == "true" ]]; then
  # The API refuses dev tokens in Production (the default environment): a local run with them is Development.
  API_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  cat >&2 <<'WARN'
################################################################################
#  WARNING: DEV TOKENS ARE ON (Auth__DevTokens=true)                           #
#  Anyone who reaches POST /api/v1/dev/tokens can mint ANY identity, admin     #
#  included. For this machine only: never expose this API to a network.        #
#  Turn them off with:  Auth__DevTokens=false ./run.sh                         #
################################################################################
WARN
fi

PG_PORT="${FC_PG_PORT:-55432}"
API_URL="${FC_API_URL:-http://127.0.0.1:5080}"
DATA="$ROOT/.data"
mkdir -p "$DATA/logs"
rm -rf "$DATA/pids"

pg_require_binaries
# The server runs as 'postgres' when we are root; if it cannot reach the checkout, keep its files in /var/tmp
# and link them from .data/pg.
PG_DATA="$DATA/pg"
if [[ ! -e "$PG_DATA" && $(id -u) -eq 0 ]] && ! pg_owner_can_reach "$DATA"; then
  target="/var/tmp/friendly-chaoyang-pg-$(echo "$ROOT" | md5sum | cut -c1-8)"
  mkdir -p "$target" && chown postgres:postgres "$target"
  ln -s "$target" "$PG_DATA"
fi
STARTED_PG=0
if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA/data" status >/dev/null 2>&1; then
  pg_init "$PG_DATA/data"
  pg_start "$PG_DATA/data" "$PG_PORT"
  STARTED_PG=1
fi
pg_create_db "$PG_PORT" friendly_chaoyang

export ConnectionStrings__Orleans="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=friendly_chaoyang;Maximum Pool Size=64"
KEY_FILE="$DATA/dev-signing-key"
[[ -s "$KEY_FILE" ]] || head -c 48 /dev/urandom | base64 -w0 >"$KEY_FILE"
export Auth__SigningKey="${Auth__SigningKey:-$(cat "$KEY_FILE")}"

echo "Building..."
dotnet build "$ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >"$DATA/logs/build.log" 2>&1 \
  || { tail -30 "$DATA/logs/build.log"; exit 1; }

API_PID=""
stop_all() {
  trap - INT TERM EXIT
  echo "Stopping..."
  if [[ -n "$API_PID" ]]; then kill -TERM "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; fi
  # Every silo of this checkout, including ones added with scripts/silo.sh while we ran.
  for f in "$DATA"/pids/silo-*.pid; do
    [[ -e "$f" ]] || continue
    n="$(basename "$f" .pid)"; "$ROOT/scripts/silo.sh" stop "${n#silo-}" >/dev/null
  done
  if [[ $STARTED_PG -eq 1 ]]; then pg_stop "$PG_DATA/data"; fi
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

for ((i = 0; i < SILOS; i++)); do
  "$ROOT/scripts/silo.sh" start "$i" >/dev/null
done
ASPNETCORE_ENVIRONMENT="$API_ENVIRONMENT" dotnet "$ROOT/client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll" \
  --contentRoot "$ROOT/client-api/FriendlyChaoyang.Api" --urls "$API_URL" >"$DATA/logs/api.log" 2>&1 &
API_PID=$!

echo "Waiting for $API_URL/readyz ..."
for _ in $(seq 1 180); do
  if curl -fsS "$API_URL/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$API_PID" 2>/dev/null || { echo "the API exited early; see $DATA/logs/api.log" >&2; exit 1; }
  "$ROOT/scripts/silo.sh" status | grep -q "not running" && { echo "a silo exited early; see $DATA/logs/" >&2; exit 1; }
  sleep 1
done
curl -fsS "$API_URL/readyz" >/dev/null || { echo "not ready after 180 s; see $DATA/logs/" >&2; exit 1; }

cat <<INFO
FriendlyChaoyang is running ($SILOS silo(s), PostgreSQL on 127.0.0.1:$PG_PORT)
  Console        $API_URL/console/   (operators: sign in with a token$([[ "$Auth__DevTokens" == "true" ]] && echo ", or mint a dev token on the page"))
  API            $API_URL/api/v1/stations/nearby?lat=39.9087&lon=116.4605
  API reference  $API_URL/docs
  OpenAPI        $API_URL/openapi/v1.json
  Dashboard      $([[ "$Dashboard__Enabled" == "true" ]] && echo "$API_URL/dashboard/   (admin token)" || echo "off (Dashboard__Enabled=false)")
  Metrics        $API_URL/metrics      (admin token)
  Dev tokens     $([[ "$Auth__DevTokens" == "true" ]] && echo "ON: POST $API_URL/api/v1/dev/tokens mints any identity" || echo off)
  Health         $API_URL/healthz  $API_URL/readyz
  Logs           $DATA/logs/
Add or remove silos while it runs: scripts/silo.sh start 3 | stop 3 | kill 3 | status
Press Ctrl-C to stop.
INFO
# Silos may come and go (that is the point of a cluster); the run ends when the API does or on Ctrl-C.
wait "$API_PID" || true
echo "the API exited; see $DATA/logs/api.log" >&2
