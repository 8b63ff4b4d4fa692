#!/usr/bin/env python3
"""Compile cost of the pathological shapes (gen_pathological.py) at several sizes, wasmgrind
next to node's V8: wall time, CPU time (user + system: on a busy machine the steadier figure)
and peak RSS of the whole process that compiles the module, instantiates it and calls `run`
once; both must print the same result.

    bench/compile_scale.py [--shapes live,locals,branchy,empty] [--scale 1]
                           [--wasmgrind build/tools/wasmgrind/wasmgrind] [--timeout 300]

Each shape runs at N, 2N and 4N (N per shape below, times --scale), so that linear growth shows
as time and memory doubling with N. Prints a Markdown table (the input of bench/notes.md).
Exit status 1 if a run failed or the results differ.
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
# V8 accepts at most 50,000 locals and 1,000,000 functions: 4N stays below both.
BASE_N = {'live': 10000, 'locals': 12000, 'branchy': 2000, 'brtable': 5000, 'loopcalls': 2500,
          'empty': 240000}
NODE_RUN = ("const m = new WebAssembly.Module(require('fs').readFileSync(process.argv[1]));"
            "console.log(new WebAssembly.Instance(m).exports.run() >>> 0);")


def measure(cmd, timeout):
    """(wall seconds, peak RSS MB, stdout, status text or None when it exited 0, CPU seconds)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                return (time.monotonic() - start, usage.ru_maxrss / 1024, '', 'timeout',
                        usage.ru_utime + usage.ru_stime)
            time.sleep(0.01)
        wall = time.monotonic() - start
        out.seek(0)
        text = out.read().decode(errors='replace').strip()
    code = os.waitstatus_to_exitcode(status)
    return (wall, usage.ru_maxrss / 1024, text, None if code == 0 else f'exit {code}: {text[:200]}',
            usage.ru_utime + usage.ru_stime)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--shapes', default='live,locals,branchy,brtable,loopcalls,empty')
    p.add_argument('--scale', type=float, default=1.0)
    p.add_argument('--sizes', default='1,2,4', help='multiples of the base N')
    p.add_argument('--wasmgrind', default=str(HERE.parent / 'build/tools/wasmgrind/wasmgrind'))
    p.add_argument('--node', default='node')
    p.add_argument('--no-node', action='store_true')
    p.add_argument('--timeout', type=float, default=300)
    args = p.parse_args()
    failed = False
    print('| shape | N | code KB | wasmgrind s | CPU s | MB | V8 s | CPU s | MB | time vs V8 | CPU vs V8 | RSS vs V8 |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(','):
            for mult in args.sizes.split(','):
                n = int(BASE_N[shape] * args.scale * float(mult))
                wasm = pathlib.Path(tmp) / f'{shape}-{n}.wasm'
                subprocess.run([sys.executable, str(HERE / 'gen_pathological.py'), shape, str(n),
                                '-o', str(wasm)], check=True)
                kb = wasm.stat().st_size / 1024
                wg = measure([args.wasmgrind, 'run', '--invoke', 'run', str(wasm)], args.timeout)
                v8 = (None if args.no_node else
                      measure([args.node, '-e', NODE_RUN, str(wasm)], args.timeout))
                cells = [shape, str(n), f'{kb:.0f}']
                for r in (wg, v8):
                    if r is None:
                        cells += ['', '', '']
                    elif r[3]:
                        cells += [r[3], f'{r[4]:.2f}', f'{r[1]:.0f}']
                        failed = True
                    else:
                        cells += [f'{r[0]:.2f}', f'{r[4]:.2f}', f'{r[1]:.0f}']
                if wg and v8 and not wg[3] and not v8[3]:
                    # wasmgrind prints the i32 result (possibly with its type): compare the number.
                    wg_value = wg[2].split()[-1] if wg[2] else ''
                    if str(int(wg_value) & 0xFFFFFFFF if wg_value.lstrip('-').isdigit() else wg_value) != v8[2]:
                        cells[3] = f'MISMATCH {wg[2]!r} vs {v8[2]!r}'
                        failed = True
                    cells += [f'{wg[0] / v8[0]:.2f}x', f'{wg[4] / max(v8[4], 0.001):.2f}x',
                              f'{wg[1] / v8[1]:.2f}x']
                else:
                    cells += ['', '', '']
                print('| ' + ' | '.join(cells) + ' |', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
