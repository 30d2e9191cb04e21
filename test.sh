#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL that this script starts and removes.
# Then runs the short fault-injection suite (tools/chaos.sh --short, and --short --hosts 3 where network namespaces
# work) as one more test each.
# Ends with one line: "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/postgres.sh"
pg_require_binaries || exit 1

PG_DIR="$(mktemp -d /tmp/friendly-chaoyang-test-pg.XXXXXX)"
chmod 755 "$PG_DIR"
cleanup() {
  pg_stop "$PG_DIR/data"
  rm -rf "$PG_DIR"
}
trap cleanup EXIT

pg_init "$PG_DIR/data" && PG_PORT="$(pg_start_free "$PG_DIR/data" 55440 55499)" || { echo "0 passed, 1 failed"; exit 1; }
export FC_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Timeout=30"
echo "Test PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"

cd "$ROOT"
dotnet build FriendlyChaoyang.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }

# The API tests lint the OpenAPI document with Spectral (tools/spectral, pinned by its package-lock.json); node_modules is git-ignored.
if [[ ! -x tools/spectral/node_modules/.bin/spectral ]]; then
  npm ci --prefix tools/spectral --no-audit --no-fund --loglevel=error \
    || echo "Could not install Spectral with npm; the OpenAPI lint test will fail."
fi

# The operator console's browser tests drive Debian's headless chromium (a CJK font makes their screenshots readable).
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "Installing chromium and chromedriver for the console browser tests..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei; } >/dev/null \
    || echo "Could not install chromium with apt-get; the console browser tests will fail."
fi

LOG="$PG_DIR/dotnet-test.log"
dotnet test FriendlyChaoyang.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test assembly.
passed=$(grep -oE 'Passed: +[0-9]+' "$LOG" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$LOG" | awk '{s += $2} END {print s + 0}')
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
cleanup
trap - EXIT

# The short fault-injection runs (their own PostgreSQL, silos and API; see docs/operations.md) count as one more test
# each: on 127.0.0.1, then on separate hosts with network partitions where this machine can make network namespaces.
# Skipped when extra arguments select tests (e.g. ./test.sh --filter Stations).
if [[ $# -eq 0 ]]; then
  echo "Chaos suite (short): tools/chaos.sh --short --no-build"
  if "$ROOT/tools/chaos.sh" --short --no-build; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    status=1
  fi
  if why="$("$ROOT/scripts/hosts.sh" check)"; then
    echo "Chaos suite on hosts (short): tools/chaos.sh --short --hosts 3 --no-build"
    if "$ROOT/tools/chaos.sh" --short --hosts 3 --no-build; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      status=1
    fi
  else
    echo "SKIPPED: chaos suite on hosts (tools/chaos.sh --short --hosts 3): $why"
  fi
fi
echo "$passed passed, $failed failed"
exit $status
