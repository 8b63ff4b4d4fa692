#!/bin/sh
# `wasmgrind run` and the stack: infinite recursion (stack_depth.wasm) traps "call stack
# exhausted" at the same depth whatever `ulimit -s` says (unlimited, 64 KiB, 256 KiB, 8 MiB),
# because the program runs on a thread whose stack wasmgrind sizes for --max-wasm-stack; the
# depth follows --max-wasm-stack; a recursion that fits returns; a bad --max-wasm-stack is a
# one-line usage error with exit status 2.
#
#   stack_limits.sh WASMGRIND STACK_DEPTH_WASM
set -u
wasmgrind=$1
prog=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run NAME ULIMIT [OPTIONS...]: runs the recursion forever under `ulimit -s ULIMIT` ("-": as
# is); sets $depth to the last depth it printed. Fails unless it trapped "call stack exhausted".
run() {
  name=$1 limit=$2
  shift 2
  (
    if [ "$limit" != - ]; then ulimit -s "$limit" || exit 77; fi
    exec "$wasmgrind" run "$@" "$prog" >"$tmp/$name.out" 2>"$tmp/$name.err"
  )
  rc=$?
  depth=$(tail -n 1 "$tmp/$name.out" | sed -n 's/^depth //p')
  if [ "$rc" -eq 77 ]; then
    echo "skipped: $name (cannot set ulimit -s $limit here)"
    depth=skipped
    return
  fi
  if [ "$rc" -ne 134 ] || ! grep -q '^wasm trap: call stack exhausted$' "$tmp/$name.err"; then
    fail "$name: exit status $rc, expected 134 and \"wasm trap: call stack exhausted\":"
    head -n 5 "$tmp/$name.err"
  fi
  echo "$name: depth ${depth:-none}"
}

run default -
base=$depth
if [ -z "$base" ] || [ "$base" -lt 1000 ]; then fail "default: only reached depth ${base:-0}"; fi

for limit in unlimited 64 256 8192; do
  run "ulimit-$limit" "$limit"
  if [ "$depth" != skipped ] && [ "$depth" != "$base" ]; then
    fail "ulimit -s $limit: depth $depth, expected $base as with the default stack"
  fi
done

run small - --max-wasm-stack=64K
small=${depth:-0}
run large - --max-wasm-stack 4m
large=${depth:-0}
# The frames are the same, so depth is about proportional to the budget (1 MiB by default).
if [ $((small * 8)) -gt "$base" ]; then fail "--max-wasm-stack=64K reached $small, expected < $base / 8"; fi
if [ "$large" -lt $((base * 3)) ]; then fail "--max-wasm-stack 4m reached $large, expected > 3 * $base"; fi

# A recursion that fits in the budget returns normally, under any ulimit.
half=$((base / 2))
out=$(ulimit -s 64 && "$wasmgrind" run "$prog" "$half" 2>&1)
rc=$?
case "$out" in
  *"returned from depth $half") [ "$rc" -eq 0 ] || fail "recursion to $half: exit status $rc" ;;
  *) fail "recursion to $half under ulimit -s 64 did not return: $(echo "$out" | tail -n 2)" ;;
esac

for bad in 0 4095 2G 12q -1 1.5M 64KiB 99999999999999999999; do
  out=$("$wasmgrind" run --max-wasm-stack="$bad" "$prog" 2>&1)
  rc=$?
  lines=$(printf '%s\n' "$out" | wc -l)
  case "$out" in
    "wasmgrind: error: --max-wasm-stack"*) [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] ||
        fail "--max-wasm-stack=$bad: exit status $rc, $lines lines: $out" ;;
    *) fail "--max-wasm-stack=$bad: exit status $rc: $out" ;;
  esac
done

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "stack limits ok"
