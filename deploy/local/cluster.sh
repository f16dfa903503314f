#!/usr/bin/env bash
# A local Orchestrator cluster on loopback: N nodes sharing a throwaway PostgreSQL.
#
#   cluster.sh start [N=3]   build (Release), start PostgreSQL and N nodes, wait until all are ready
#   cluster.sh stop          SIGTERM every node (they leave the cluster), stop PostgreSQL, clean up
#   cluster.sh status        the nodes and whether they are ready
#
# Node i (1-based) uses node port 4053+i-1, management port 9110+i-1 and API port 4566+i-1;
# node 1 is the seed of all. PostgreSQL listens on $ORCH_LOCAL_PG_PORT (default 55432).
# Any ORCH_* variable set when you run `start` reaches every node (e.g. ORCH_TIME_SCALE=10).
# Logs and data live in a temporary folder (printed by start, removed by stop).
set -Eeuo pipefail

me=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state_file=${TMPDIR:-/tmp}/orchestrator-local-cluster.state
dll=$root/src/Orchestrator.Node/bin/Release/net10.0/Orchestrator.Node.dll
pg_port=${ORCH_LOCAL_PG_PORT:-55432}
ready_timeout=${ORCH_LOCAL_READY_TIMEOUT:-120}
stop_timeout=30

die() { echo "$me: $*" >&2; exit 1; }
log() { echo "$me: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when the pid is alive and is one of our node processes (not a recycled pid).
is_node() {
    local cmdline
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
    [[ "$cmdline" == *Orchestrator.Node.dll* ]]
}

write_state() {
    {
        printf 'tmp_dir=%q\n' "$tmp_dir"
        printf 'pg_dir=%q\n' "$pg_dir"
        printf 'pids=(%s)\n' "${pids[*]:-}"
        printf 'mgmt_ports=(%s)\n' "${mgmt_ports[*]:-}"
    } >"$state_file"
}

start() {
    local n=${1:-3}
    [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 20)) || die "node count must be 1..20, got '$n'"
    if [[ -f "$state_file" ]]; then
        # shellcheck disable=SC1090
        source "$state_file"
        for pid in "${pids[@]}"; do
            is_node "$pid" && die "a cluster is already running (state in $state_file): run '$me stop' first"
        done
        log "removing stale state from a previous run"
        stop
    fi
    command -v dotnet >/dev/null || die "dotnet not found on PATH"
    command -v curl >/dev/null || die "curl not found on PATH"
    for ((i = 0; i < n; i++)); do
        for port in $((4053 + i)) $((9110 + i)) $((4566 + i)); do
            port_in_use "$port" && die "port $port on 127.0.0.1 is already in use"
        done
    done
    port_in_use "$pg_port" && die "PostgreSQL port $pg_port is already in use (set ORCH_LOCAL_PG_PORT)"

    log "building the node (Release)"
    local started=$SECONDS
    dotnet build "$root/src/Orchestrator.Node/Orchestrator.Node.csproj" -c Release -nologo -v quiet >&2 \
        || die "build failed"
    [[ -f "$dll" ]] || die "build produced no $dll"
    log "built in $((SECONDS - started)) s"

    tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-local.XXXXXX")
    chmod 755 "$tmp_dir" # PostgreSQL runs as user postgres when we are root: it must reach pg/
    pg_dir=$tmp_dir/pg
    pids=()
    mgmt_ports=()
    write_state
    # From here on a failure tears everything down again.
    trap 'log "start failed: cleaning up"; stop' ERR

    local connection
    connection=$("$here/postgres.sh" start "$pg_dir" "$pg_port" | tail -n 1)

    for ((i = 1; i <= n; i++)); do
        local node_port=$((4053 + i - 1)) mgmt_port=$((9110 + i - 1)) api_port=$((4566 + i - 1))
        mkdir -p "$tmp_dir/node$i"
        nohup dotnet "$dll" \
            --data-dir "$tmp_dir/node$i" \
            --node-host 127.0.0.1 --node-port "$node_port" \
            --management-port "$mgmt_port" --api-port "$api_port" \
            --seed 127.0.0.1:4053 \
            --persistence postgres --connection-string "$connection" \
            >"$tmp_dir/node$i.log" 2>&1 </dev/null &
        pids+=($!)
        mgmt_ports+=("$mgmt_port")
        write_state
    done

    for ((i = 1; i <= n; i++)); do
        local pid=${pids[i - 1]} mgmt_port=${mgmt_ports[i - 1]} deadline=$((SECONDS + ready_timeout))
        until curl -sf -o /dev/null "http://127.0.0.1:$mgmt_port/health/ready"; do
            if ! is_node "$pid"; then
                tail -n 40 "$tmp_dir/node$i.log" >&2 || true
                log "node $i exited before it was ready (log above)"
                false
            fi
            if ((SECONDS >= deadline)); then
                tail -n 40 "$tmp_dir/node$i.log" >&2 || true
                log "node $i was not ready within $ready_timeout s"
                false
            fi
            sleep 0.5
        done
        log "node $i ready"
    done
    trap - ERR

    echo "Orchestrator local cluster: $n node(s), ready after $((SECONDS - started)) s"
    printf '  %-5s %-7s %-18s %-24s %-24s %s\n' node pid cluster management api log
    for ((i = 1; i <= n; i++)); do
        printf '  %-5s %-7s %-18s %-24s %-24s %s\n' "$i" "${pids[i - 1]}" "127.0.0.1:$((4053 + i - 1))" \
            "http://127.0.0.1:$((9110 + i - 1))" "http://127.0.0.1:$((4566 + i - 1))" "$tmp_dir/node$i.log"
    done
    echo "  postgres: $connection (log: $pg_dir/postgres.log)"
    echo "  stop with: $0 stop"
}

