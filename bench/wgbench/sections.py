"""The sections besides the per-program tables: start-up latency (hello world) and compile speed
on the generated module."""
from __future__ import annotations

import dataclasses
import re
import statistics

from .build import Built, build_big_module, code_section_size
from .configs import HELLO, V8_COMPILE_MODES, has_flag, wasmgrind_help
from .measure import failure_text, measure, run_once
from .paths import NODE_WASI
from .runs import Bench
from .tables import fmt_time
from .util import first_lines, log

BIG_FUNCTIONS = 1600       # gen_bigmodule.py --functions, full run (well over 1 MB of code)
BIG_FUNCTIONS_QUICK = 40   # --quick: a small module, so that CI does not wait for clang


def run_startup_section(args, bench: Bench, hello: Built) -> dict:
    """Hello world under every configuration: config name -> Outcome."""
    log('start-up latency (hello world):')
    return bench.run_program(HELLO, hello, [], args.runs)


def run_compile_section(args, bench: Bench, startup: dict) -> tuple:
    """Compile speed on the generated module; returns (table rows, notes, raw data)."""
    functions = BIG_FUNCTIONS_QUICK if args.quick else BIG_FUNCTIONS
    log(f'compile speed: building the generated module ({functions} functions)')
    big = build_big_module(args.clang, args.build_dir, functions)
    if big.error:
        bench.problems.append(('compile speed', f'module did not build: {big.error}'))
        return [], [f'The generated module did not build: {big.error}'], {}
    code_bytes = code_section_size(big.wasm)
    mb = code_bytes / 1e6
    notes = [f'Module: `bench/gen_bigmodule.py --functions {functions}` compiled with clang -O2 for '
             f'wasm32-wasi; file {big.wasm.stat().st_size / 1e6:.2f} MB, code section {mb:.2f} MB '
             f'({code_bytes} bytes). MB/s is code-section megabytes (10^6 bytes) per second.']
    rows, raw = [], {'code_section_bytes': code_bytes, 'functions': functions}

    # Correctness first: with an argument the module calls every function and prints a checksum.
    native_check = measure([str(big.native), 'run'], 1, args.timeout, None)
    expected = native_check.output if native_check.ok else None
    checks = []
    for c in bench.configs:
        if c.kind != 'wasm' or c.name in bench.unavailable:
            continue
        o = measure(c.command(bench.ctx, big.wasm, ['run']), 1, args.timeout, expected)
        checks.append(f'{c.name} {"ok" if o.ok else o.status}')
        if not o.ok:
            bench.problems.append((f'compile speed module / {c.name}', f'{o.status}: {o.detail}'))
            bench.failures += 1
    notes.append('Run with an argument, the module calls every function and prints a checksum; '
                 f'compared with native: {", ".join(checks) or "nothing to compare"}.')

    # Whole-process time of the module that exits at once, net of hello world's start-up.
    wasmgrind_usable = any(c.name == 'wasmgrind' for c in bench.configs) and 'wasmgrind' not in bench.unavailable
    compile_only = wasmgrind_usable and has_flag(wasmgrind_help(args.wasmgrind), '--compile-only')
    for c in bench.configs:
        if c.kind != 'wasm':
            continue
        if c.name in bench.unavailable:
            rows.append([c.name, 'whole process', 'unavailable', ''])
            continue
        o = measure(c.command(bench.ctx, big.wasm, []), args.runs, args.timeout, '')
        hello = startup.get(c.name)
        raw[f'process/{c.name}'] = dataclasses.asdict(o)
        if not o.ok:
            rows.append([c.name, 'whole process', o.status, ''])
            bench.problems.append((f'compile speed / {c.name}', f'{o.status}: {o.detail}'))
            bench.failures += 1
            continue
        rows.append([c.name, 'whole process: start, compile, instantiate, exit', fmt_time(o.wall),
                     f'{mb / o.wall:.1f}'])
        if hello and hello.ok and o.wall > hello.wall:
            net = o.wall - hello.wall
            rows.append([c.name, 'the same minus hello world\'s time', fmt_time(net), f'{mb / net:.1f}'])
    if compile_only:
        o = measure([args.wasmgrind, 'run', '--compile-only', str(big.wasm)], args.runs, args.timeout, None)
        raw['wasmgrind-compile-only'] = dataclasses.asdict(o)
        rows.append(['wasmgrind', 'whole process with `run --compile-only`',
                     fmt_time(o.wall) if o.ok else o.status, f'{mb / o.wall:.1f}' if o.ok else ''])
    notes.append('"whole process" runs the module without arguments: `main` returns at once, so the '
                 'time is start-up, decoding, validation and compilation of every function (eager '
                 'for wasmgrind; node compiles lazily by default, so its row is mostly validation), '
                 'instantiation and exit. "minus hello world" subtracts that runtime\'s hello-world '
                 'time (its fixed start-up cost, with a module of about '
                 f'{(code_section_size(args.build_dir / "wasm" / "hello.wasm") / 1e3):.0f} kB of code).'
                 + (' wasmgrind has no `--compile-only` flag (checked `--help`), so no row times its '
                    'compiler alone.' if wasmgrind_usable and not compile_only else ''))

    # V8 in-process.
    if any(c.runtime == 'node' and c.name not in bench.unavailable for c in bench.configs):
        for title, flags in V8_COMPILE_MODES:
            argv = [args.node, '--no-warnings', *flags, str(NODE_WASI), '--time-compile', str(big.wasm)]
            times = []
            for _ in range(args.runs):
                s = run_once(argv, args.timeout)
                m = re.search(r'compile_ms=([0-9.]+)', s.stdout)
                if s.status != 0 or not m:
                    bench.problems.append((f'compile speed / {title}', f'{failure_text(s)}: {first_lines(s.stderr)}'))
                    break
                times.append(float(m.group(1)) / 1000)
            if len(times) == args.runs:
                t = statistics.median(times)
                raw[f'v8/{title}'] = times
                rows.append([title, f'`WebAssembly.compile` in-process (`{" ".join(flags) or "no flags"}`)',
                             fmt_time(t), f'{mb / t:.1f}'])
        notes.append('V8 rows time `WebAssembly.compile` inside node (node_wasi.js --time-compile), '
                     'excluding node\'s start-up. V8 compiles on background threads; the "one thread" rows '
                     'use `--single-threaded`.')
    return rows, notes, raw
