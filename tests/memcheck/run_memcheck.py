#!/usr/bin/env python3
"""Runs the memcheck corpus under `wasmgrind run --memcheck` and checks every report.

Each program of tests/memcheck, built for wasm32-wasi at -O0 and -O2 (tests/memcheck/
CMakeLists.txt), runs under `wasmgrind run --memcheck --xml=yes --leak-check=full` plus its
`VALGRIND:` options; the XML is checked against the program's `EXPECT:` lines with the same
rules confirm_native.py applies to Valgrind's XML: every expected error is there (kind, source
line, size, block description, leak sizes), and there is no other error; a program whose RUN
line is `exit=N` must exit with N here too (134 where a StackOverflow is expected: it stops the
program, as the trap does).

Programs that expect an uninitialised value, and the correct ones, run a second time with
`--track-origins=yes`: the first run checks every fact but `origin=`, the second every fact.
Every program runs once more with `--undef-value-errors=no`, which must report its other
errors (if any) and no use of an undefined value. The C programs' -O2 builds run again
without their name section, where the allocator is found through DWARF: every error but the
leaks must be reported (see check()).

The checker does not pass every program yet (known_failures.txt says why), so the builds
that fail today are listed in known_failures.txt, checked both ways: a build that fails and is
not listed fails the test, and so does a listed build that now passes (take it off the list).
Prints one line per failing build and the counts.

Usage: run_memcheck.py --wasmgrind PATH --build-dir DIR [--known FILE] [--jobs N] [PROGRAM...]
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confirm_native as corpus  # noqa: E402  (the header and XML rules, shared)

# Valgrind options with no meaning (or no equivalent yet) for wasmgrind.
IGNORED_OPTIONS = ("--vex-",)


def is_uninit(expectation):
    """Whether an expectation is an uninitialised value's use (an origin= names one)."""
    return bool(expectation.kinds & {"UninitCondition", "UninitValue"}) or \
        "origin" in expectation.facts


def with_origins(header):
    """Whether the program also runs with --track-origins=yes: it expects an uninitialised
    value (its origin facts are checked in that run only), or it is correct (origin tracking
    must report nothing either)."""
    return not header.expect or any(is_uninit(e) for e in header.expect)


