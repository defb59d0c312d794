#!/usr/bin/env bash
# Configures and builds the project (ninja + ccache) into ${BUILD_DIR:-build}.
# Extra arguments are build targets (default: everything).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
jobs=${JOBS:-2}

bash "$root/scripts/install-deps.sh"
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
fi
cmake --build "$build_dir" -j "$jobs" ${1:+--target "$@"}
