#!/usr/bin/env bash
# Builds everything and runs every test (unit, integration, interop).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

bash "$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 180
