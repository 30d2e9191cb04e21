#!/usr/bin/env bash
# The cluster on separate hosts inside this machine: one network namespace per host (db, api, silo-1..N), each with
# its own address on a private bridge, so links between them can be cut. Root only; see docs/operations.md.
#   scripts/hosts.sh up [--silos 3]     namespaces + PostgreSQL on db + silos (each restarted by a supervisor loop
#                                       if it exits, e.g. after the cluster declared it dead) + the API; returns when ready
#   scripts/hosts.sh down               stops every process it started (by PID) and removes every namespace and link
#   scripts/hosts.sh run [--silos 3]    up, wait for Ctrl-C, down (what ./run.sh --hosts 3 does)
#   scripts/hosts.sh status             hosts, addresses, processes, cut links
#   scripts/hosts.sh cut A B [--one-way]   drop packets A -> B and B -> A (with --one-way only A -> B); A, B: db api silo-N
#   scripts/hosts.sh heal [A B]         remove the cuts (all, or between A and B)
#   scripts/hosts.sh check              exit 0 if this machine can make network namespaces (root, ip netns)
# FC_HOSTS_ID (default 1, 1-99) picks the subnet 10.231.ID.0/24 and the names fcyID-*, so several instances (the chaos
# suite uses 20-39) live side by side. Hosts: bridge (root namespace) .1, db .2, api .3, silo-N .(10+N).
# Source it for the functions (tools/chaos.sh does); executing it runs the command.

HOSTS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS_STATE_BASE=/run/fcy-hosts

hosts_ns() { echo "fcy$1-$2"; }  # ID HOST -> namespace name, e.g. fcy1-silo-2
hosts_bridge() { echo "fcy$1br"; }
hosts_state() { echo "$HOSTS_STATE_BASE/$1"; }

# hosts_addr ID HOST: the host's address.
hosts_addr() {
  case "$2" in
    bridge) echo "10.231.$1.1" ;;
    db) echo "10.231.$1.2" ;;
    api) echo "10.231.$1.3" ;;
    silo-[1-9]) echo "10.231.$1.$((10 + ${2#silo-}))" ;;
    *) echo "unknown host '$2' (db, api, silo-1..9)" >&2; return 1 ;;
  esac
}

# hosts_list ID: the hosts of a running instance.
hosts_list() {
  local n i
  n="$(cat "$(hosts_state "$1")/silos" 2>/dev/null || echo 0)"
  echo db api
  for ((i = 1; i <= n; i++)); do echo "silo-$i"; done
}

hosts_check() {
  [[ $(id -u) -eq 0 ]] || { echo "needs root (network namespaces)"; return 1; }
  command -v ip >/dev/null || { echo "needs iproute2 (ip)"; return 1; }
  local probe="fcyp$$"  # interface names are at most 15 characters
  ip netns add "$probe" 2>/dev/null || { echo "this machine cannot create network namespaces (ip netns add failed)"; return 1; }
  ip link add "$probe" type veth peer name "${probe}p" 2>/dev/null || { ip netns del "$probe"; echo "this machine cannot create veth pairs"; return 1; }
  ip link del "$probe" 2>/dev/null
  ip netns del "$probe"
}

# hosts_claim FROM TO: claims the first free instance id in the range (a lock directory) and prints it.
hosts_claim() {
  local id
  mkdir -p "$HOSTS_STATE_BASE"
  for ((id = $1; id <= $2; id++)); do
    # Skip a subnet this machine already routes (someone else's network), then take the lock atomically.
    [[ -n "$(ip route show to match "10.231.$id.1" 2>/dev/null | grep -v '^default')" ]] && continue
    if mkdir "$(hosts_state "$id")" 2>/dev/null; then echo "$id"; return 0; fi
  done
  echo "no free instance id in $1-$2 (see $HOSTS_STATE_BASE)" >&2
  return 1
}

