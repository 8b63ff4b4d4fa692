"""Building: the measure launcher, the programs (native and wasm32-wasi) and the generated
compile-speed module, each only when its inputs or its command line changed."""
from __future__ import annotations

import dataclasses
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Optional

from .configs import Program
from .paths import GENERATOR, MEASURE_C, PROGRAMS_DIR
from .util import first_lines, log

CFLAGS = ['-O2', '-Wall', '-Wextra']
NATIVE_CFLAGS = CFLAGS
# 1 MiB of shadow stack instead of wasm-ld's 64 KiB default, for the recursive programs.
WASM_CFLAGS = ['--target=wasm32-wasi', *CFLAGS, '-Wl,-z,stack-size=1048576']


def up_to_date(output: Path, inputs: list, command: list) -> bool:
    """Make-style check, plus the command line recorded next to the output."""
    stamp = output.with_name(output.name + '.cmd')
    if not output.exists() or not stamp.exists() or stamp.read_text() != shlex.join(command):
        return False
    return all(output.stat().st_mtime >= Path(i).stat().st_mtime for i in inputs)


def build(command: list, output: Path, inputs: list, timeout: float = 1800) -> Optional[str]:
    """Runs a compile command unless its output is up to date; returns an error or None."""
    if up_to_date(output, inputs, command):
        return None
    output.parent.mkdir(parents=True, exist_ok=True)
    log(f'  build {output.relative_to(output.parent.parent)}')
    try:
        r = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as e:
        return f'{command[0]}: {e}'
    if r.returncode != 0:
        output.unlink(missing_ok=True)  # never run a stale binary
        return first_lines(r.stderr, 5) or f'exit {r.returncode}'
    output.with_name(output.name + '.cmd').write_text(shlex.join(command))
    return None


def build_wasm(clang: str, flags: list, src: Path, wasm: Path, inputs: list) -> Optional[str]:
    """Compiles with -c, then links without -O: at -O1 and above clang's link step runs
    binaryen's wasm-opt when it is on PATH, which would make the measured code depend on the
    machine (and drop the name section and the DWARF addresses)."""
    obj = wasm.with_name(wasm.name + '.o')
    err = build([clang, *flags, '-c', '-o', str(obj), str(src)], obj, inputs)
    if err:
        return err
    link_flags = [f for f in flags if not f.startswith('-O')]
    return build([clang, *link_flags, '-o', str(wasm), str(obj)], wasm, [obj])


@dataclasses.dataclass
class Built:
    native: Optional[Path] = None
    wasm: Optional[Path] = None
    error: str = ''


def build_program(p: Program, clang: str, build_dir: Path) -> Built:
    src = PROGRAMS_DIR / p.source
    inputs = [src, PROGRAMS_DIR / 'common.h']
    native = build_dir / 'native' / p.name
    wasm = build_dir / 'wasm' / f'{p.name}.wasm'
    errors = []
    err = build([clang, *NATIVE_CFLAGS, '-o', str(native), str(src), '-lm'], native, inputs)
    if err:
        errors.append(f'native build: {err}')
    err = build_wasm(clang, [*WASM_CFLAGS, *p.wasm_cflags], src, wasm, inputs)
    if err:
        errors.append(f'wasm build: {err}')
    return Built(native if native.exists() and not errors else None,
                 wasm if wasm.exists() and not errors else None, '; '.join(errors))


def build_big_module(clang: str, build_dir: Path, functions: int) -> Built:
    src = build_dir / f'bigmodule-{functions}.c'
    gen = [sys.executable, str(GENERATOR), '--functions', str(functions), '-o', str(src)]
    err = build(gen, src, [GENERATOR])
    if err:
        return Built(error=f'generator: {err}')
    native = build_dir / 'native' / f'bigmodule-{functions}'
    wasm = build_dir / 'wasm' / f'bigmodule-{functions}.wasm'
    # Generated code: its warnings (self-comparisons and the like) are noise.
    errors = []
    for err in (build([clang, *NATIVE_CFLAGS, '-w', '-o', str(native), str(src)], native, [src]),
                build_wasm(clang, [*WASM_CFLAGS, '-w'], src, wasm, [src])):
        if err:
            errors.append(err)
    return Built(native if not errors else None, wasm if not errors else None, '; '.join(errors))


def build_launcher(clang: str, build_dir: Path) -> tuple:
    """Builds bench/measure.c, which every run goes through; returns (path, error or None)."""
    launcher = build_dir / 'measure'
    return launcher, build([clang, *NATIVE_CFLAGS, '-o', str(launcher), str(MEASURE_C)], launcher, [MEASURE_C])


def code_section_size(wasm: Path) -> int:
    """Size in bytes of the code section (id 10) of a wasm binary."""
    data = wasm.read_bytes()
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        pos += 1
        size = shift = 0
        while True:
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if section_id == 10:
            return size
        pos += size
    return 0
