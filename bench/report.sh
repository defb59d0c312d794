#!/usr/bin/env bash
# Turns a run's results into docs/benchmarks.md and its plot.
#   bench/report.sh RESULTS_DIR [OUT.md]
# RESULTS_DIR holds results.txt (one line per run, key=value, written by
# bench/run.sh) and environment.txt. The PNG goes next to OUT.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
out=${2:-$root/docs/benchmarks.md}
png=${out%.md}.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk -v ncpu="$(nproc)" -v datdir="$tmp" -v png="$(basename "$png")" \
  -v envfile="$dir/environment.txt" -f "$root/bench/report.awk" \
  "$dir/results.txt" >"$tmp/page.md"

if command -v gnuplot >/dev/null && [ -s "$tmp/qps.dat" ]; then
  servers=$(head -n 1 "$tmp/qps.dat" | cut -f2-)
  plots_q="" plots_c="" i=2
  for s in $servers; do
    plots_q+="${plots_q:+, }'$tmp/qps.dat' using $i:xtic(1) title '$s'"
    plots_c+="${plots_c:+, }'$tmp/cpu.dat' using $i:xtic(1) title '$s'"
    i=$((i + 1))
  done
  gnuplot <<EOF
set terminal pngcairo size 1100,820 font ",9"
set output '$tmp/plot.png'
set datafile separator "\t"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -25 scale 0
set key outside right top
set logscale y
set multiplot layout 2,1 title "Echo over loopback, closed loop (medians; log scale)"
set ylabel "calls per second"
plot $plots_q
set ylabel "server CPU µs per call"
plot $plots_c
unset multiplot
EOF
  cp "$tmp/plot.png" "$png"
else
  echo "report.sh: gnuplot missing or no data; no plot" >&2
fi
# The client + server pair (bench/pair.sh) and the codec micro-benchmark
# (hand-kept) are not part of the matrix; their pages are appended so
# docs/benchmarks.md carries every benchmark.
for extra in benchmarks-pair.md benchmarks-codec.md; do
  if [ -f "$root/docs/$extra" ]; then
    printf '\n' >>"$tmp/page.md"
    cat "$root/docs/$extra" >>"$tmp/page.md"
  fi
done
cp "$tmp/page.md" "$out"
