#!/usr/bin/env python3
"""Confirms the memcheck corpus against Valgrind on native builds.

Builds every program of tests/memcheck natively with clang at -O0 and -O2 (`-g -gdwarf-4`:
Valgrind 3.19 cannot read clang 14's default DWARF 5), runs each under
`valgrind --xml=yes --leak-check=full --track-origins=yes` plus the program's `VALGRIND:`
options, and checks Valgrind's XML against the program's header (README.md describes it):
every expected error is there, with its kind, source line, access size, block description,
leak sizes and origin, and there is no other error. Prints one line per build and a summary;
`--summary FILE` also writes them to FILE (native_valgrind.txt is such a file), `--xml-dir DIR`
keeps Valgrind's XML files.

Usage: confirm_native.py [--jobs N] [--summary FILE] [--xml-dir DIR] [PROGRAM...]
       confirm_native.py --check-headers [PROGRAM...]   (only parse the headers; for ctest)
Exit status: 0 when every build is confirmed, 1 when one is not, 2 on a usage error or a bad
header.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "include"))
OPT_LEVELS = ("O0", "O2")
# --vex-guest-chase=no: with Valgrind 3.19's default (chasing direct calls into one translated
# block), an error in a small function called at -O2 is reported at its caller's call site, with
# the function's own frame missing.
BASE_VALGRIND_ARGS = ["--xml=yes", "--leak-check=full", "--track-origins=yes",
                      "--vex-guest-chase=no"]
LEAK_KINDS = ("Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost",
              "Leak_StillReachable")
KEYS = {"size", "line", "addr", "bytes", "blocks", "origin", "fn"}
# Valgrind's XML <kind>s that memcheck reports, and StackOverflow: wasmgrind's C stack overflow
# trap, which Valgrind has no error for (corpus_header.cc has the same list).
KINDS = {"InvalidRead", "InvalidWrite", "InvalidFree", "MismatchedFree", "InvalidJump",
         "SyscallParam", "ClientCheck", "Overlap", "InvalidMemPool", "FishyValue",
         "UninitCondition", "UninitValue", "Leak_DefinitelyLost", "Leak_IndirectlyLost",
         "Leak_PossiblyLost", "Leak_StillReachable", "StackOverflow"}

# What `origin=KIND:LINE` calls the ways --track-origins says a value was created. Valgrind
# says only "Uninitialised value was created" for memory the program got from the system
# (brk); wasmgrind may name memory.grow, its counterpart.
ORIGINS = (("heap", r"by an? heap allocation"), ("stack", r"by an? stack allocation"),
           ("client", r"by an? client request"), ("grow", r"(by memory\.grow)?"))
ORIGIN_KINDS = {kind for kind, _ in ORIGINS}


class HeaderError(Exception):
    pass


class Expectation:
    """One `EXPECT:` line: an error kind and the facts about it to check."""

    def __init__(self, text):
        self.text = text
        words = text.split()
        if not words:
            raise HeaderError("empty expectation")
        self.kind = words[0]
        self.kinds = set(self.kind.split("|"))  # KIND|KIND: either one
        if not self.kinds <= KINDS:
            raise HeaderError(f"unknown error kind in {text!r}")
        self.facts = {}
        for word in words[1:]:
            key, sep, value = word.partition("=")
            if not sep or key not in KEYS:
                raise HeaderError(f"bad fact {word!r} in expectation {text!r}")
            if key == "origin" and not re.fullmatch(
                    r"(%s):\d+" % "|".join(sorted(ORIGIN_KINDS)), value):
                raise HeaderError(f"bad origin {word!r} in expectation {text!r} "
                                  f"(KIND:LINE, KIND one of {', '.join(sorted(ORIGIN_KINDS))})")
            self.facts[key] = value

    def __str__(self):
        return self.text


class Header:
    """The machine-readable lines at the top of a corpus program."""

    def __init__(self, path):
        self.path = path
        self.expect = []           # [Expectation]; empty list = `EXPECT: none`
        self.expect_native = None  # None = same as expect
        self.differs = ""
        self.valgrind_args = []
        self.run = None
        saw_expect = False
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = re.match(r"// (EXPECT|EXPECT-NATIVE|DIFFERS|VALGRIND|RUN|LINK-FLAGS): ?(.*)$",
                             line.rstrip("\n"))
                if not m:
                    continue
                name, value = m.group(1), m.group(2).strip()
                try:
                    if name == "EXPECT":
                        saw_expect = True
                        if value != "none":
                            self.expect.append(Expectation(value))
                    elif name == "EXPECT-NATIVE":
                        if self.expect_native is None:
                            self.expect_native = []
                        if value != "none":
                            self.expect_native.append(Expectation(value))
                    elif name == "DIFFERS":
                        self.differs = (self.differs + " " + value).strip()
                    elif name == "VALGRIND":
                        self.valgrind_args += value.split()
                    elif name == "RUN":
                        self.run = value
                except HeaderError as e:
                    raise HeaderError(f"{path}:{number}: {e}") from None
        if not saw_expect:
            raise HeaderError(f"{path}: no `// EXPECT:` line")
        if self.run is None:
            raise HeaderError(f"{path}: no `// RUN:` line")
        if self.expect_native is not None and not self.differs:
            raise HeaderError(f"{path}: EXPECT-NATIVE without a DIFFERS line saying why")

    def native(self):
        return self.expect if self.expect_native is None else self.expect_native


# --- Valgrind's XML -------------------------------------------------------------------------

def _frames(stack):
    return [{child.tag: child.text for child in frame} for frame in stack.findall("frame")]


def _number(text):
    return int(text.replace(",", ""))


def describe_address(auxwhat):
    """Valgrind's "Address 0x.. is ..." line as the corpus's `addr=` vocabulary."""
    if auxwhat is None:
        return None
    # "a recently re-allocated block": a live block that a freed one overlapped (Valgrind's
    # words for a custom allocator's arena); the same block to us.
    m = re.search(r"is ([\d,]+) bytes (after|before|inside) a (?:recently re-allocated )?block "
                  r"of size ([\d,]+) (alloc'd|free'd|client-defined)", auxwhat)
    if m:
        offset, where, size, state = _number(m.group(1)), m.group(2), _number(m.group(3)), m.group(4)
        prefix = {"free'd": "freed", "client-defined": "client"}.get(state)
        if prefix:
            return f"{prefix}:{offset}:{size}" if where == "inside" else f"{prefix}-{where}:{offset}:{size}"
        return f"{where}:{offset}:{size}"
    # VALGRIND_CREATE_BLOCK's block, in the program's words: "inside a my table of size 16".
    m = re.search(r"is ([\d,]+) bytes inside a (.+) of size ([\d,]+) client-defined", auxwhat)
    if m:
        return f"described:{_number(m.group(1))}:{_number(m.group(3))}"
    if "in arena \"client\"" in auxwhat and "unallocated block" in auxwhat:
        return "unallocated"
    if "below stack pointer" in auxwhat:
        return "below-sp"
    if "stack" in auxwhat and "is on thread" in auxwhat:
        return "stack"
    if "data symbol" in auxwhat or "Data segment" in auxwhat or "BSS segment" in auxwhat:
        return "global"
    if "not stack'd, malloc'd or (recently) free'd" in auxwhat:
        return "unknown"
    if "is outside linear memory" in auxwhat:  # wasmgrind's only: no native counterpart
        return "outside-memory"
    return "other: " + auxwhat


def origin_kind(auxwhat):
    """The origin kind an <auxwhat> names, or None when it is not an origin."""
    for kind, words in ORIGINS:
        if re.fullmatch(r"Uninitialised value was created ?" + words, (auxwhat or "").strip()):
            return kind
    return None


class Error:
    """One <error> of Valgrind's XML, reduced to what expectations talk about."""

    def __init__(self, element, source_name):
        self.kind = element.findtext("kind")
        self.what = element.findtext("what") or element.findtext("xwhat/text") or ""
        stacks = element.findall("stack")
        self.frames = _frames(stacks[0]) if stacks else []
        auxwhats = [a.text for a in element.findall("auxwhat")]
        # "Address 0x.. is on thread 1's stack" may go on in a second auxwhat: "N bytes below
        # stack pointer".
        if auxwhats and (auxwhats[0] or "").startswith("Address "):
            self.auxwhat = " ".join(a or "" for a in auxwhats[:2])
        else:
            self.auxwhat = None
        self.facts = {}
        line = self._user_line(self.frames, source_name)
        if line is not None:
            self.facts["line"] = str(line)
        if self.frames:
            # The innermost function, C++ names up to their parameter list.
            self.facts["fn"] = (self.frames[0].get("fn") or "?").split("(")[0]
        m = re.search(r"of size (\d+)", self.what)
        if m and self.kind in ("InvalidRead", "InvalidWrite"):
            self.facts["size"] = m.group(1)
        address = describe_address(self.auxwhat)
        if address is not None:
            self.facts["addr"] = address
        if element.find("xwhat/leakedbytes") is not None:
            # A loss record's own bytes: "80 (16 direct, 64 indirect) bytes in 1 blocks" counts
            # the blocks it holds indirectly too, which have records of their own.
            m = re.match(r"([\d,]+) \(([\d,]+) direct", self.what)
            direct = _number(m.group(2)) if m else _number(element.findtext("xwhat/leakedbytes"))
            self.facts["bytes"] = str(direct)
            self.facts["blocks"] = element.findtext("xwhat/leakedblocks")
        # --track-origins: "Uninitialised value was created by a heap allocation", its stack.
        for text in auxwhats:
            origin = origin_kind(text)
            if origin and len(stacks) > 1:
                origin_line = self._user_line(_frames(stacks[1]), source_name)
                self.facts["origin"] = f"{origin}:{origin_line}"

    @staticmethod
    def _user_line(frames, source_name):
        """The line of the first frame in the program's own source file."""
        for frame in frames:
            if frame.get("file") == source_name and frame.get("line"):
                return int(frame["line"])
        return None

    def matches(self, expectation, ignore=()):
        if self.kind not in expectation.kinds:
            return False
        return all(self.facts.get(key) == value for key, value in expectation.facts.items()
                   if key not in ignore)

    def __str__(self):
        facts = " ".join(f"{k}={v}" for k, v in sorted(self.facts.items()))
        return f"{self.kind} {facts} ({self.what})"


