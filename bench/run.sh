#!/usr/bin/env bash
# Runs the benchmark matrix (docs/benchmarks.md "Method"; perf-method §8) and
# writes docs/benchmarks.md with docs/benchmarks.png.
#
#   bench/run.sh [--quick] [BUILD_DIR]
#
# Every server runs in a fresh process per cell; servers are interleaved
# within each cell and repetition (A B C D, A B C D, ...). Placement "split":
# server on CPU_SERVER (0), loadgen on CPU_LOADGEN (1). "colo": both on
# CPU_SERVER. Nothing is built here: build first (scripts/build.sh, Release).
#
# Environment (defaults in brackets; --quick changes the marked ones):
#   BUILD_DIR     build directory [build]; also the first argument
#   SERVERS       ids to run [ours thrift-nb thrift-th raw]; also known:
#                 ours-ttheader, ours-buffered (our server over that transport)
#   CELLS         "size:c:connections:placement ..." [the full matrix below;
#                 --quick: 1024:1:1:split 1024:1:1:colo 1024:100:100:split]
#   DURATION      measured seconds per run [10; --quick 5]
#   WARMUP        warm-up seconds per run [3; --quick 2]
#   REPS          repetitions, interleaved [1]
#   OPEN_LOAD_PCT open-loop rate as % of the weakest server's closed-loop QPS
#                 at 1024:100:100:split, run after it; empty to skip [50]
#   OURS_BIN      our echo server [BUILD_DIR/examples/echo/echo_server]
#   OURS_NOTE     where OURS_BIN came from, for the page (e.g. "clean HEAD")
#   OURS_WORKERS, OURS_SCHED_THREADS, OURS_IO_THREADS  our server [4, 1, 0]
#   NB_WORKERS    thrift-nb ThreadManager threads [1]
#   WAIT_IDLE     on a shared machine: before each run, wait up to this many
#                 seconds for the machine to be >= 90 % idle [0]
#   OUT           the page to write [docs/benchmarks.md]
#   RESULTS_DIR   raw results and logs [BUILD_DIR/bench-results/<timestamp>]
#   APPEND        1: add to an existing RESULTS_DIR (e.g. repeat the cells a
#                 busy machine spoiled) and rebuild the page from all of it [0]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
build=$(cd "${1:-${BUILD_DIR:-$root/build}}" && pwd)

full_cells="1024:1:1:split 1024:1:1:colo 1024:8:8:split 1024:100:100:split
  1024:256:100:split 1024:100:2:split 16:1:1:split 16:100:100:split
  4096:1:1:split 4096:100:100:split 65536:1:1:split 65536:100:100:split"
quick_cells="1024:1:1:split 1024:1:1:colo 1024:100:100:split"
if [ $quick = 1 ]; then
  CELLS=${CELLS:-$quick_cells}
  DURATION=${DURATION:-5}
  WARMUP=${WARMUP:-2}
fi
CELLS=${CELLS:-$full_cells}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
REPS=${REPS:-1}
SERVERS=${SERVERS:-ours thrift-nb thrift-th raw}
OPEN_LOAD_PCT=${OPEN_LOAD_PCT-50}
OURS_BIN=${OURS_BIN:-$build/examples/echo/echo_server}
export OURS_BIN OURS_NOTE
OURS_WORKERS=${OURS_WORKERS:-4}
OURS_SCHED_THREADS=${OURS_SCHED_THREADS:-1}
OURS_IO_THREADS=${OURS_IO_THREADS:-0}
NB_WORKERS=${NB_WORKERS:-1}
WAIT_IDLE=${WAIT_IDLE:-0}
CPU_SERVER=${CPU_SERVER:-0}
CPU_LOADGEN=${CPU_LOADGEN:-1}
OUT=${OUT:-$root/docs/benchmarks.md}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=${RESULTS_DIR:-$build/bench-results/$stamp}
mkdir -p "$RESULTS_DIR"
results=$RESULTS_DIR/results.txt
APPEND=${APPEND:-0}
[ "$APPEND" = 1 ] || : >"$results"

