#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, sourced by scripts/test.sh:
#
#   source scripts/postgres.sh
#   postgres_start     # sets CRM_TEST_POSTGRES_URL (unless it is set already)
#   ...                # tests
#   postgres_stop      # stops the server and deletes its files (also on exit)
#
# The server binaries come from Debian's `postgresql` package, installed when missing.
# The cluster is made with `initdb` in a temporary directory, listens only on a Unix
# socket in that directory (no TCP port to collide with), trusts local connections, and
# trades durability for speed (fsync off): nothing in it outlives the run.
# A developer with a server of their own sets CRM_TEST_POSTGRES_URL and none is started.

pg_bindir() {
  local d
  for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" \
           /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"; return 0
    fi
  done
  return 1
}

postgres_start() {
  if [ -n "${CRM_TEST_POSTGRES_URL:-}" ]; then
    echo "PostgreSQL: using CRM_TEST_POSTGRES_URL"
    return 0
  fi
  local bin
  if ! bin=$(pg_bindir); then
    echo "PostgreSQL: installing Debian's postgresql package"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
    bin=$(pg_bindir) || return 1
  fi
  # initdb refuses to run as root: the cluster belongs to an unprivileged user
  local owner=postgres
  if [ "$(id -u)" -eq 0 ]; then
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner" || return 1
  else
    owner=$(id -un)
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/crm-pg.XXXXXX)
  chmod 755 "$PG_TEST_DIR"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$PG_TEST_DIR"
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u "$owner" --)
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || {
    cat "$PG_TEST_DIR/initdb.log"; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$PG_TEST_DIR' \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c max_connections=400 -c shared_buffers=256MB" start >/dev/null || {
    cat "$PG_TEST_DIR/server.log"; return 1; }
  PG_TEST_BIN=$bin
  PG_TEST_OWNER=$owner
  export CRM_TEST_POSTGRES_URL="postgresql://postgres@localhost/postgres?host=$PG_TEST_DIR"
  trap postgres_stop EXIT
  echo "PostgreSQL: $("$bin/postgres" --version) on $PG_TEST_DIR"
}

postgres_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u "$PG_TEST_OWNER" --)
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}

# run directly: start a server for a shell session of your own
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -e
  postgres_start
  trap - EXIT
  echo "export CRM_TEST_POSTGRES_URL='$CRM_TEST_POSTGRES_URL'"
  echo "stop it with: pg_ctl -D $PG_TEST_DIR/data stop (as $PG_TEST_OWNER)"
fi
