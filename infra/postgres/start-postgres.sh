#!/usr/bin/env bash
# Runs a throwaway PostgreSQL cluster in DIR on PORT, creating it on first use (initdb).
# The server runs in the foreground (exec), so the caller owns its pid. As root it runs as the
# `postgres` user, because PostgreSQL refuses to run as root.
# Usage: start-postgres.sh DIR PORT
set -euo pipefail
home="$1"
port="$2"
bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[[ -x "$bin/initdb" ]] || { echo "start-postgres: no PostgreSQL server binaries; run infra/system-deps.sh" >&2; exit 1; }
data="$home/data"
sockets="$home/run"
mkdir -p "$home" "$sockets"

as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  chown -R postgres:postgres "$home"
  as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

if [[ ! -f "$data/PG_VERSION" ]]; then
  # Local socket: trust (only the owner can reach the socket dir). TCP: passwords.
  "${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256
fi

# Durability stays on (fsync, synchronous_commit): the event store's tests rely on it.
exec "${as_owner[@]}" "$bin/postgres" -D "$data" -p "$port" -k "$sockets" \
  -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on \
  -c shared_buffers=64MB -c max_connections=100 -c logging_collector=off