loadgen=$build/bench/loadgen
[ -x "$loadgen" ] || { echo "run.sh: $loadgen is not built" >&2; exit 1; }
if [ "$(nproc)" -lt 2 ]; then CPU_LOADGEN=$CPU_SERVER; fi

# server_cmd ID PORT: prints the server command line; transport_of ID.
server_cmd() {
  case $1 in
    ours | ours-ttheader | ours-buffered)
      echo "$OURS_BIN --addr 127.0.0.1:$2" \
        "--workers $OURS_WORKERS --scheduler-threads $OURS_SCHED_THREADS" \
        "--io-threads $OURS_IO_THREADS --exit-wait-ms 500" ;;
    thrift-nb) echo "$build/bench/thrift_nb_server --addr 127.0.0.1:$2 --workers $NB_WORKERS" ;;
    thrift-th) echo "$build/bench/thrift_th_server --addr 127.0.0.1:$2" ;;
    raw) echo "$build/bench/raw_echo --addr 127.0.0.1:$2" ;;
    *) echo "run.sh: unknown server $1" >&2; return 1 ;;
  esac
}
transport_of() {
  case $1 in
    ours-ttheader) echo ttheader ;;
    ours-buffered) echo buffered ;;
    raw) echo raw ;;
    *) echo framed ;;
  esac
}

# Drops servers whose binary is missing (a peer skipped at configure time).
available=()
for s in $SERVERS; do
  bin=$(server_cmd "$s" 1 | cut -d' ' -f1)
  if [ -x "$bin" ]; then available+=("$s"); else
    echo "run.sh: skipping $s ($bin is not built)" >&2
  fi
done
SERVERS="${available[*]}"

# The machine's idle % over one second, from /proc/stat (all CPUs).
idle_pct() {
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep 1
  read -r -a b < <(grep '^cpu ' /proc/stat)
  local busy=$(( (b[1]+b[2]+b[3]+b[6]+b[7]) - (a[1]+a[2]+a[3]+a[6]+a[7]) ))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) ))
  local steal=$(( b[8] - a[8] ))
  awk -v i=$idle -v t=$((busy + idle + steal)) \
    'BEGIN { printf "%.1f", (t > 0 ? 100 * i / t : 0) }'
}

wait_port() {
  for _ in $(seq 100); do
    if timeout 0.2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  return 1
}

stop_server() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 60); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Waits up to WAIT_IDLE seconds for a second with >= 90 % idle; then runs
# anyway (the run is marked contended if it was).
wait_idle() {
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt "$WAIT_IDLE" ]; do
    if awk -v i="$(idle_pct)" 'BEGIN { exit !(i >= 90) }'; then return 0; fi
  done
  return 0
}

port=$((20000 + RANDOM % 20000))
run_no=0
# run_one REP SERVER SIZE C CONNS PLACEMENT [RATE]: one fresh server, one
# loadgen run; appends one line to $results.
run_one() {
  local rep=$1 id=$2 size=$3 c=$4 conns=$5 place=$6 rate=${7:-0}
  run_no=$((run_no + 1))
  port=$((port + 1))
  local log=$RESULTS_DIR/run$run_no-$id-$size-$c-$conns-$place
  local lcpu=$CPU_LOADGEN
  [ "$place" = colo ] && lcpu=$CPU_SERVER
  wait_idle
  local cmd
  cmd=$(server_cmd "$id" $port)
  # shellcheck disable=SC2086
  taskset -c "$CPU_SERVER" $cmd >"$log.server.log" 2>&1 &
  local pid=$!
  if ! wait_port $port || ! kill -0 $pid 2>/dev/null; then
    echo "run.sh: $id did not start (see $log.server.log)" >&2
    stop_server $pid
    echo "rep=$rep server=$id size=$size cc=$c conns=$conns place=$place" \
      "open_rate=$rate started=no errors=1" >>"$results"
    return
  fi
  local idle
  idle=$(idle_pct)
  local mode=(-c "$c" --connections "$conns")
  [ "$rate" != 0 ] && mode=(--rate "$rate" --connections "$conns")
  local line
  line=$(taskset -c "$lcpu" "$loadgen" --addr 127.0.0.1:$port \
    --transport "$(transport_of "$id")" --size "$size" "${mode[@]}" \
    --duration "$DURATION" --warmup "$WARMUP" --server-pid $pid \
    2>"$log.loadgen.log" | tail -n 1) || true
  local alive=yes
  kill -0 $pid 2>/dev/null || alive=no
  stop_server $pid
  echo "rep=$rep server=$id size=$size cc=$c conns=$conns place=$place" \
    "open_rate=$rate started=yes alive_at_end=$alive idle_before=$idle" \
    "$line" >>"$results"
  printf '%-13s %6s B c=%-4s conns=%-4s %-5s %s idle_before=%s\n' \
    "$id" "$size" "$c" "$conns" "$place" \
    "$(grep -oE '(^| )(qps|p50_us|p99_us|send_lag_p99_us|errors|server_cpu_us_per_call)=[^ ]+' \
      <<<"$line" | tr '\n' ' ')" "$idle"
}

