#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the PostgreSQL study tests (a CTest fixture).
#
#   postgres_server.sh start INFO_DIR   initdb a new cluster in a fresh directory under /tmp and start
#                                       it on 127.0.0.1 at a free unprivileged port; writes
#                                       INFO_DIR/url on success, or INFO_DIR/unavailable (one line:
#                                       why) when no server can be started, so that the tests skip
#                                       with that reason instead of passing silently
#   postgres_server.sh stop INFO_DIR    stop that server and remove its cluster and INFO_DIR
#
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` OS user (Debian's
# postgresql package creates it). The server trusts connections on 127.0.0.1 and on a socket in
# its own directory only; nothing outside this machine can reach it.
set -uo pipefail

action=${1:-}
info=${2:-}
if [ -z "$action" ] || [ -z "$info" ]; then
  echo "usage: $0 start|stop INFO_DIR" >&2
  exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; fi
done

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

unavailable() {
  echo "$1" >"$info/unavailable"
  echo "postgres_server: $1 (the PostgreSQL tests will be skipped)"
  exit 0
}

case "$action" in
  start)
    rm -rf "$info"
    mkdir -p "$info"
    [ -n "$bindir" ] || unavailable "no PostgreSQL server programs (initdb, pg_ctl) under /usr/lib/postgresql/*/bin: install the postgresql package (scripts/install-deps.sh)"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      unavailable "running as root and there is no 'postgres' OS user to own the cluster (initdb refuses root)"
    fi
    cluster=$(mktemp -d /tmp/e3-postgres-XXXXXX) || unavailable "cannot create a directory under /tmp"
    echo "$cluster" >"$info/cluster"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$cluster"; fi
    if ! as_owner "$bindir/initdb" -D "$cluster/data" -U postgres --auth=trust --no-sync -E UTF8 >"$info/initdb.log" 2>&1; then
      unavailable "initdb failed: $(tail -n 1 "$info/initdb.log")"
    fi
    # A free port: a random unprivileged one, another when the server cannot bind it.
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      if as_owner "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c max_connections=60" start >/dev/null 2>&1; then
        echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$info/url"
        echo "postgres_server: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at 127.0.0.1:$port (cluster in $cluster)"
        exit 0
      fi
    done
    unavailable "pg_ctl could not start the server: $(tail -n 1 "$cluster/server.log" 2>/dev/null)"
    ;;
  stop)
    if [ -f "$info/cluster" ]; then
      cluster=$(cat "$info/cluster")
      if [ -n "$bindir" ] && [ -f "$cluster/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1
      fi
      case "$cluster" in /tmp/e3-postgres-*) rm -rf "$cluster" ;; esac
    fi
    rm -rf "$info"
    echo "postgres_server: stopped"
    ;;
  *)
    echo "usage: $0 start|stop INFO_DIR" >&2
    exit 2
    ;;
esac
