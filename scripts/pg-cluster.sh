#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for the tests and for trying envwatch on
# PostgreSQL without touching a system cluster.
#   scripts/pg-cluster.sh start DIR [PORT]   initdb in DIR (if new), start, print the base URI
#                                            postgresql://postgres@127.0.0.1:PORT (add /DBNAME)
#   scripts/pg-cluster.sh stop DIR           stop it (fast shutdown)
#   scripts/pg-cluster.sh createdb URI NAME  create database NAME in the cluster at URI
# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user (the
# Debian package creates it). Authentication is "trust" on 127.0.0.1 only: a test cluster.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cmd=${1:-}; dir=${2:-}
case "$cmd" in
  start)
    [ -n "$dir" ] || { echo "usage: $0 start DIR [PORT]" >&2; exit 2; }
    port=${3:-}
    if [ -z "$port" ]; then # a free loopback port
      for _ in $(seq 50); do
        port=$((15000 + RANDOM % 5000)) # below the tests' own range (lib.sh)
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
      done
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port"
    ;;
  stop)
    [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  createdb)
    uri=$2; name=$3
    psql -q -v ON_ERROR_STOP=1 "$uri/postgres" -c "CREATE DATABASE \"$name\"" >/dev/null
    ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR | createdb URI NAME" >&2; exit 2 ;;
esac
