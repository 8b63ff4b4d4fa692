"""The report: the Markdown document (bench/results.md or a partial one) and the raw JSON."""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
import platform
import shlex
import sys
from pathlib import Path

from .paths import NOTES, REPO
from .runs import Bench
from .tables import fmt_time, md_table, memcheck_memory_table, per_config_table, runtime_table
from .util import capture, log


def machine_info(args) -> list:
    cpu = platform.processor() or 'unknown'
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    clang = capture([args.clang, '--version']).splitlines()
    node = capture([args.node, '--version'])
    v8 = capture([args.node, '-p', 'process.versions.v8'])
    wg_dir = Path(args.wasmgrind).resolve().parent if args.wasmgrind else REPO
    if not wg_dir.exists():
        wg_dir = REPO
    commit = capture(['git', '-C', str(wg_dir), 'rev-parse', '--short=12', 'HEAD']) or 'unknown'
    dirty = capture(['git', '-C', str(wg_dir), 'status', '--porcelain', '--untracked-files=no'])
    wg_version = 'not available'
    if args.wasmgrind and os.access(args.wasmgrind, os.X_OK):
        built_at = datetime.datetime.fromtimestamp(Path(args.wasmgrind).stat().st_mtime)
        wg_version = (f'`{args.wasmgrind}`, source commit {commit}'
                      f'{" with uncommitted changes" if dirty else ""}, binary built {built_at:%Y-%m-%d %H:%M}')
    return [
        f'- CPU: {cpu}, {os.cpu_count()} logical cores; {platform.system()} {platform.release()}',
        f'- load average before the run: {args.load_before}, after: {" ".join(open("/proc/loadavg").read().split()[:3])}',
        f'- clang: {clang[0] if clang else "unknown"}',
        f'- node: {node or "unknown"} (V8 {v8 or "unknown"})',
        f'- wasmgrind: {wg_version}',
    ]


def memcheck_memory_section(configs: list, results: dict, programs: list) -> list:
    """The checker's memory against the unchecked run's, when both ran."""
    names = {c.name for c in configs}
    if not {'wasmgrind', 'wasmgrind-memcheck'} <= names:
        return []
    return ['### Peak memory under the memory checker', '',
            'The target: at most 2.2× the unchecked run plus the quarantine '
            '(`--freelist-vol`, 20 MB by default).', '',
            *memcheck_memory_table(results, programs, 'wasmgrind-memcheck', 'wasmgrind'), '']


def config_note(bench: Bench, name: str) -> str:
    """What the configurations list says after a configuration that did not run."""
    if name in bench.left_out:
        return f' — *left out: {bench.left_out[name]}*'
    if name in bench.unavailable:
        return f' — *not measured: {bench.unavailable[name]}*'
    return ''


def write_report(args, bench: Bench, program_results: dict, programs: list, compile_rows: list,
                 compile_notes: list, startup: dict) -> str:
    configs = bench.configs
    lines = [
        '# wasmgrind benchmarks',
        '',
        f'Written by `bench/run` on {datetime.datetime.now():%Y-%m-%d %H:%M}; do not edit, rerun it '
        '(see bench/README.md).',
        f'Command: `{shlex.join(["bench/run", *sys.argv[1:]])}`' + (' (**quick: tiny inputs, timings mean nothing**)'
                                                                   if args.quick else ''),
        '',
        '## Machine and versions',
        '',
        *machine_info(args),
        '',
        '## Configurations',
        '',
        *[f'- **{c.name}**: {c.title}' + config_note(bench, c.name) for c in bench.asked],
        '',
        f'Every configuration runs each program {args.runs} time(s) in a row; times are the median '
        'wall-clock time from process start to exit (so they include start-up and, for the wasm '
        'runtimes, compiling the module), memory is the median of the runs\' peak resident set '
        '(max RSS from wait4). Every run\'s output must equal the native run\'s (each program '
        'prints a checksum), else the cell says `wrong output`. Native code links glibc, wasm '
        'code wasi-libc: libc-heavy programs compare the two libcs as well as the compilers. '
        'node runs the programs through bench/node_wasi.js with node\'s WASI; it sets '
        '`--no-turbo-fast-api-calls`, without which node 20 crashes once a module\'s memory grows '
        'past 64 MiB (see bench/README.md).',
        '',
    ]
    if programs:
        lines += ['## Run time', '',
                  'Columns `A / B` are A\'s time divided by B\'s: lower is faster.', '',
                  *runtime_table(configs, program_results, programs), '',
                  '## Peak memory (MiB, max RSS)', '',
                  *per_config_table(configs, program_results, programs, lambda o: f'{o.max_rss_kib / 1024:.1f}'),
                  '',
                  *memcheck_memory_section(configs, program_results, programs),
                  '## CPU time (user + system, median)', '',
                  'More than the wall time means work on other threads (V8 compiles and collects garbage '
                  'in the background); much less means the process waited, for example on a loaded machine.', '',
                  *per_config_table(configs, program_results, programs, lambda o: fmt_time(o.cpu)), '',
                  '### The programs', '',
                  *md_table(['program', 'what', 'arguments'],
                            [[p.name, p.what + (f' (wasm: `{" ".join(p.wasm_cflags)}`)' if p.wasm_cflags else ''),
                              ' '.join(p.quick_args) if args.quick else '(defaults)'] for p in programs],
                            ['l', 'l', 'l']),
                  '']
    if compile_rows or compile_notes:
        lines += ['## Compile speed', '', *[f'- {n}' for n in compile_notes], '',
                  *md_table(['runtime', 'what is timed', 'median time', 'MB/s of code section'], compile_rows,
                            ['l', 'l', 'r', 'r']), '']
    if startup:
        lines += ['## Start-up latency (hello world)', '',
                  'Process start to exit of a program that prints one line.', '',
                  *md_table(['configuration', 'median time', 'peak memory (MiB)'],
                            [[name, fmt_time(o.wall) if o.ok else f'{o.status}',
                              f'{o.max_rss_kib / 1024:.1f}' if o.ok else ''] for name, o in startup.items()]),
                  '']
    if bench.problems:
        lines += ['## Problems', '', *[f'- {where}: {what}' for where, what in bench.problems], '']
    if NOTES.exists():
        # The one hand-written part: what profiling found, and earlier runs to compare with.
        lines += [f'## Notes (from bench/{NOTES.name}, written by hand)', '',
                  NOTES.read_text().strip(), '']
    return '\n'.join(lines)



def write(args, report: str, results: dict, startup: dict, compile_raw: dict) -> None:
    """Writes the report to args.output and every run's numbers to BUILD_DIR/<report>.json."""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report + '\n')
    raw = {'programs': {p: {c: dataclasses.asdict(o) for c, o in cells.items()} for p, cells in results.items()},
           'startup': {c: dataclasses.asdict(o) for c, o in startup.items()}, 'compile': compile_raw}
    raw_path = args.build_dir / (args.output.stem + '.json')
    raw_path.write_text(json.dumps(raw, indent=1))
    log(f'wrote {args.output} (raw data: {raw_path})')
