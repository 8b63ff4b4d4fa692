#!/usr/bin/env python3
"""A wasmgrind that lies, for the runner's self-test: `liar.py WASMGRIND run --invoke NAME M.wasm`
runs the real one and adds 1 to the first integer result it prints (a float result prints as is),
so difffuzz.py must report a disagreement on every export with an integer value."""
import subprocess
import sys

p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
lines = p.stdout.splitlines()
if p.returncode == 0 and lines and lines[0].lstrip("-").isdigit():
    lines[0] = str(int(lines[0]) + 1)
sys.stdout.write("".join(line + "\n" for line in lines))
sys.stderr.write(p.stderr)
sys.exit(p.returncode)
