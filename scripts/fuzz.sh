#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each on its
# corpus (docs/fuzzing.md). Usage: scripts/fuzz.sh [--quick] [BUILD_DIR]
#
#   --quick      15 s per target (CI) instead of 120 s
#   BUILD_DIR    default: build-fuzz
#
# Environment: KITEX_ACTOR (the generator; default build/codegen/kitex-actor),
# FUZZ_SECONDS (per target), FUZZ_JOBS (targets run at once, default 2),
# FUZZ_TARGETS (space-separated subset), JOBS (build parallelism, default 2).
#
# Inputs that crash, leak, time out or run out of memory are saved under
# fuzz/crashes/<target>/; the script then exits non-zero. New corpus entries
# go to BUILD_DIR/corpus/<target>/, never into the committed seeds. Every
# reproducer under fuzz/regressions/<target>/ is replayed before fuzzing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

quick=0
build_dir=$root/build-fuzz
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,15p' "$0"
      exit 0
      ;;
    -*)
      echo "fuzz: unknown option $arg" >&2
      exit 2
      ;;
    *) build_dir=$arg ;;
  esac
done
mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
seconds=${FUZZ_SECONDS:-$([ $quick -eq 1 ] && echo 15 || echo 120)}
parallel=${FUZZ_JOBS:-2}
all_targets="fuzz_ttheader fuzz_theader fuzz_frames fuzz_thrift_binary"
all_targets+=" fuzz_thrift_compact fuzz_generated"
read -r -a targets <<<"${FUZZ_TARGETS:-$all_targets}"

kitex_actor=${KITEX_ACTOR:-$root/build/codegen/kitex-actor}
if [ ! -x "$kitex_actor" ]; then
  echo "fuzz: no generator at $kitex_actor; build it first" \
    "(scripts/build.sh kitex-actor) or set KITEX_ACTOR" >&2
  exit 2
fi

bash "$root/scripts/install-deps.sh"
cmake -S "$root/fuzz" -B "$build_dir" -G Ninja \
  -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" \
  -DKITEX_ACTOR="$kitex_actor" >/dev/null
cmake --build "$build_dir" -j "${JOBS:-2}"

# Runs one target; its log goes to $build_dir/logs/<target>.log, its exit
# status to <target>.rc.
run_target() {
  local t=$1 bin=$build_dir/$1 log=$build_dir/logs/$1.log
  local seeds=$root/fuzz/corpus/$t work=$build_dir/corpus/$t
  local crashes=$root/fuzz/crashes/$t regressions=$root/fuzz/regressions/$t
  mkdir -p "$work" "$crashes"
  local rc=0
  {
    if compgen -G "$regressions/*" >/dev/null; then
      echo "== replaying $regressions"
      "$bin" -rss_limit_mb=2048 -timeout=10 "$regressions"/* || rc=$?
    fi
    if [ $rc -eq 0 ]; then
      echo "== fuzzing $seconds s"
      "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -max_len=65536 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$work" "$seeds" || rc=$?
    fi
  } >"$log" 2>&1
  echo $rc >"$build_dir/logs/$t.rc"
}

# One line per target: outcome, executions, coverage, corpus size.
summarize() {
  local t=$1 log=$build_dir/logs/$1.log rc
  rc=$(cat "$build_dir/logs/$t.rc")
  local execs cov ft corp rate
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  local status=ok
  if [ "$rc" -ne 0 ]; then
    status="FAILED (exit $rc, log $log)"
    if ! grep -q '^== fuzzing' "$log"; then
      status="FAILED replaying fuzz/regressions/$t (exit $rc, log $log)"
    fi
  fi
  printf 'fuzz: %-20s %s: %s execs (%s/s) in %s s, cov %s, ft %s, corpus %s\n' \
    "$t" "$status" "${execs:-?}" "${rate:-?}" "$seconds" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}"
  if [ "$rc" -ne 0 ]; then
    grep -E 'ERROR|invariant failed|SUMMARY|Test unit written' "$log" |
      head -5 | sed 's/^/  /'
  fi
  return "$rc"
}

mkdir -p "$build_dir/logs"
echo "fuzz: ${#targets[@]} targets, $seconds s each, $parallel at a time"
running=0
for t in "${targets[@]}"; do
  if [ ! -x "$build_dir/$t" ]; then
    echo "fuzz: no target $t in $build_dir" >&2
    exit 2
  fi
  rm -f "$build_dir/logs/$t.rc"
  run_target "$t" &
  running=$((running + 1))
  if [ $running -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for t in "${targets[@]}"; do
  summarize "$t" || failed=1
done
if [ $failed -ne 0 ]; then
  echo "fuzz: findings are under $root/fuzz/crashes/ (see docs/fuzzing.md)"
  exit 1
fi