stop() {
    if [[ ! -f "$state_file" ]]; then
        log "no cluster state in $state_file: nothing to stop"
        return 0
    fi
    # shellcheck disable=SC1090
    source "$state_file"
    local live=()
    for pid in "${pids[@]}"; do
        if is_node "$pid"; then
            kill -TERM "$pid" 2>/dev/null && live+=("$pid")
        fi
    done
    ((${#live[@]} == 0)) || log "sent SIGTERM to ${live[*]}; waiting for them to leave the cluster"
    local deadline=$((SECONDS + stop_timeout)) failed=0
    for pid in "${live[@]}"; do
        while is_node "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
        if is_node "$pid"; then
            log "node pid $pid did not exit within $stop_timeout s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            failed=1
        fi
    done
    if [[ -n "${pg_dir:-}" ]]; then
        "$here/postgres.sh" stop "$pg_dir" || failed=1
    fi
    if [[ -n "${tmp_dir:-}" && -d "$tmp_dir" ]]; then
        rm -rf -- "$tmp_dir"
    fi
    rm -f -- "$state_file"
    log "stopped"
    return "$failed"
}

status() {
    [[ -f "$state_file" ]] || { echo "no local cluster (no $state_file)"; return 1; }
    # shellcheck disable=SC1090
    source "$state_file"
    local i=0 code=0
    for pid in "${pids[@]}"; do
        local port=${mgmt_ports[i]}
        i=$((i + 1))
        if ! is_node "$pid"; then
            echo "node $i (pid $pid): not running"; code=1
        elif curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; then
            echo "node $i (pid $pid): ready on http://127.0.0.1:$port"
        else
            echo "node $i (pid $pid): running, not ready"; code=1
        fi
    done
    "$here/postgres.sh" status "$pg_dir" | sed 's/^/postgres: /' || code=1
    return "$code"
}

case "${1:-}" in
    start) shift; [[ $# -le 1 ]] || die "usage: $me start [N]"; start "${1:-3}" ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $me start [N=3] | stop | status" ;;
esac
