#!/usr/bin/env bash
# A throwaway PostgreSQL server for the ledger tests, on 127.0.0.1 and a free port.
#   eval "$(bash scripts/postgres-test.sh)"   # start (or reuse) it; prints: export UPGATE_TEST_POSTGRES_URL=...
#   bash scripts/postgres-test.sh stop        # stop it and delete its data
# Installs Debian's postgresql when initdb is missing (as root). Only the export line goes to stdout.
set -euo pipefail

cd "$(dirname "$0")/.."
state_dir="$PWD/.upgate/postgres-test"
state_file="$state_dir/state"

log() { echo "postgres-test: $*" >&2; }
fail() { log "$*"; exit 1; }

find_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

# The server refuses to run as root: as root, run its commands as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

stop() {
  if [ ! -f "$state_file" ]; then log "no server recorded in $state_file"; return; fi
  # shellcheck disable=SC1090
  source "$state_file"
  if [ -d "$data_dir" ]; then
    as_owner "$bindir/pg_ctl" -D "$data_dir" -m fast -w stop >&2 || log "pg_ctl stop failed; removing its files anyway"
    rm -rf "$data_dir"
  fi
  rm -f "$state_file"
  log "stopped"
}

start() {
  if [ -f "$state_file" ]; then
    # shellcheck disable=SC1090
    source "$state_file"
    if as_owner "$bindir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
      log "reusing the server in $data_dir"
      echo "export UPGATE_TEST_POSTGRES_URL=$url"
      return
    fi
    stop
  fi

  local bindir
  bindir=$(find_bindir)
  if [ -z "$bindir" ]; then
    [ "$(id -u)" -eq 0 ] || fail "PostgreSQL is not installed; install Debian's postgresql (or run this as root)."
    log "installing postgresql with apt-get"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
    [ -n "$bindir" ] || fail "postgresql installed but no initdb found under /usr/lib/postgresql/*/bin"
  fi

  local data_dir port password url
  data_dir=$(mktemp -d /tmp/upgate-postgres.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$data_dir"
  port=$(free_port)
  password=$(node -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))')
  printf '%s\n' "$password" >"$data_dir.pw"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$data_dir.pw"

  as_owner "$bindir/initdb" -D "$data_dir" -U postgres --pwfile="$data_dir.pw" \
    --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --no-sync --no-instructions >&2
  rm -f "$data_dir.pw"
  # fsync off: the data is thrown away, and the tests then wait on no disk flush.
  as_owner "$bindir/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data_dir -c fsync=off -c max_connections=200" >&2 ||
    { cat "$data_dir/server.log" >&2; fail "the server did not start"; }

  as_owner "$bindir/psql" -h "$data_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
CREATE ROLE upgate_test LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE upgate_test OWNER upgate_test;
SQL

  url="postgres://upgate_test:$password@127.0.0.1:$port/upgate_test"
  mkdir -p "$state_dir"
  {
    echo "bindir=$bindir"
    echo "data_dir=$data_dir"
    echo "url=$url"
  } >"$state_file"
  log "started PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $data_dir)"
  echo "export UPGATE_TEST_POSTGRES_URL=$url"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 [start|stop]" ;;
esac
