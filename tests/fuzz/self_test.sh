#!/usr/bin/env bash
# The runner's self-test: with a wasmgrind that adds 1 to integer results (liar.py), difffuzz.py
# must report the disagreement on seed 3's export e0 (which returns an i32) and exit 1. Guards
# against a comparison that passes vacuously.
# Usage: self_test.sh WASMGRIND OUT_DIR
here=$(dirname "$0")
out=$(python3 "$here/difffuzz.py" --wasmgrind "$here/liar.py $1" --seeds 3 --quiet --out "$2")
rc=$?
echo "$out"
[ "$rc" -eq 77 ] && exit 77
[ "$rc" -eq 1 ] && grep -q "DISAGREE on e0 (values)" <<<"$out" || {
  echo "self-test: expected exit status 1 and a value disagreement on e0, got status $rc"; exit 1; }
echo "self-test: the lie was caught"
