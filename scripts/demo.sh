#!/usr/bin/env bash
# Sets up and builds wasmgrind, then runs the example module: fib(30), computed by JIT code.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
set -x
build/tools/wasmgrind/wasmgrind run --invoke fib build/examples/fib.wasm 30