def read_errors(xml_path, source_name):
    tree = ET.parse(xml_path)
    return [Error(e, source_name) for e in tree.getroot().findall("error")]


def compare(expectations, errors, ignore=()):
    """Problems (strings) between what the header expects and what Valgrind reported.

    A leak expectation's bytes= and blocks= are totals over the loss records that match the rest
    of it: how blocks split into records depends on their whole allocation stacks, which differ
    with unrolling and inlining, while the allocating line does not. Facts named in `ignore`
    are not checked (run_memcheck.py: `origin` in a run without --track-origins)."""
    problems = []
    sums = ("bytes", "blocks")
    ignore = tuple(ignore)
    for expectation in expectations:
        if expectation.kinds & set(LEAK_KINDS):
            records = [e for e in errors if e.matches(expectation, ignore=sums + ignore)]
            totals = {key: str(sum(int(e.facts.get(key, 0)) for e in records)) for key in sums}
            ok = records and all(totals[key] == expectation.facts[key]
                                 for key in sums if key in expectation.facts)
            if not ok:
                got = f" (found {totals['bytes']} bytes in {totals['blocks']} blocks)" if records else ""
                problems.append(f"missing: {expectation}{got}")
        elif not any(error.matches(expectation, ignore=ignore) for error in errors):
            unchecked = [key for key in ignore if key in expectation.facts]
            note = f" ({', '.join(unchecked)} not checked)" if unchecked else ""
            problems.append(f"missing: {expectation}{note}")
    for error in errors:
        if not any(error.matches(expectation, ignore=sums + ignore) for expectation in expectations):
            problems.append(f"unexpected: {error}")
    return problems


