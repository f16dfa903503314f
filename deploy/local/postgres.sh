#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for local clusters and tests.
#
#   postgres.sh start <dir> <port>   initdb <dir>/data (once), start on 127.0.0.1:<port> with trust
#                                    auth, create database "orchestrator"; prints the Npgsql
#                                    connection string as the last line of stdout.
#   postgres.sh stop <dir>           stop it (fast shutdown); <dir> is left in place.
#   postgres.sh status <dir>         exit 0 when running.
#
# Both commands are idempotent. Binaries: $PG_BIN, else /usr/lib/postgresql/15/bin, else PATH.
# initdb/pg_ctl refuse to run as root: as root they run as the "postgres" user and <dir> is
# chowned to it (its parent directories must be traversable by that user).
# Durability is traded for speed (fsync off): never point this at data you want to keep.
set -euo pipefail

me=$(basename "$0")
die() { echo "$me: $*" >&2; exit 1; }
usage() { die "usage: $me start <dir> <port> | stop <dir> | status <dir>"; }

find_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/initdb" ]] || die "PG_BIN=$PG_BIN has no initdb"
    elif [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        PG_BIN=/usr/lib/postgresql/15/bin
    elif command -v initdb >/dev/null 2>&1; then
        PG_BIN=$(dirname "$(readlink -f "$(command -v initdb)")")
    else
        die "PostgreSQL server binaries not found (initdb): install postgresql-15 or set PG_BIN"
    fi
    for tool in initdb pg_ctl postgres psql; do
        [[ -x "$PG_BIN/$tool" ]] || die "$PG_BIN/$tool is missing"
    done
    local version
    version=$("$PG_BIN/initdb" --version | grep -oE '[0-9]+' | head -1)
    [[ "$version" == 15 ]] || echo "$me: warning: $PG_BIN is PostgreSQL $version, not 15" >&2
}

# Runs a PostgreSQL tool as the postgres user when we are root.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() { as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; }

running_port() { sed -n 4p "$data/postmaster.pid" 2>/dev/null || true; }

start() {
    local port=$1
    [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "bad port '$port'"
    find_bin
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to run PostgreSQL as"
    fi
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        chmod 700 "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "user postgres cannot write $dir: make its parent directories traversable (chmod o+x)"
    fi

    if is_running; then
        local current
        current=$(running_port)
        [[ "$current" == "$port" ]] || die "already running in $dir on port $current (asked for $port): stop it first"
        echo "$me: already running in $dir on 127.0.0.1:$port" >&2
    else
        if [[ ! -f "$data/PG_VERSION" ]]; then
            [[ -z "$(ls -A "$data" 2>/dev/null)" ]] || die "$data exists but is not a PostgreSQL data directory"
            echo "$me: initdb $data" >&2
            as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
                >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
        fi
        # Settings live in postgresql.auto.conf (rewritten on every start: the port may change).
        cat >"$data/postgresql.auto.conf" <<EOF
# Written by $me on every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
        [[ $(id -u) -ne 0 ]] || chown postgres: "$data/postgresql.auto.conf"
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            die "port $port on 127.0.0.1 is already in use"
        fi
        echo "$me: starting PostgreSQL on 127.0.0.1:$port ($dir)" >&2
        if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
            tail -n 30 "$dir/postgres.log" >&2 || true
            die "PostgreSQL did not start (log: $dir/postgres.log)"
        fi
    fi

    local psql=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
    if [[ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'orchestrator'")" ]]; then
        "${psql[@]}" -c "CREATE DATABASE orchestrator" >/dev/null || die "cannot create database orchestrator"
    fi
    echo "Host=127.0.0.1;Port=$port;Database=orchestrator;Username=postgres"
}

stop() {
    find_bin
    if [[ ! -f "$data/PG_VERSION" ]]; then
        echo "$me: no PostgreSQL data directory in $dir: nothing to stop" >&2
        return 0
    fi
    if ! is_running; then
        echo "$me: PostgreSQL in $dir is not running" >&2
        return 0
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed (log: $dir/postgres.log)"
    echo "$me: stopped PostgreSQL in $dir" >&2
}

[[ $# -ge 2 ]] || usage
command=$1
dir=$(realpath -m -- "$2")
data=$dir/data
case "$command" in
    start) [[ $# -eq 3 ]] || usage; start "$3" ;;
    stop) [[ $# -eq 2 ]] || usage; stop ;;
    status) [[ $# -eq 2 ]] || usage; find_bin; if is_running; then echo "running on port $(running_port)"; else echo "not running"; exit 1; fi ;;
    *) usage ;;
esac