# hosts_net_up ID SILOS: the bridge, one namespace per host, a veth pair from each to the bridge. The state directory
# (hosts_claim, or made here) records what exists so hosts_net_down removes exactly that.
hosts_net_up() {
  local id="$1" silos="$2" state host ns veth
  state="$(hosts_state "$id")"
  mkdir -p "$state"
  echo "$silos" >"$state/silos"
  local bridge; bridge="$(hosts_bridge "$id")"
  ip link add "$bridge" type bridge && echo "$bridge" >>"$state/links" || return 1
  ip addr add "$(hosts_addr "$id" bridge)/24" dev "$bridge" && ip link set "$bridge" up || return 1
  for host in $(hosts_list "$id"); do
    ns="$(hosts_ns "$id" "$host")"
    veth="fcy$id-${host/silo-/s}"  # fcy21-db, fcy21-s2: interface names are at most 15 characters
    ip netns add "$ns" && echo "$ns" >>"$state/namespaces" || return 1
    ip link add "$veth" type veth peer name eth0 netns "$ns" && echo "$veth" >>"$state/links" || return 1
    ip link set "$veth" master "$bridge" up || return 1
    ip -n "$ns" addr add "$(hosts_addr "$id" "$host")/24" dev eth0 || return 1
    ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up || return 1
  done
}

