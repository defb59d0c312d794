#!/usr/bin/env bash
# Prints the benchmark environment as "key: value" lines (docs/benchmarks.md).
#   bench/environment.sh BUILD_DIR
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cache=$build/CMakeCache.txt

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$cache" 2>/dev/null | head -n 1; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }

echo "date_utc: $(date -u '+%Y-%m-%d %H:%M:%S')"
echo "git: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(
  git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
dirty=$(git -C "$root" status --short -- libkitex-actor examples 2>/dev/null \
  | awk '{ print $2 }' | tr '\n' ' ')
echo "working tree, framework files differing from HEAD: ${dirty:-none}"
bin=${OURS_BIN:-$build/examples/echo/echo_server}
[ -x "$bin" ] && echo "ours: $bin, built $(date -u -r "$bin" '+%Y-%m-%d %H:%M:%S')" \
  "${OURS_NOTE:+($OURS_NOTE)}"
echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)" \
  "(family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -n 1)," \
  "model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -n 1))"
echo "cpus: $(nproc)"
echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "virtualization: vm $(systemd-detect-virt --vm 2>/dev/null || echo '?')," \
  "container $(systemd-detect-virt --container 2>/dev/null || echo '?')"
echo "kernel: $(uname -r)"
echo "os: $(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release 2>/dev/null)"
echo "compiler: $(c++ --version 2>/dev/null | head -n 1)"
bt=$(cache_value CMAKE_BUILD_TYPE)
ubt=$(tr '[:lower:]' '[:upper:]' <<<"$bt")
echo "build: $bt, CXXFLAGS '$(cache_value CMAKE_CXX_FLAGS) $(cache_value "CMAKE_CXX_FLAGS_$ubt")'"
echo "caf: $(pkg_version libcaf-dev)"
echo "thrift: $(pkg_version libthrift-dev)"
echo "libevent: $(pkg_version libevent-dev)"
echo "asio: $(pkg_version libasio-dev)"
