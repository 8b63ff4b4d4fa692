#!/usr/bin/env bash
# Differential test of the JIT on generated code: csmith writes a random, well-defined C
# program for SEED; it is built natively and for wasm32-wasi at OPT, and `wasmgrind run` must
# print exactly the checksum the native build prints.
# Usage: csmith_diff.sh WASMGRIND SEED OPT        Exit 77 (skipped) when csmith is missing.
set -u
wasmgrind=$1 seed=$2 opt=$3
command -v csmith >/dev/null && [ -f /usr/include/csmith/csmith.h ] || {
  echo "csmith (packages csmith, libcsmith-dev) is not installed"; exit 77; }
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
csmith --seed "$seed" -o "$dir/p.c" >/dev/null || exit 1
flags=(-w -I/usr/include/csmith "$opt")
clang "${flags[@]}" "$dir/p.c" -o "$dir/native" || exit 1
# -c, then link without -O: at -O1+ clang's link step runs binaryen's wasm-opt if it is on PATH.
clang --target=wasm32-wasi "${flags[@]}" -c "$dir/p.c" -o "$dir/p.o" || exit 1
clang --target=wasm32-wasi "$dir/p.o" -o "$dir/p.wasm" || exit 1
expected=$(timeout 20 "$dir/native") || { echo "native build of seed $seed failed or timed out"; exit 1; }
actual=$(timeout 60 "$wasmgrind" run "$dir/p.wasm" 2>&1)
if [ "$expected" != "$actual" ]; then
  echo "seed $seed $opt: native printed [$expected], wasmgrind printed [$actual]"
  exit 1
fi
echo "seed $seed $opt: $actual"