# hosts_stop_hosts ID HOST...: SIGTERM every process inside those hosts' namespaces (only what we started can be
# there), SIGKILL what is left after 20 s. Supervisor loops recorded in the state die first, so nothing restarts.
hosts_stop_hosts() {
  local id="$1" state pid host left
  shift
  state="$(hosts_state "$id")"
  if [[ -f "$state/pids" ]]; then
    while read -r pid; do [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; done <"$state/pids"
  fi
  for _ in $(seq 1 40); do
    left=""
    for host in "$@"; do left+="$(ip netns pids "$(hosts_ns "$id" "$host")" 2>/dev/null | tr '\n' ' ')"; done
    [[ -z "${left// /}" ]] && return 0
    # shellcheck disable=SC2086
    kill -TERM $left 2>/dev/null
    sleep 0.5
  done
  # shellcheck disable=SC2086
  kill -KILL $left 2>/dev/null
  sleep 0.5
}

# hosts_net_down ID: stops what runs inside, removes the namespaces (their veth ends go with them), the bridge and
# any leftover link, then the state directory.
hosts_net_down() {
  local id="$1" state ns link
  state="$(hosts_state "$id")"
  [[ -d "$state" ]] || return 0
  # shellcheck disable=SC2046
  hosts_stop_hosts "$id" $(hosts_list "$id")
  if [[ -f "$state/namespaces" ]]; then
    while read -r ns; do ip netns del "$ns" 2>/dev/null; done <"$state/namespaces"
  fi
  if [[ -f "$state/links" ]]; then
    while read -r link; do ip link del "$link" 2>/dev/null; done <"$state/links"
  fi
  rm -rf "$state"
}

# hosts_cut ID A B [one-way]: blackhole routes, so packets are dropped silently like on a broken link.
hosts_cut() {
  local id="$1" a="$2" b="$3" one_way="${4:-}"
  ip -n "$(hosts_ns "$id" "$a")" route replace blackhole "$(hosts_addr "$id" "$b")/32" || return 1
  [[ -n "$one_way" ]] || ip -n "$(hosts_ns "$id" "$b")" route replace blackhole "$(hosts_addr "$id" "$a")/32"
}

# hosts_heal ID [A B]: removes the cuts between A and B (both directions), or every cut.
hosts_heal() {
  local id="$1" host route
  if [[ $# -ge 3 ]]; then
    ip -n "$(hosts_ns "$id" "$2")" route del blackhole "$(hosts_addr "$id" "$3")/32" 2>/dev/null
    ip -n "$(hosts_ns "$id" "$3")" route del blackhole "$(hosts_addr "$id" "$2")/32" 2>/dev/null
    return 0
  fi
  for host in $(hosts_list "$id"); do
    while read -r route; do
      [[ -n "$route" ]] && ip -n "$(hosts_ns "$id" "$host")" route del blackhole "$route"
    done < <(ip -n "$(hosts_ns "$id" "$host")" route show type blackhole 2>/dev/null | awk '{print $2}')
  done
  return 0
}

# hosts_exec ID HOST CMD...: runs CMD on the host (inside its namespace).
hosts_exec() {
  local ns; ns="$(hosts_ns "$1" "$2")"; shift 2
  ip netns exec "$ns" "$@"
}

# ---- the command line: a whole local cluster on hosts (./run.sh --hosts N) ----

hosts_usage() { sed -n '2,16p' "${BASH_SOURCE[0]}"; }

hosts_up() {
  local id="$1" silos="$2" state data pg_data api_url key
  source "$HOSTS_ROOT/scripts/postgres.sh"
  pg_require_binaries || return 1
  state="$(hosts_state "$id")"
  hosts_net_up "$id" "$silos" || { echo "could not create the hosts network" >&2; hosts_net_down "$id"; return 1; }

  data="$HOSTS_ROOT/.data/hosts"
  mkdir -p "$data/logs"
  # PostgreSQL runs as 'postgres', which may not reach the checkout: keep its files where it can.
  pg_data="/var/tmp/friendly-chaoyang-hosts-pg-$(echo "$HOSTS_ROOT" | md5sum | cut -c1-8)"
  mkdir -p "$pg_data" && chown postgres:postgres "$pg_data" 2>/dev/null
  echo "$pg_data/data" >"$state/pg-data"
  pg_init "$pg_data/data" && pg_allow_subnet "$pg_data/data" "10.231.$id.0/24" || return 1
  local db; db="$(hosts_addr "$id" db)"
  hosts_exec "$id" db env PG_HOST="$db" bash -c "source '$HOSTS_ROOT/scripts/postgres.sh' && pg_start '$pg_data/data' 5432" || return 1
  PG_HOST="$db" pg_create_db 5432 friendly_chaoyang || return 1

  echo "Building..."
  dotnet build "$HOSTS_ROOT/FriendlyChaoyang.sln" -c Release -nologo -v q >"$data/logs/build.log" 2>&1 \
    || { tail -30 "$data/logs/build.log"; return 1; }

  key="$data/dev-signing-key"
  [[ -s "$key" ]] || head -c 48 /dev/urandom | base64 -w0 >"$key"
  export ConnectionStrings__Orleans="Host=$db;Port=5432;Username=postgres;Database=friendly_chaoyang;Maximum Pool Size=64"
  export Orleans__ClusterId=friendly-chaoyang-hosts Orleans__ServiceId=friendly-chaoyang-hosts
  local silo_dll="$HOSTS_ROOT/silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll"
  for ((i = 1; i <= silos; i++)); do
    # The supervisor: Orleans stops a silo the cluster declared dead (e.g. after a partition); start it again, as
    # systemd's Restart=always would on a real host.
    hosts_exec "$id" "silo-$i" env Orleans__AdvertisedIPAddress="$(hosts_addr "$id" "silo-$i")" Orleans__SiloName="silo-$i" \
      bash -c "while :; do dotnet '$silo_dll'; echo \"[supervisor] silo exited with \$?; restarting in 2 s\"; sleep 2; done" \
      >>"$data/logs/silo-$i.log" 2>&1 &
    echo $! >>"$state/pids"
  done
  api_url="http://$(hosts_addr "$id" api):5080"
  hosts_exec "$id" api env Auth__SigningKey="${Auth__SigningKey:-$(cat "$key")}" Auth__DevTokens="${Auth__DevTokens:-true}" \
    ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-$([[ "${Auth__DevTokens:-true}" == true ]] && echo Development || echo Production)}" \
    dotnet "$HOSTS_ROOT/client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll" \
    --contentRoot "$HOSTS_ROOT/client-api/FriendlyChaoyang.Api" --urls "$api_url" >"$data/logs/api.log" 2>&1 &
  echo $! >>"$state/pids"

  echo "Waiting for $api_url/readyz ..."
  for _ in $(seq 1 180); do
    curl -fsS -m 5 "$api_url/readyz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS -m 5 "$api_url/readyz" >/dev/null || { echo "not ready after 180 s; see $data/logs/" >&2; return 1; }
  cat <<INFO
FriendlyChaoyang runs on hosts (network namespaces fcy$id-*, subnet 10.231.$id.0/24)
  db       $(hosts_addr "$id" db):5432   (PostgreSQL, data in $pg_data/data)
  api      $api_url   (reachable from this machine through the bridge $(hosts_bridge "$id"))
$(for ((i = 1; i <= silos; i++)); do echo "  silo-$i   $(hosts_addr "$id" "silo-$i"):11111, gateway :30000"; done)
  Logs     $data/logs/
  Cut a link: scripts/hosts.sh cut silo-1 silo-2 [--one-way]; heal: scripts/hosts.sh heal
INFO
}

hosts_down() {
  local id="$1" state
  state="$(hosts_state "$id")"
  [[ -d "$state" ]] || { echo "hosts instance $id is not up"; return 0; }
  source "$HOSTS_ROOT/scripts/postgres.sh"
  hosts_heal "$id"
  # Silos and the API first (graceful, with the network whole), then PostgreSQL, then the network.
  # shellcheck disable=SC2046
  hosts_stop_hosts "$id" $(hosts_list "$id" | grep -v '^db$')
  [[ -f "$state/pg-data" ]] && pg_stop "$(cat "$state/pg-data")"
  hosts_net_down "$id"
  echo "hosts instance $id is down"
}

hosts_status() {
  local id="$1" state host ns
  state="$(hosts_state "$id")"
  [[ -d "$state" ]] || { echo "hosts instance $id is not up"; return 0; }
  for host in $(hosts_list "$id"); do
    ns="$(hosts_ns "$id" "$host")"
    printf '%-7s %-13s %-16s %s processes\n' "$host" "$ns" "$(hosts_addr "$id" "$host")" "$(ip netns pids "$ns" 2>/dev/null | wc -l)"
    ip -n "$ns" route show type blackhole 2>/dev/null | sed 's/^/          cut: /'
  done
}

hosts_main() {
  local id="${FC_HOSTS_ID:-1}" silos=3 cmd="${1:-}"
  [[ "$id" =~ ^[1-9][0-9]?$ ]] || { echo "FC_HOSTS_ID takes 1 to 99" >&2; return 2; }
  shift || true
  case "$cmd" in
    up|run)
      while [[ $# -gt 0 ]]; do
        case "$1" in
          --silos) silos="$2"; shift 2 ;;
          *) echo "unknown argument: $1" >&2; return 2 ;;
        esac
      done
      [[ "$silos" =~ ^[1-9]$ ]] || { echo "--silos takes 1 to 9" >&2; return 2; }
      local why; why="$(hosts_check)" || { echo "scripts/hosts.sh: $why" >&2; return 1; }
      if [[ -d "$(hosts_state "$id")" ]]; then echo "hosts instance $id is already up (scripts/hosts.sh down first)" >&2; return 1; fi
      if [[ -n "$(ip route show to match "10.231.$id.1" | grep -v '^default')" ]]; then
        echo "10.231.$id.0/24 is already routed on this machine; pick another FC_HOSTS_ID" >&2; return 1
      fi
      if [[ "$cmd" == run ]]; then
        trap 'trap - EXIT INT TERM; hosts_down "$id"' EXIT
        trap 'exit 0' INT TERM
        hosts_up "$id" "$silos" || return 1
        echo "Press Ctrl-C to stop (everything above is removed then)."
        while :; do sleep 3600 & wait $!; done
      fi
      # A failed start leaves nothing behind.
      hosts_up "$id" "$silos" || { hosts_down "$id" >/dev/null; return 1; }
      ;;
    down) hosts_down "$id" ;;
    status) hosts_status "$id" ;;
    cut)
      [[ $# -ge 2 ]] || { hosts_usage; return 2; }
      hosts_addr "$id" "$1" >/dev/null && hosts_addr "$id" "$2" >/dev/null || return 2
      hosts_cut "$id" "$1" "$2" "$([[ "${3:-}" == --one-way ]] && echo one-way)"
      ;;
    heal) hosts_heal "$id" "$@" ;;
    check) local why; why="$(hosts_check)" || { echo "$why"; return 1; } ;;
    *) hosts_usage; return 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  hosts_main "$@"
  exit $?
fi
