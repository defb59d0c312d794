#!/usr/bin/env bash
# Builds everything and runs every test (unit, integration, interop), then a
# short fuzz run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

bash "$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 180

# A short fuzz run of every decoder that reads network bytes (docs/fuzzing.md).
KITEX_ACTOR="$build_dir/codegen/kitex-actor" \
  bash "$root/scripts/fuzz.sh" --quick "${FUZZ_BUILD_DIR:-$build_dir-fuzz}"
