#!/usr/bin/env bash
# The main demo: builds echo_server and echo_client, starts the server on
# 127.0.0.1:8888 (its default), calls it over each transport and with a
# declared exception, then stops it with SIGTERM (graceful shutdown).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
addr=${ADDR:-127.0.0.1:8888}

bash "$root/scripts/build.sh" echo_server echo_client
bin="$build_dir/examples/echo"

"$bin/echo_server" --addr "$addr" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if "$bin/echo_client" --addr "$addr" --msg ping >/dev/null 2>&1; then break; fi
  sleep 0.1
done

for tp in framed buffered ttheader ttheader-framed; do
  echo "== Echo over $tp"
  "$bin/echo_client" --addr "$addr" --transport "$tp" --msg "hello over $tp"
done
echo "== Notify (oneway)"
"$bin/echo_client" --addr "$addr" --oneway --msg "fire and forget"
echo "== Echo with action=error (declared EchoError)"
"$bin/echo_client" --addr "$addr" --action error --msg "bad request" || true
echo "== Echo with action=sleep:200"
"$bin/echo_client" --addr "$addr" --action sleep:200 --msg "slow"

echo "== SIGTERM: graceful shutdown"
kill -TERM "$server"
wait "$server"
status=$?
trap - EXIT
echo "echo_server exited with status $status"
exit $status
