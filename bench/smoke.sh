#!/usr/bin/env bash
# CI smoke of the benchmark harness (seconds, not minutes). Builds nothing:
#   bench/smoke.sh [BUILD_DIR]        (or BUILD_DIR=... in the environment)
# Starts our echo_server and raw_echo, runs loadgen against each for ~2 s at
# c=8 (ours over Framed and TTHeader), then our own client (client_bench,
# TTHeader, 8 callers pipelined over 2 connections) against our server;
# prints the summary lines and fails if a run has errors or no calls. It
# gates nothing on speed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
loadgen=$build/bench/loadgen
client_bench=$build/bench/client_bench
for bin in "$loadgen" "$client_bench" "$build/bench/raw_echo" \
  "$build/examples/echo/echo_server"; do
  [ -x "$bin" ] || { echo "smoke: $bin is not built" >&2; exit 1; }
done

# A port nobody listens on, in 20000..39999.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! timeout 0.2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then
      echo $p
      return
    fi
  done
  return 1
}

wait_port() {
  for _ in $(seq 100); do
    timeout 0.2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

failed=0
# check NAME TRANSPORT PORT PID: one 2-second run; judges its summary line.
# TRANSPORT "client" runs our client (client_bench) instead of loadgen.
check() {
  local line
  if [ "$2" = client ]; then
    line=$("$client_bench" --addr "127.0.0.1:$3" --transport ttheader -c 8 \
      --connections 2 --size 1024 --warmup 0.5 --duration 2 \
      --server-pid "$4" | tail -n 1) || true
  else
    line=$("$loadgen" --addr "127.0.0.1:$3" --transport "$2" -c 8 \
      --connections 4 --size 1024 --warmup 0.5 --duration 2 \
      --server-pid "$4" -q | tail -n 1) || true
  fi
  echo "smoke $1: $line"
  if ! grep -qE '(^| )errors=0( |$)' <<<"$line" \
     || ! grep -qE '(^| )qps=[1-9][0-9]*( |$)' <<<"$line" \
     || grep -qE '(^| )stuck_callers=[1-9]' <<<"$line"; then
    echo "smoke $1: FAILED (want errors=0, qps>0, no stuck caller)" >&2
    failed=1
  fi
}

# serve NAME TRANSPORTS... -- CMD...: starts CMD on a free port, checks
# each transport, stops it.
serve() {
  local name=$1
  shift
  local transports=()
  while [ "$1" != -- ]; do transports+=("$1"); shift; done
  shift
  local port
  port=$(free_port)
  "$@" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  local pid=$!
  if ! wait_port "$port"; then
    echo "smoke $name: server did not start" >&2
    failed=1
  else
    for t in "${transports[@]}"; do check "$name/$t" "$t" "$port" $pid; done
  fi
  kill -TERM $pid 2>/dev/null || true
  for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  kill -KILL $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
}

serve ours framed ttheader client -- "$build/examples/echo/echo_server" \
  --exit-wait-ms 500
serve raw raw -- "$build/bench/raw_echo"
exit $failed
