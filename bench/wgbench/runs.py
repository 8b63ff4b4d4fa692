"""Running every configuration of a program: which configurations can run at all (the runtime
is there, runs hello world, has the flags it needs), native first as the reference, and the
problems and failures the report and the exit status are made of."""
from __future__ import annotations

import os
from typing import Optional

from .build import Built
from .configs import CONFIGS, Config, Context, Program, has_flag, wasmgrind_help
from .measure import Outcome, measure
from .util import log


class Bench:
    """One run of the benchmark: its configurations, which of them cannot run, and what went wrong."""

    def __init__(self, args):
        self.args = args
        self.ctx = Context(wasmgrind=args.wasmgrind, node=args.node)
        self.asked = [c for c in CONFIGS if c.name in args.configs]  # the report lists these
        self.configs = list(self.asked)  # the ones that run: less those left out
        self.left_out: dict = {}         # config name -> why it is not in this run at all
        self.unavailable: dict = {}      # config name -> why it cannot run at all
        self.problems: list = []         # (where, what) for the report
        self.failures = 0                # runs that failed or printed the wrong output

    def probe(self, hello: Built) -> None:
        """Runs hello-world under each runtime once; a runtime that cannot is marked unusable."""
        if self.args.wasmgrind and not os.access(self.args.wasmgrind, os.X_OK):
            for c in self.configs:
                if c.runtime == 'wasmgrind':
                    self.unavailable[c.name] = f'not built ({self.args.wasmgrind} missing)'
        self.leave_out_missing_flags()
        if hello.error:
            for c in self.configs:
                self.unavailable.setdefault(c.name, f'hello world did not build: {hello.error}')
            return
        expected = 'hello, world'
        for c in self.configs:
            if c.name in self.unavailable:
                continue
            exe = hello.native if c.kind == 'native' else hello.wasm
            o = measure(c.command(self.ctx, exe, []), 1, 60, expected)
            if not o.ok:
                self.unavailable[c.name] = f'cannot run hello world: {o.status}, {o.detail}'
        for name, why in self.unavailable.items():
            log(f'  {name}: {why}')
            self.problems.append((name, why))

    def leave_out_missing_flags(self) -> None:
        """Leaves out the configurations that need a `wasmgrind run` flag this binary lacks."""
        for c in list(self.configs):
            if not c.needs_flag or c.name in self.unavailable:
                continue
            if not has_flag(wasmgrind_help(self.args.wasmgrind), c.needs_flag):
                self.left_out[c.name] = (f'this wasmgrind has no `{c.needs_flag}` flag '
                                         '(checked `wasmgrind run --help`)')
                self.configs.remove(c)
                log(f'  {c.name}: left out, {self.left_out[c.name]}')

    def run_cell(self, c: Config, built: Built, args: list, expected: Optional[str], runs: int) -> Outcome:
        if c.name in self.unavailable:
            return Outcome('unavailable', self.unavailable[c.name])
        exe = built.native if c.kind == 'native' else built.wasm
        if exe is None:
            return Outcome('build failed', built.error)
        if c.kind != 'native' and expected is None:
            return Outcome('no reference', 'native run failed, nothing to check the output against')
        return measure(c.command(self.ctx, exe, args), runs, self.args.timeout, expected)

    def run_program(self, p: Program, built: Built, args: list, runs: int) -> dict:
        """All configurations of one program; native first, its output is the reference."""
        cells = {}
        native = next(c for c in CONFIGS if c.name == 'native')
        cells['native'] = self.run_cell(native, built, args, None, runs)
        expected = cells['native'].output if cells['native'].ok else None
        for c in self.configs:
            if c.name != 'native':
                cells[c.name] = self.run_cell(c, built, args, expected, runs)
        for name, o in cells.items():
            shown = (f'{o.wall:.3f} s (cpu {o.cpu:.3f} s), {o.max_rss_kib / 1024:.1f} MiB' if o.ok
                     else f'{o.status}: {o.detail}')
            log(f'  {p.name:12} {name:10} {shown}')
            if not o.ok and o.status != 'unavailable':
                self.problems.append((f'{p.name} / {name}', f'{o.status}: {o.detail}'))
                self.failures += 1
        return cells