# The weakest server's median closed-loop QPS in the cell 1024:100:100:split.
weakest_qps() {
  awk '/ size=1024 / && / cc=100 / && / conns=100 / && / place=split / &&
       / open_rate=0 / { match($0, / qps=[0-9.]+/); if (RSTART == 0) next
         q = substr($0, RSTART + 5, RLENGTH - 5); match($0, /server=[^ ]+/)
         s = substr($0, RSTART + 7, RLENGTH - 7); v[s] = v[s] " " q }
       END { min = -1
         for (s in v) { n = split(v[s], a, " ")
           for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
             if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
           m = a[int((n + 1) / 2)] + 0
           if (min < 0 || m < min) min = m }
         print (min < 0 ? 0 : int(min)) }' "$results"
}

ncells=$(wc -w <<<"$CELLS")
nserv=$(wc -w <<<"$SERVERS")
est=$(awk -v n=$((REPS * ncells * nserv)) -v d="$DURATION" -v w="$WARMUP" \
  'BEGIN { printf "%.0f", n * (d + w + 2.5) / 60 }')
echo "run.sh: $ncells cells x $nserv servers x $REPS reps, about $est min" \
  "(+ open loop); results in $RESULTS_DIR"
envfile=$RESULTS_DIR/environment.txt
if [ "$APPEND" = 1 ]; then
  echo "--- appended $(date -u '+%Y-%m-%d %H:%M:%S'): CELLS=$CELLS SERVERS=$SERVERS" >>"$envfile"
else
  bash "$root/bench/environment.sh" "$build" >"$envfile"
fi
{ echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
  echo "top_start:"; ps -eo pcpu,comm --sort=-pcpu | head -6; } \
  >>"$envfile"

for rep in $(seq "$REPS"); do
  for cell in $CELLS; do
    IFS=: read -r size c conns place <<<"$cell"
    for id in $SERVERS; do run_one "$rep" "$id" "$size" "$c" "$conns" "$place"; done
  done
done
if [ -n "$OPEN_LOAD_PCT" ]; then
  base=$(weakest_qps)
  rate=$(( base * OPEN_LOAD_PCT / 100 ))
  if [ "$rate" -gt 0 ]; then
    for rep in $(seq "$REPS"); do
      for id in $SERVERS; do run_one "$rep" "$id" 1024 0 100 split $rate; done
    done
  fi
fi
{ echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
  echo "settings: DURATION=$DURATION WARMUP=$WARMUP REPS=$REPS WAIT_IDLE=$WAIT_IDLE" \
    "OPEN_LOAD_PCT=$OPEN_LOAD_PCT OURS_WORKERS=$OURS_WORKERS" \
    "OURS_SCHED_THREADS=$OURS_SCHED_THREADS OURS_IO_THREADS=$OURS_IO_THREADS" \
    "NB_WORKERS=$NB_WORKERS CPU_SERVER=$CPU_SERVER CPU_LOADGEN=$CPU_LOADGEN" \
    "quick=$quick"
  for id in $SERVERS; do echo "server_cmd $id: $(server_cmd "$id" PORT)"; done
} >>"$envfile"

bash "$root/bench/report.sh" "$RESULTS_DIR" "$OUT"
echo "run.sh: wrote $OUT"
