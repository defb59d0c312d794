#!/usr/bin/env bash
# Installs every Debian package the build, the examples and the tests need.
# Idempotent: only packages that are missing are installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libcaf-dev libasio-dev libssl-dev
  libthrift-dev thrift-compiler libboost-dev
  libnghttp2-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  catch2 libbenchmark-dev
  # bench/: libevent for the Thrift TNonblockingServer peer (thrift-nb),
  # gnuplot-nox for the plot in docs/benchmarks.md.
  libevent-dev gnuplot-nox
  # fuzz/ (scripts/fuzz.sh): clang 14 with libFuzzer and the sanitizers.
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
