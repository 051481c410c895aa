# Sourced by the benchmark scripts: a PostgreSQL 15 cluster of their own, in the work
# directory, on a unix socket, with the server's durable defaults (fsync, synchronous
# commit, full-page writes), so that its figures compare with SQLite's synchronous=FULL.
# The test cluster (tests/support/throwaway_postgres) turns durability off; it measures
# nothing. Needs $work (bench/medvault_server.sh) and the postgresql package.
#   start_postgres          sets pg_dir (socket directory) and pg_bin
#   create_database NAME    prints the URI medvault takes for a new database NAME
#   stop_postgres           (also at exit, through stop_postgres_at_exit in cleanup)

pg_dir="" pg_bin=""

# As the postgres user when root (initdb refuses root), as oneself otherwise.
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)"
  [[ -x "$pg_bin/initdb" ]] || { echo "$(basename "$0"): PostgreSQL is not installed (make setup)" >&2; exit 2; }
  pg_dir="$work/pg"
  mkdir -p "$pg_dir"
  chmod 755 "$work" "$pg_dir"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$pg_dir/initdb.log"
  as_postgres "$pg_bin/pg_ctl" -w -t 60 -D "$pg_dir/data" -l "$pg_dir/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories=$pg_dir" start > /dev/null
}

create_database() {
  as_postgres "$pg_bin/createdb" -h "$pg_dir" -U postgres -T template0 "$1"
  echo "postgresql://postgres@${pg_dir//\//%2F}/$1"
}

stop_postgres() {
  [[ -n "$pg_dir" && -d "$pg_dir/data" ]] || return 0
  as_postgres "$pg_bin/pg_ctl" -w -D "$pg_dir/data" -m fast stop > /dev/null 2>&1 || true
  pg_dir=""
}