def leb128(data, at):
    """The unsigned LEB128 at data[at]: (value, offset past it)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def without_name_section(wasm, out_path):
    """Writes `wasm` without its `name` custom section to out_path (as `llvm-objcopy
    --remove-section=name` would; the DWARF stays): the checker must then find the allocator
    and the other functions it replaces through DWARF."""
    with open(wasm, "rb") as f:
        data = f.read()
    kept, at = [data[:8]], 8
    while at < len(data):
        begin = at
        section_id = data[at]
        size, payload = leb128(data, at + 1)
        at = payload + size
        if section_id == 0:
            name_length, name_at = leb128(data, payload)
            if data[name_at:name_at + name_length] == b"name":
                continue
        kept.append(data[begin:at])
    with open(out_path, "wb") as f:
        f.write(b"".join(kept))


def run_once(wasmgrind, wasm, name, header, expectations, extra_options, ignore,
             without_leaks=False):
    """None if one run's report matches `expectations` (bar the facts in `ignore`) and the
    program ends as the header says, else the problems (a string). `without_leaks`: leak
    errors are left out of the comparison."""
    with tempfile.TemporaryDirectory() as scratch:
        xml_path = os.path.join(scratch, "memcheck.xml")
        options = [o for o in header.valgrind_args if not o.startswith(IGNORED_OPTIONS)]
        command = [wasmgrind, "run", "--memcheck", "--xml=yes", f"--xml-file={xml_path}",
                   "--leak-check=full", *options, *extra_options, "--dir", scratch, wasm]
        try:
            result = subprocess.run(command, cwd=scratch, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            return "timed out"
        try:
            errors = corpus.read_errors(xml_path, name)
            if without_leaks:
                errors = [e for e in errors if not e.kind.startswith("Leak_")]
        except (ET.ParseError, FileNotFoundError) as e:
            stderr = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            return f"no XML ({e}); exit {result.returncode} {stderr}"
    problems = corpus.compare(expectations, errors, ignore=ignore)
    # The checker changes nothing the program sees but what client requests return (the
    # client_ programs check those themselves): it ends as RUN says it ends without one. But
    # for a stack overflow: the checker finds some that a plain run does not (it knows where
    # the .bss lies), and one stops the program as the trap does (Valgrind: SIGSEGV).
    run_exit = re.fullmatch(r"exit=(\d+)", header.run)
    expected_status = int(run_exit.group(1)) if run_exit else None
    if any("StackOverflow" in e.kinds for e in header.expect):
        expected_status = 134
    if expected_status is not None and result.returncode != expected_status:
        problems.append(f"ended with exit {result.returncode}, expected {expected_status} "
                        f"(RUN: {header.run})")
    return "; ".join(problems) if problems else None


def check(wasmgrind, build_dir, source, opt):
    """None if the build's reports match its header, else the problems (a string): a run
    without origins (whose reports do not say where a value was created, so `origin` facts
    are not checked); for the programs with_origins() names, one with --track-origins=yes,
    where every fact is checked; and for those that expect an uninitialised value, one with
    --undef-value-errors=no, which must report everything else but no such use."""
    name = os.path.basename(source)
    stem = os.path.splitext(name)[0]
    header = corpus.Header(source)
    wasm = os.path.join(build_dir, f"{stem}-{opt}.wasm")
    if not os.path.exists(wasm):
        return f"not built: {wasm}"
    runs = [("", header.expect, [], ("origin",))]
    if with_origins(header):
        runs.append(("with --track-origins=yes: ", header.expect, ["--track-origins=yes"], ()))
    # Every program again without V bits, whose JIT code checks differently (one check for
    # the accesses another covers): all but the uses of undefined values must be reported.
    others = [e for e in header.expect if not is_uninit(e)]
    runs.append(("with --undef-value-errors=no: ", others, ["--undef-value-errors=no"],
                 ("origin",)))
    for label, expectations, options, ignore in runs:
        problems = run_once(wasmgrind, wasm, name, header, expectations, options, ignore)
        if problems is not None:
            return label + problems
    # C programs once more without the name section (-O2: one stripped build is enough), where
    # the allocator is found by its DWARF name. Not C++: Debian's libc++abi has no DWARF, so a
    # stripped module's operator new is nameless. Not the leaks (also not those of searches
    # the program requests mid-run, which --leak-check=no does not stop): nor do wasi-libc's
    # startup functions (__main_void) have DWARF, and the built-in suppressions of their
    # blocks name them.
    if opt == "O2" and source.endswith(".c"):
        heap_errors = [e for e in header.expect if not any(k.startswith("Leak_") for k in e.kinds)]
        with tempfile.TemporaryDirectory() as scratch:
            stripped = os.path.join(scratch, f"{stem}-{opt}.wasm")
            without_name_section(wasm, stripped)
            problems = run_once(wasmgrind, stripped, name, header, heap_errors,
                                ["--leak-check=no"], ("origin",), without_leaks=True)
            if problems is not None:
                return "without the name section: " + problems
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wasmgrind", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--known", help="known failures, one `program.c -O0` per line")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("programs", nargs="*")
    args = parser.parse_args()
    args.wasmgrind = os.path.abspath(args.wasmgrind)
    args.build_dir = os.path.abspath(args.build_dir)
    sources = [os.path.join(corpus.HERE, p) for p in args.programs] or corpus.corpus_sources()
    known = set()
    if args.known:
        with open(args.known, encoding="utf-8") as f:
            known = {line.split("#")[0].strip() for line in f} - {""}
    builds = [(s, opt) for s in sources for opt in corpus.OPT_LEVELS]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda b: check(args.wasmgrind, args.build_dir, *b), builds))
    new_failures, fixed, passed, known_failed = [], [], 0, 0
    for (source, opt), problem in zip(builds, results):
        key = f"{os.path.basename(source)} -{opt}"
        if problem is None:
            passed += 1
            if key in known:
                fixed.append(key)
        elif key in known:
            known_failed += 1
        else:
            new_failures.append(f"{key}: {problem}")
    for line in new_failures:
        print(f"FAILED (not a known failure): {line}")
    for key in fixed:
        print(f"PASSES but is listed as a known failure (take it off the list): {key}")
    print(f"memcheck corpus: {len(builds)} builds, {passed} pass, {known_failed} known failures, "
          f"{len(new_failures)} new failures, {len(fixed)} fixed but still listed")
    return 1 if new_failures or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
