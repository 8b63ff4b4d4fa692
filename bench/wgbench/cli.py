"""wasmgrind benchmarks: the JIT side by side with native code and V8.

Builds the C programs in bench/programs natively and for wasm32-wasi (clang -O2), runs each
under every configuration (native; wasmgrind, also with the module's own libc string functions;
node with V8's default tiering, Liftoff only and TurboFan only: see --list), checks every run's
output against native's, and writes a Markdown report: median wall
time, peak memory, ratios and geometric means, compile speed on a generated module with a code
section of over 1 MB, and hello-world start-up latency.

  bench/run                       full run, writes bench/results.md
  bench/run --quick               tiny inputs, one run each: proves the runner works (CI)
  bench/run --only sort,fft       some programs only ('compile' and 'startup' name the other sections)
  bench/run --configs native,node some configurations only (native always runs: it is the reference)

Partial runs (--quick, --only, --configs) write to BUILD_DIR/results-*.md unless --output says
otherwise, so that bench/results.md only ever holds a complete run. See bench/README.md.

Exit status: 0 if every run that could start exited 0 with native's output (configurations
whose runtime is missing or cannot run hello world are reported, not counted; those needing a
wasmgrind flag the binary lacks are left out); 1 otherwise.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import measure, report, sections
from .build import build_launcher, build_program
from .configs import CONFIGS, HELLO, PROGRAMS, SECTIONS
from .paths import BENCH_DIR, REPO
from .runs import Bench
from .util import log


def parse_args():
    parser = argparse.ArgumentParser(
        prog='bench/run', description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--runs', type=int, default=None,
                        help='runs per program and configuration (default 5; 1 with --quick)')
    parser.add_argument('--quick', action='store_true',
                        help='tiny inputs, one run each, small generated module: checks the runner in seconds')
    parser.add_argument('--only', action='append', default=[], metavar='NAME[,NAME...]',
                        help='run only these programs and sections (compile, startup); repeatable')
    parser.add_argument('--configs', default=','.join(c.name for c in CONFIGS), metavar='NAME[,NAME...]',
                        help='configurations to run (default: all of %(default)s); native always runs')
    parser.add_argument('--wasmgrind', default=str(REPO / 'build' / 'tools' / 'wasmgrind' / 'wasmgrind'),
                        help='the wasmgrind binary (default: %(default)s)')
    parser.add_argument('--node', default='node', help='the node binary (default: %(default)s)')
    parser.add_argument('--clang', default='clang', help='the C compiler, for both targets (default: %(default)s)')
    parser.add_argument('--build-dir', type=Path, default=REPO / 'build' / 'bench',
                        help='where binaries and partial reports go (default: %(default)s)')
    parser.add_argument('--output', type=Path, default=None,
                        help='the report (default: bench/results.md for a full run, '
                             'BUILD_DIR/results-partial.md or results-quick.md otherwise)')
    parser.add_argument('--timeout', type=float, default=None,
                        help='seconds before one run is killed (default 300; 60 with --quick)')
    parser.add_argument('--list', action='store_true', help='list programs and configurations, then exit')
    args = parser.parse_args()

    args.configs = [n.strip() for n in args.configs.split(',') if n.strip()]
    known = [c.name for c in CONFIGS]
    for n in args.configs:
        if n not in known:
            parser.error(f'unknown configuration {n!r} (known: {", ".join(known)})')
    if 'native' not in args.configs:
        args.configs.insert(0, 'native')
    args.only = [n.strip() for o in args.only for n in o.split(',') if n.strip()]
    names = [p.name for p in PROGRAMS] + list(SECTIONS)
    for n in args.only:
        if n not in names:
            parser.error(f'unknown program or section {n!r} (known: {", ".join(names)})')
    args.runs = args.runs or (1 if args.quick else 5)
    if args.runs < 1:
        parser.error('--runs must be at least 1')
    args.timeout = args.timeout or (60 if args.quick else 300)
    args.build_dir = args.build_dir.resolve()
    if os.sep not in args.wasmgrind:  # a name to look up on PATH
        args.wasmgrind = shutil.which(args.wasmgrind) or args.wasmgrind
    partial = args.quick or args.only or len(args.configs) != len(CONFIGS)
    if args.output is None:
        args.output = (args.build_dir / ('results-quick.md' if args.quick else 'results-partial.md')
                       if partial else BENCH_DIR / 'results.md')
    return args


def main() -> int:
    args = parse_args()
    if args.list:
        for p in PROGRAMS:
            print(f'{p.name:12} {p.what}')
        for s in SECTIONS:
            print(f'{s:12} (section)')
        for c in CONFIGS:
            print(f'config {c.name:10} {c.title}')
        return 0
    if not shutil.which(args.clang):
        sys.exit(f'bench/run: {args.clang} not found')
    args.load_before = ' '.join(open('/proc/loadavg').read().split()[:3])
    programs = [p for p in PROGRAMS if not args.only or p.name in args.only]
    want = lambda section: not args.only or section in args.only

    log(f'building into {args.build_dir}')
    launcher, err = build_launcher(args.clang, args.build_dir)
    if err:
        sys.exit(f'bench/run: cannot build the measure launcher: {err}')
    measure.use_launcher(launcher)
    hello = build_program(HELLO, args.clang, args.build_dir)
    built = {p.name: build_program(p, args.clang, args.build_dir) for p in programs}
    for name, b in built.items():
        if b.error:
            log(f'  {name}: {b.error}')

    bench = Bench(args)
    log('probing runtimes with hello world')
    bench.probe(hello)

    results = {}
    for p in programs:
        log(f'{p.name}:')
        results[p.name] = bench.run_program(p, built[p.name], list(p.quick_args) if args.quick else [], args.runs)

    startup = {}
    if want('startup') or want('compile'):
        startup = sections.run_startup_section(args, bench, hello)
    compile_rows, compile_notes, compile_raw = [], [], {}
    if want('compile'):
        compile_rows, compile_notes, compile_raw = sections.run_compile_section(args, bench, startup)

    text = report.write_report(args, bench, results, programs, compile_rows, compile_notes,
                               startup if want('startup') else {})
    report.write(args, text, results, startup, compile_raw)
    if bench.failures:
        log(f'{bench.failures} failed or wrong runs: see "Problems" in the report')
        return 1
    return 0