# --- building and running -------------------------------------------------------------------

def build(source, opt, out_dir):
    name, ext = os.path.splitext(os.path.basename(source))
    exe = os.path.join(out_dir, f"{name}-{opt}")
    if ext == ".cpp":
        command = ["clang++", "-std=c++17"]
    else:
        command = ["clang"]
    # -fno-builtin-malloc would hide nothing Valgrind needs; the flags are the wasm build's.
    # include/: wasmgrind/memcheck.h, which natively is Valgrind's own header.
    command += [f"-{opt}", "-g", "-gdwarf-4", "-Wall", "-Wextra", "-I", INCLUDE_DIR, "-o", exe,
                source]
    result = subprocess.run(command, cwd=HERE, capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr
    return exe, result.stderr


def confirm(source, opt, scratch, xml_dir):
    """(ok, line) for one program at one -O level."""
    name = os.path.basename(source)
    header = Header(source)
    out_dir = tempfile.mkdtemp(dir=scratch)
    exe, compile_errors = build(source, opt, out_dir)
    if exe is None:
        return False, f"{name} -{opt}: FAILED: does not compile natively:\n{compile_errors}"
    xml_path = os.path.join(out_dir, "valgrind.xml")
    command = ["valgrind", "-q", f"--xml-file={xml_path}", *BASE_VALGRIND_ARGS,
               *header.valgrind_args, exe]
    result = subprocess.run(command, cwd=out_dir, capture_output=True, timeout=300)
    if xml_dir:
        shutil.copy(xml_path, os.path.join(xml_dir, f"{os.path.splitext(name)[0]}-{opt}.xml"))
    try:
        errors = read_errors(xml_path, name)
    except ET.ParseError as e:
        return False, f"{name} -{opt}: FAILED: unreadable XML ({e}); exit status {result.returncode}"
    expectations = header.native()
    problems = compare(expectations, errors)
    status = f"exit {result.returncode}" if result.returncode >= 0 else f"signal {-result.returncode}"
    # Where native and wasm32 agree, the program ends natively as RUN says it does in wasm.
    m = re.fullmatch(r"exit=(\d+)", header.run)
    if header.expect_native is None and m and result.returncode != int(m.group(1)):
        problems.append(f"ended with {status}, RUN says {header.run}")
    if problems:
        return False, f"{name} -{opt}: FAILED ({status}): " + "; ".join(problems)
    described = ", ".join(str(e) for e in expectations) if expectations else "no errors"
    note = f" [native differs: {header.differs}]" if header.expect_native is not None else ""
    return True, f"{name} -{opt}: confirmed ({status}): {described}{note}"


def corpus_sources():
    return sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                  if f.endswith(".c") or f.endswith(".cpp"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--summary", help="also write the result lines to this file")
    parser.add_argument("--xml-dir", help="keep Valgrind's XML output here")
    parser.add_argument("--check-headers", action="store_true",
                        help="only check that every header parses, then exit")
    parser.add_argument("programs", nargs="*", help="corpus programs (default: all)")
    args = parser.parse_args()
    if args.check_headers:
        sources = [os.path.abspath(p) for p in args.programs] or corpus_sources()
        try:
            for source in sources:
                Header(source)
        except (HeaderError, OSError) as e:
            print(f"confirm_native.py: error: {e}", file=sys.stderr)
            return 2
        print(f"{len(sources)} headers ok")
        return 0
    for tool in ("clang", "clang++", "valgrind"):
        if shutil.which(tool) is None:
            print(f"confirm_native.py: error: {tool} is not installed", file=sys.stderr)
            return 2
    sources = [os.path.abspath(p) for p in args.programs] or corpus_sources()
    try:
        for source in sources:
            Header(source)
    except (HeaderError, OSError) as e:
        print(f"confirm_native.py: error: {e}", file=sys.stderr)
        return 2
    if args.xml_dir:
        os.makedirs(args.xml_dir, exist_ok=True)
    jobs = [(s, opt) for s in sources for opt in OPT_LEVELS]
    with tempfile.TemporaryDirectory(prefix="memcheck-native-") as scratch:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda job: confirm(job[0], job[1], scratch, args.xml_dir), jobs))
    lines = [line for _, line in results]
    failed = sum(1 for ok, _ in results if not ok)
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    clang = subprocess.run(["clang", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    lines.append(f"{len(results) - failed} of {len(results)} builds confirmed "
                 f"({len(sources)} programs at -O0 and -O2; {version}; {clang})")
    for line in lines:
        print(line)
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
