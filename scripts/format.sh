#!/usr/bin/env bash
# Formats wasmgrind's C++ sources with clang-format 14 and the checked-in .clang-format.
# Usage: scripts/format.sh            rewrite every file in place
#        scripts/format.sh --check    change nothing; list the files that are not formatted and
#                                     exit 1 if there are any (CI)
# The files: every tracked *.cc and *.h under src/, tools/ and tests/. The C and C++ programs
# built for wasm32-wasi (tests/programs, tests/faults, bench/programs, examples) are test inputs,
# not our sources: the fault corpus names their source lines, which formatting would move.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac

clang_format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$clang_format" ]; then
  echo "format: clang-format (14) not found; scripts/setup.sh installs it" >&2
  exit 2
fi

mapfile -t files < <(git ls-files -- 'src/*.cc' 'src/*.h' 'tools/*.cc' 'tools/*.h' \
                                     'tests/*.cc' 'tests/*.h')
if [ "$check" -eq 0 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 32 -P 2 "$clang_format" -i --style=file
  exit 0
fi

unformatted=()
for f in "${files[@]}"; do
  if ! "$clang_format" --style=file "$f" | cmp -s - "$f"; then unformatted+=("$f"); fi
done
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "format: ${#unformatted[@]} of ${#files[@]} files are not formatted (run scripts/format.sh):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "format: ${#files[@]} files formatted"
