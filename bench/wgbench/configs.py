"""What the benchmark runs: the programs, the configurations (the report's columns) and V8's
in-process compile modes; and which optional `wasmgrind run` flags a binary has."""
from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import Callable

from .paths import NODE_WASI
from .util import capture


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    source: str                 # file in bench/programs
    quick_args: tuple           # a tiny input for --quick; full runs pass no arguments
    what: str                   # one line for the report
    wasm_cflags: tuple = ()     # extra flags for the wasm build only


PROGRAMS = [
    Program('matmul', 'matmul.c', ('40',), 'double matrix multiply, 1700x1700'),
    Program('nbody', 'nbody.c', ('1000',), 'five-body simulation, sqrt and division'),
    Program('fft', 'fft.c', ('1',), 'complex radix-2 FFT, 2^16 points'),
    Program('sieve', 'sieve.c', ('100000',), 'bit-array sieve of Eratosthenes'),
    Program('hash', 'hash.c', ('1',), 'SHA-256 and a 64-bit multiply-rotate hash'),
    Program('sort', 'sort.c', ('2000',), 'generic quicksort, comparator via indirect call'),
    Program('strings', 'strings.c', ('100',), 'libc string functions: snprintf, strtok_r, strstr...'),
    Program('recursion', 'recursion.c', ('20',), 'fib, tak, n-queens: calls and returns'),
    Program('binarytrees', 'binarytrees.c', ('6',), 'malloc/free of tree nodes'),
    Program('hashmap', 'hashmap.c', ('500',), 'hash map of malloc\'d strings'),
    Program('interp', 'interp.c', ('1000',), 'switch-dispatch bytecode interpreter'),
    Program('memops', 'memops.c', ('1',), 'memset/memcpy/memmove/memcmp of 32 MiB buffers'),
    Program('memops-bulk', 'memops.c', ('1',), 'memops, wasm built with -mbulk-memory (memory.copy/fill)',
            wasm_cflags=('-mbulk-memory',)),
]
HELLO = Program('hello', 'hello.c', (), 'prints one line')
SECTIONS = ('compile', 'startup')  # names --only accepts besides the programs


@dataclasses.dataclass
class Context:
    """What the configurations need to build their command lines."""
    wasmgrind: str
    node: str


@dataclasses.dataclass(frozen=True)
class Config:
    """One column of the report: a way to run a program.

    To add one (for example wasmgrind's memory checker once it exists), append a Config to
    CONFIGS: a name (the --configs key and column heading), a title for the legend, whether it
    runs the native or the wasm build, how to build its command line, which other
    configurations its time is divided by for the ratio columns, and the runtime and optional
    `wasmgrind run` flag it needs.
    """
    name: str
    title: str
    kind: str  # 'native' or 'wasm'
    command: Callable[[Context, Path, list], list]
    baselines: tuple = ()
    # The binary it needs ('wasmgrind', 'node'): when that is missing, every configuration using
    # it is reported unavailable. (Each configuration is also probed with hello world first.)
    runtime: str = ''
    # A `wasmgrind run` flag it needs: when the binary's --help does not list it, the
    # configuration is left out of the run, with a note in the report.
    needs_flag: str = ''


def _node(ctx: Context, flags: list, wasm: Path, args: list) -> list:
    return [ctx.node, '--no-warnings', *flags, str(NODE_WASI), str(wasm), *args]


LIFTOFF_FLAGS = ['--liftoff', '--no-wasm-tier-up']
# V8 11.3 has no on-stack replacement for wasm: a program whose hot loop runs in one long call
# (most of ours, in main) never leaves Liftoff under default tiering. TurboFan-only shows what
# V8's optimizing compiler does with the same code.
TURBOFAN_FLAGS = ['--no-liftoff']

