#!/usr/bin/env bash
# API benchmark through boto3: an Orchestrator node (Release, SQLite in a temp data dir) and
# moto_server, same workload, same run. Arguments go to bench.py (see its --help).
#   benchmarks/api/run.sh                      # 1,000 instances, 4 threads, 50 listings per mode
#   TIME_SCALE=30 benchmarks/api/run.sh --describes 50
set -euo pipefail
cd "$(dirname "$0")/../.."

time_scale=${TIME_SCALE:-30}
persistence=${PERSISTENCE:-sqlite}
work=$(mktemp -d /tmp/orch-apibench.XXXXXX)
node_pid="" moto_pid=""

cleanup() {
    [[ -n "$node_pid" ]] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
    [[ -n "$moto_pid" ]] && kill -TERM "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null || true
    echo "bench: logs in $work (node.log, moto.log); removing the data dir"
    rm -rf "$work/data"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url pid name
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "bench: $3 exited" >&2; return 1; }
        sleep 0.2
    done
    echo "bench: $3 not up at $1" >&2; return 1
}

command -v moto_server >/dev/null || { echo "bench: moto_server is not on PATH" >&2; exit 1; }
echo "bench: building the node (Release)"
dotnet build src/Orchestrator.Node -c Release -nologo -v q >/dev/null

api=$(free_port); mgmt=$(free_port); akka=$(free_port); moto=$(free_port)
echo "bench: node api :$api (persistence $persistence, time-scale $time_scale, data $work/data); moto :$moto"
dotnet src/Orchestrator.Node/bin/Release/net10.0/Orchestrator.Node.dll \
    --persistence "$persistence" --data-dir "$work/data" --time-scale "$time_scale" \
    --api-port "$api" --management-port "$mgmt" --node-port "$akka" >"$work/node.log" 2>&1 &
node_pid=$!
moto_server -H 127.0.0.1 -p "$moto" >"$work/moto.log" 2>&1 &
moto_pid=$!
wait_http "http://127.0.0.1:$mgmt/health/ready" "$node_pid" node
wait_http "http://127.0.0.1:$moto/moto-api/" "$moto_pid" moto_server

echo "bench: $(nproc) cores, $(dotnet --version) SDK, python $(python3 -c 'import sys;print(sys.version.split()[0])'), boto3 $(python3 -c 'import boto3;print(boto3.__version__)'), moto $(python3 -c 'import moto;print(moto.__version__)')"
python3 benchmarks/api/bench.py --target "orchestrator=http://127.0.0.1:$api" --target "moto=http://127.0.0.1:$moto" "$@"
echo "bench: node process: $(ps -o rss=,time= -p "$node_pid" | awk '{printf "RSS %d MiB, CPU time %s", $1/1024, $2}')"
echo "bench: moto process: $(ps -o rss=,time= -p "$moto_pid" | awk '{printf "RSS %d MiB, CPU time %s", $1/1024, $2}')"
