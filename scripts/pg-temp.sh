#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the server-mode tests.
# Usage: eval "$(scripts/pg-temp.sh start)"   → exports TEST_DATABASE_URL and JUNHENG_PG_DIR
#        scripts/pg-temp.sh stop "$JUNHENG_PG_DIR"
# JUNHENG_PG_OPTS adds server settings, e.g. for bulk-load benchmarks:
#   JUNHENG_PG_OPTS="-c shared_buffers=4GB -c max_wal_size=16GB -c checkpoint_timeout=30min"
set -euo pipefail
cmd=${1:-start}
find_bin() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/$1" ] && { echo "$d/$1"; return; }; done
  command -v "$1" || true
}
INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$cmd" in
  start)
    [ -n "$INITDB" ] && [ -n "$PG_CTL" ] || { echo "echo 'initdb/pg_ctl not found' >&2"; exit 1; }
    dir=$(mktemp -d /tmp/junheng-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$dir"; }
    port=${JUNHENG_PG_PORT:-$((54000 + RANDOM % 1000))}
    as_pg "$INITDB" -D "$dir/data" -A trust -U junheng -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    as_pg "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200 ${JUNHENG_PG_OPTS:-}" start >/dev/null
    echo "export JUNHENG_PG_DIR=$dir"
    echo "export TEST_DATABASE_URL=postgres://junheng@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?directory}
    as_pg "$PG_CTL" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
