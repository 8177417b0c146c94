#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster:
#   tests/postgres/with_cluster.sh COMMAND [ARGS...]
# initdb in a fresh temporary directory as an unprivileged user (the server refuses to run
# as root: as root we use the system user workflow-pg, created if missing), a server that
# listens only on a Unix socket in that directory, then COMMAND with
# WORKFLOW_PG_CONNINFO="host=DIR dbname=postgres user=USER". The cluster is always stopped
# and removed, whatever happens; if it cannot be started this script fails (exit 1), it never
# skips. Needs Debian's postgresql (postgresql-15) installed.
set -euo pipefail

pgbin=${WORKFLOW_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$pgbin/initdb" ]; then
  echo "with_cluster.sh: no PostgreSQL server in $pgbin (apt install postgresql)" >&2
  exit 1
fi

as_user=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  user=workflow-pg
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
  as_user=(runuser -u "$user" --)
fi

dir=$(mktemp -d /tmp/wf-pg.XXXXXX)  # short: a socket path must fit in 107 bytes
cleanup() {
  local rc=$?
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_user[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 700 "$dir"
[ ${#as_user[@]} -eq 0 ] || chown "$user" "$dir"

"${as_user[@]}" "$pgbin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; echo "with_cluster.sh: initdb failed" >&2; exit 1; }
# fsync stays on: the standby test counts on acknowledged commits being durable.
"${as_user[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=60" \
    start >/dev/null \
  || { cat "$dir/server.log" >&2; echo "with_cluster.sh: the server did not start" >&2; exit 1; }

export WORKFLOW_PG_CONNINFO="host=$dir dbname=postgres user=$user"
echo "with_cluster.sh: PostgreSQL $("$pgbin/postgres" -V | awk '{print $3}') at $dir"
status=0
"$@" || status=$?
if [ "$status" -ne 0 ] && [ -f "$dir/server.log" ]; then
  echo "with_cluster.sh: the server's log:" >&2
  tail -n 40 "$dir/server.log" >&2
fi
exit "$status"