CONFIGS = [
    Config('native', 'native code, clang -O2, glibc', 'native',
           lambda ctx, exe, args: [str(exe), *args]),
    Config('wasmgrind', 'wasmgrind run', 'wasm',
           lambda ctx, wasm, args: [ctx.wasmgrind, 'run', str(wasm), *args],
           baselines=('native', 'node', 'liftoff', 'turbofan'), runtime='wasmgrind'),
    # The module's own (wasi-libc) string and memory functions, where plain `run` replaces
    # memcpy, strlen and the like with native implementations.
    Config('wasmgrind-wasmlibc', 'wasmgrind run --no-libc-replacements (the module\'s own wasm libc '
           'string/memory functions)', 'wasm',
           lambda ctx, wasm, args: [ctx.wasmgrind, 'run', '--no-libc-replacements', str(wasm), *args],
           baselines=('native',), runtime='wasmgrind', needs_flag='--no-libc-replacements'),
    Config('node', 'node, V8 default tiering (Liftoff, then TurboFan for hot functions)', 'wasm',
           lambda ctx, wasm, args: _node(ctx, [], wasm, args),
           baselines=('native',), runtime='node'),
    Config('liftoff', 'node --liftoff --no-wasm-tier-up (V8 baseline compiler only)', 'wasm',
           lambda ctx, wasm, args: _node(ctx, LIFTOFF_FLAGS, wasm, args),
           baselines=('native', 'node'), runtime='node'),
    Config('turbofan', 'node --no-liftoff (V8 optimizing compiler only)', 'wasm',
           lambda ctx, wasm, args: _node(ctx, TURBOFAN_FLAGS, wasm, args),
           baselines=('native', 'node'), runtime='node'),
    # The memory checker with its default options, as a user runs it: leak check (summary) at
    # exit, 20 MB quarantine, 12 callers per backtrace. Its report goes to stderr; the program's
    # stdout is checked as every configuration's is.
    Config('wasmgrind-memcheck', 'wasmgrind run --memcheck (default options)', 'wasm',
           lambda ctx, wasm, args: [ctx.wasmgrind, 'run', '--memcheck', str(wasm), *args],
           baselines=('native', 'wasmgrind'), runtime='wasmgrind', needs_flag='--memcheck'),
    # Part 1 of the checker alone: addressability, the heap, leaks; no uninitialised values.
    Config('wasmgrind-memcheck-noundef', 'wasmgrind run --memcheck --undef-value-errors=no', 'wasm',
           lambda ctx, wasm, args: [ctx.wasmgrind, 'run', '--memcheck', '--undef-value-errors=no',
                                    str(wasm), *args],
           baselines=('wasmgrind',), runtime='wasmgrind', needs_flag='--memcheck'),
    # With the origin of every uninitialised value, the cost paid only with the option.
    Config('wasmgrind-memcheck-origins', 'wasmgrind run --memcheck --track-origins=yes', 'wasm',
           lambda ctx, wasm, args: [ctx.wasmgrind, 'run', '--memcheck', '--track-origins=yes',
                                    str(wasm), *args],
           baselines=('wasmgrind', 'wasmgrind-memcheck'), runtime='wasmgrind',
           needs_flag='--memcheck'),
]

# V8's compiler measured in-process (WebAssembly.compile, see node_wasi.js --time-compile).
# Node 20 compiles wasm lazily by default; these flags make each row compile every function.
V8_COMPILE_MODES = [
    ('V8 default flags (lazy compilation: decodes and validates only)', []),
    ('V8 Liftoff, eager', ['--liftoff', '--no-wasm-tier-up', '--no-wasm-lazy-compilation']),
    ('V8 Liftoff, eager, one thread', ['--liftoff', '--no-wasm-tier-up', '--no-wasm-lazy-compilation',
                                       '--single-threaded']),
    ('V8 TurboFan, eager', ['--no-liftoff', '--no-wasm-lazy-compilation']),
    ('V8 TurboFan, eager, one thread', ['--no-liftoff', '--no-wasm-lazy-compilation', '--single-threaded']),
]


@functools.lru_cache(maxsize=None)
def wasmgrind_help(wasmgrind: str) -> str:
    """`wasmgrind --help` and `wasmgrind run --help` together ('' where they fail): the runner
    looks there for the optional flags (`--compile-only`, a configuration's `needs_flag`)."""
    return capture([wasmgrind, '--help']) + capture([wasmgrind, 'run', '--help'])


def has_flag(help_text: str, flag: str) -> bool:
    """Whether a --help text mentions `flag` (itself, not a longer flag it begins)."""
    return re.search(r'(?<![\w-])' + re.escape(flag) + r'(?![\w-])', help_text) is not None
