#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests and the spec test suite.
# Usage: scripts/test.sh            (the newcomer's and CI's test command)
#        BUILD_DIR=build-asan CMAKE_ARGS=-DWASMGRIND_SANITIZE=ON scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
# shellcheck disable=SC2086
scripts/setup.sh "$build" ${CMAKE_ARGS:-}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
