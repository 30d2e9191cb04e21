# Helpers to run a private PostgreSQL cluster for local runs and tests. Source it; do not execute it.
# PostgreSQL refuses to run as root, so when we are root the server runs as the 'postgres' user.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# The address the server listens on and clients connect to: 127.0.0.1, or a host address inside a network namespace
# (scripts/hosts.sh runs PostgreSQL on its own "db" host).
PG_HOST="${PG_HOST:-127.0.0.1}"

pg_require_binaries() {
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "PostgreSQL server binaries not found in $PG_BIN; installing postgresql-15" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    fi
    [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL 15 server binaries are required in $PG_BIN (set PG_BIN)" >&2; return 1; }
  fi
}

# Runs a command as the user that owns the cluster.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when the cluster's owner can reach the directory (every parent must be traversable).
pg_owner_can_reach() {
  pg_as_owner test -x "$1" 2>/dev/null
}

# pg_init DATA_DIR: creates a cluster if DATA_DIR has none. Local connections only, trust auth.
pg_init() {
  local data="$1"
  if [[ -f "$data/PG_VERSION" ]]; then return 0; fi
  mkdir -p "$data"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$data"; fi
  chmod 700 "$data"
  pg_as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$data/../initdb.log" 2>&1 \
    || { cat "$data/../initdb.log" >&2; return 1; }
}

# pg_start DATA_DIR PORT: starts the cluster on $PG_HOST:PORT unless it already runs.
pg_start() {
  local data="$1" port="$2"
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then return 0; fi
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-p $port -k $data -c listen_addresses=$PG_HOST -c max_connections=400 -c shared_buffers=256MB" >/dev/null \
    || { tail -20 "$data/server.log" >&2; return 1; }
}

pg_stop() {
  local data="$1"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_allow_subnet DATA_DIR CIDR: trusts connections from CIDR too (the other hosts of scripts/hosts.sh); takes effect
# at the next start.
pg_allow_subnet() {
  grep -qF "host all all $2 trust" "$1/pg_hba.conf" || echo "host all all $2 trust" >>"$1/pg_hba.conf"
}

# pg_create_db PORT NAME: creates a database if it does not exist.
pg_create_db() {
  local port="$1" name="$2"
  if ! "$PG_BIN/psql" -h "$PG_HOST" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" postgres | grep -q 1; then
    "$PG_BIN/psql" -h "$PG_HOST" -p "$port" -U postgres -qc "CREATE DATABASE $name" postgres
  fi
}

# pg_port_in_use PORT: something listens on 127.0.0.1:PORT, or a connection uses PORT as its local port (ports
# 32768-60999 are also handed out to outgoing connections, and a server cannot bind over one of those).
pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  command -v ss >/dev/null && [[ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]]
}

# pg_free_port FROM TO: prints the first port in the range nobody uses.
pg_free_port() {
  local port
  for ((port = $1; port <= $2; port++)); do
    if ! pg_port_in_use "$port"; then echo "$port"; return 0; fi
  done
  return 1
}

# pg_start_free DATA_DIR FROM TO: starts the cluster on the first port of the range it can bind (a port can be taken
# between the check and the bind) and prints that port.
pg_start_free() {
  local data="$1" port
  for ((port = $2; port <= $3; port++)); do
    pg_port_in_use "$port" && continue
    if pg_start "$data" "$port" 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "No port in $2-$3 could be bound for PostgreSQL." >&2
  return 1
}
