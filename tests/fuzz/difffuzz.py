#!/usr/bin/env python3
"""Differential fuzzing of wasmgrind against wabt's wasm-interp and node's V8.

For each seed: wasm_gen.py writes a module (WAT), wat2wasm assembles it, and every export runs
under `wasmgrind run --invoke` (a fresh instance each), `wasm-interp --run-all-exports` and
node_harness.js (one instance, exports in order: the modules reset their state at each export).
wasmgrind must agree with the references wherever the two references agree with each other:
same values (floats bit for bit, NaN by NaN-ness only), or a trap of the same kind. A seed where
the references disagree is reported as such, and fails the run too (list it in --known if it is
a difference between wabt and V8).

    difffuzz.py --wasmgrind PATH --seeds 1-500 [--jobs N] [--out DIR] [--known FILE]

Exit status: 0 when every seed agrees (and, with --known, every listed seed still disagrees),
1 otherwise, 2 for a usage error, 77 (ctest's "skipped") when wat2wasm, wasm-interp or node is
missing. See README.md.
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wasm_gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 60  # seconds per engine run: generated modules finish in well under a second

# Trap messages (by prefix) to trap kinds. V8 merges some kinds, so its entries are sets, and two
# traps agree when their sets intersect.
WASMGRIND_TRAPS = {
    "unreachable": {"unreachable"}, "integer divide by zero": {"div0"}, "integer overflow": {"overflow"},
    "invalid conversion to integer": {"conversion"}, "out of bounds memory access": {"memory"},
    "out of bounds table access": {"table"}, "undefined element": {"undefined-element"},
    "uninitialized element": {"uninitialized-element"}, "indirect call type mismatch": {"signature"},
    "call stack exhausted": {"stack"},
    # The report's detailed first lines (fault_report.cc) for call_indirect and abort().
    "call_indirect: table index": {"undefined-element"}, "the program called abort()": {"unreachable"},
}
INTERP_TRAPS = {
    "unreachable executed": {"unreachable"}, "integer divide by zero": {"div0"},
    "integer overflow": {"overflow"}, "invalid conversion to integer": {"conversion"},
    "out of bounds memory access": {"memory"}, "out of bounds table access": {"table"},
    "undefined table index": {"undefined-element"}, "uninitialized table element": {"uninitialized-element"},
    "indirect call signature mismatch": {"signature"}, "call stack exhausted": {"stack"},
}
NODE_TRAPS = {
    "RuntimeError: unreachable": {"unreachable"}, "RuntimeError: divide by zero": {"div0"},
    "RuntimeError: remainder by zero": {"div0"}, "RuntimeError: divide result unrepresentable": {"overflow"},
    "RuntimeError: float unrepresentable in integer range": {"conversion", "overflow"},
    "RuntimeError: memory access out of bounds": {"memory"},
    "RuntimeError: table index is out of bounds": {"table", "undefined-element"},
    "RuntimeError: null function or function signature mismatch": {"uninitialized-element", "signature"},
    "RuntimeError: element segment out of bounds": {"table"},
    "RuntimeError: data segment out of bounds": {"memory"},
    "RangeError: Maximum call stack size exceeded": {"stack"},
}


def trap_kinds(table, message):
    if table is WASMGRIND_TRAPS and message.startswith("call_indirect: table index") and \
            "holds no function" in message:
        return frozenset({"uninitialized-element"})
    for prefix, kinds in table.items():
        if message.startswith(prefix):
            return frozenset(kinds)
    return frozenset({"unknown: " + message})


# ----- one outcome per export: ("values", [(type, text)...]) | ("trap", kinds, message) | ("error", message)

def float_bits(t, value):
    if math.isnan(value):
        return "nan"
    if t == "f32":
        return "0x%08x" % struct.unpack("<I", struct.pack("<f", value))[0]
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]


def exact_value(t, text):
    """A value printed exactly (wasmgrind, node) in a form compared with ==."""
    if t in ("i32", "i64"):
        return int(text) % (1 << (32 if t == "i32" else 64))
    if "nan" in text:  # wasmgrind prints a payload ("nan:0x1"); node cannot see one
        return "nan"
    return float_bits(t, float(text.replace("inf", "Infinity") if "inf" in text else text))


def values_agree(types, a, b):
    """a, b: lists of printed values; an entry may be ("printf", text) from wasm-interp, which
    prints floats with %f: then the other side's value must print the same way."""
    if len(a) != len(b) or len(a) != len(types):
        return False
    for t, x, y in zip(types, a, b):
        if isinstance(x, tuple) and isinstance(y, tuple):
            if x != y:
                return False
            continue
        if isinstance(x, tuple):
            x, y = y, x
        if isinstance(y, tuple):  # y is wasm-interp's %f text, x is exact
            text = y[1]
            if x == "nan" or "nan" in text:
                if not (x == "nan" and "nan" in text):
                    return False
            elif printf_f(t, x) != text:
                return False
        elif x != y:
            return False
    return True


def printf_f(t, bits):
    raw = int(bits, 16)
    value = struct.unpack("<f", struct.pack("<I", raw))[0] if t == "f32" else struct.unpack("<d", struct.pack("<Q", raw))[0]
    return "%f" % value


def outcomes_agree(types, a, b):
    if a[0] == "error" or b[0] == "error":
        return False
    if a[0] != b[0]:
        return False
    if a[0] == "trap":
        return bool(a[1] & b[1])
    return values_agree(types, a[1], b[1])


def show(v):
    if isinstance(v, tuple):  # wasm-interp's %f
        return v[1]
    if isinstance(v, str) and v.startswith("0x"):  # float bits: also the value
        fmt_ = ("<I", "<f") if len(v) == 10 else ("<Q", "<d")
        return f"{v} ({struct.unpack(fmt_[1], struct.pack(fmt_[0], int(v, 16)))[0]!r})"
    return str(v)


def describe(outcome):
    if outcome[0] == "values":
        return "returned " + ", ".join(show(v) for v in outcome[1])
    if outcome[0] == "trap":
        return f"trap [{outcome[2]}]"
    return f"error [{outcome[1]}]"


# ----- the engines

def run(cmd, timeout=TIMEOUT):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout}s"


def run_wasmgrind(wasmgrind, run_args, wasm, name, types):
    # --verify-jit: a broken JIT invariant aborts (an "error" outcome) even where the values agree.
    rc, out, err = run([*wasmgrind.split(), "run", "--verify-jit", *run_args, "--invoke", name, wasm])
    if rc == 0:
        lines = out.split()
        if len(lines) != len(types):
            return ("error", f"printed {out!r}")
        try:
            return ("values", [exact_value(t, v) for t, v in zip(types, lines)])
        except ValueError:
            return ("error", f"printed {out!r}")
    if rc == 134:
        for line in err.splitlines():
            if line.startswith("wasm trap: "):
                message = line[len("wasm trap: "):]
                return ("trap", trap_kinds(WASMGRIND_TRAPS, message), message)
    first = err.strip().splitlines()[0] if err.strip() else ""
    return ("error", f"exit status {rc}: {first}")


def run_interp(wasm, exports):
    rc, out, err = run(["wasm-interp", "--run-all-exports", wasm])
    results = {}
    for line in out.splitlines():
        name, sep, rest = line.partition("() => ")
        if not sep or name not in exports:
            continue
        if rest.startswith("error: "):
            message = rest[len("error: "):]
            results[name] = ("trap", trap_kinds(INTERP_TRAPS, message), message)
            continue
        values = []
        for t, item in zip(exports[name], rest.split(", ")):
            vt, _, text = item.partition(":")
            values.append(("printf", text) if vt in ("f32", "f64") else exact_value(t, text))
        results[name] = ("values", values)
    for name in exports:
        results.setdefault(name, ("error", f"no result (exit status {rc}: {err.strip()[:200]})"))
    return results


def run_node(wasms):
    """node_harness.js over a batch of modules: {wasm path: {export: outcome}}."""
    rc, out, err = run(["node", "--no-warnings", os.path.join(HERE, "node_harness.js"), *wasms],
                       timeout=TIMEOUT * max(1, len(wasms) // 4))
    results = {}
    for line in out.splitlines():
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            continue
        per_export = {}
        for e in doc.get("exports", []):
            if "trap" in e:
                per_export[e["name"]] = ("trap", trap_kinds(NODE_TRAPS, e["trap"]), e["trap"])
            else:
                per_export[e["name"]] = ("values", e["values"])
        results[doc["file"]] = (doc.get("error"), per_export)
    return results, f"exit status {rc}: {err.strip()[:200]}"


def node_values(types, texts):
    if len(texts) != len(types):
        return ("error", f"node returned {texts}")
    return ("values", [exact_value(t, v) for t, v in zip(types, texts)])


def export_types(wat):
    """{export name: [result types]} from the generator's export lines."""
    exports = {}
    for line in wat.splitlines():
        line = line.strip()
        if line.startswith("(func (export \""):
            name = line.split('"')[1]
            result = line.split("(result ", 1)[1].split(")")[0].split() if "(result " in line else []
            exports[name] = result
    return exports


# ----- a batch of seeds in one worker

def check_batch(args):
    seeds, wasmgrind, run_args, out_dir, mask_wraps, risk = args
    work = tempfile.mkdtemp(prefix="difffuzz-")
    reports = []
    try:
        modules = []
        for seed in seeds:
            wat = wasm_gen.generate(seed, mask_wraps, risk)
            wat_path = os.path.join(work, f"seed-{seed}.wat")
            wasm_path = os.path.join(work, f"seed-{seed}.wasm")
            with open(wat_path, "w") as f:
                f.write(wat)
            rc, _, err = run(["wat2wasm", wat_path, "-o", wasm_path])
            if rc != 0:
                reports.append({"seed": seed, "status": "generator", "detail": f"wat2wasm: {err.strip()[:500]}"})
                keep(out_dir, wat_path)
                continue
            modules.append((seed, wat, wat_path, wasm_path))
        node_results, node_status = run_node([m[3] for m in modules]) if modules else ({}, "")
        for seed, wat, wat_path, wasm_path in modules:
            reports.append(check_module(seed, wat, wat_path, wasm_path, wasmgrind, run_args, node_results,
                                        node_status, out_dir))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return reports


def check_module(seed, wat, wat_path, wasm_path, wasmgrind, run_args, node_results, node_status, out_dir):
    exports = export_types(wat)
    interp = run_interp(wasm_path, exports)
    node_error, node = node_results.get(wasm_path, (f"no output from node ({node_status})", {}))
    report = {"seed": seed, "exports": len(exports), "status": "agree", "mismatches": [], "traps": 0,
              "reference_disagreements": []}
    for name, types in exports.items():
        grind = run_wasmgrind(wasmgrind, run_args, wasm_path, name, types)
        ref_node = ("error", node_error) if node_error else node.get(name, ("error", "no result from node"))
        if ref_node[0] == "values":
            ref_node = node_values(types, ref_node[1])
        if grind[0] == "trap":
            report["traps"] += 1
        refs_agree = outcomes_agree(types, interp[name], ref_node)
        if not refs_agree:
            report["reference_disagreements"].append(
                {"export": name, "wasm-interp": describe(interp[name]), "node": describe(ref_node),
                 "wasmgrind": describe(grind)})
            continue
        if not outcomes_agree(types, grind, interp[name]):
            kind = classify(grind, interp[name])
            report["mismatches"].append({"export": name, "kind": kind, "wasmgrind": describe(grind),
                                         "wasm-interp": describe(interp[name]), "node": describe(ref_node)})
    if report["mismatches"]:
        report["status"] = "disagree"
    elif report["reference_disagreements"]:
        report["status"] = "references-disagree"
    if report["status"] != "agree":
        report["kept"] = keep(out_dir, wat_path)
    return report


def classify(grind, ref):
    if grind[0] == "error":
        return "wasmgrind-error"
    if grind[0] == "trap" and ref[0] == "values":
        return "wasmgrind-traps"
    if grind[0] == "values" and ref[0] == "trap":
        return "wasmgrind-misses-trap"
    if grind[0] == "trap":
        return "trap-kind"
    return "values"


def keep(out_dir, path):
    if not out_dir:
        return path
    os.makedirs(out_dir, exist_ok=True)
    dest = os.path.join(out_dir, os.path.basename(path))
    shutil.copy(path, dest)
    return dest


# ----- the command line

def parse_seeds(spec):
    seeds = []
    for part in spec.split(","):
        lo, sep, hi = part.partition("-")
        seeds += list(range(int(lo), int(hi) + 1)) if sep else [int(lo)]
    return seeds


def read_known(path):
    known = {}
    with open(path) as f:
        for line in f:
            text = line.split("#", 1)
            if text[0].strip():
                known[int(text[0].strip())] = text[1].strip() if len(text) > 1 else ""
    return known


def main():
    ap = argparse.ArgumentParser(description="Differential fuzzing of wasmgrind against wasm-interp and node.")
    ap.add_argument("--wasmgrind", required=True,
                    help="path of the wasmgrind binary (or a wrapper command and its arguments, split at spaces)")
    ap.add_argument("--seeds", required=True, help="seeds: 1-500, or 7,9,100-120")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--batch", type=int, default=10, help="seeds per node process (default 10)")
    ap.add_argument("--out", default="difffuzz-out",
                    help="directory that keeps the .wat of each disagreeing seed (default ./difffuzz-out)")
    ap.add_argument("--known", help="file of seeds known to disagree (checked both ways)")
    ap.add_argument("--json", help="also write every seed's report to this file (JSON lines)")
    ap.add_argument("--mask-wraps", action="store_true",
                    help="generate with wasm_gen.py --mask-wraps (hides the i32.wrap_i64 bug class)")
    ap.add_argument("--risk", type=float,
                    help="generate with wasm_gen.py --risk (chance of each trapping form; default per seed)")
    ap.add_argument("--run-args", default="",
                    help="more options for `wasmgrind run`, split at spaces (e.g. --memcheck: the "
                         "checker's code must not change what the program computes)")
    ap.add_argument("--quiet", action="store_true", help="print only disagreements and the summary")
    args = ap.parse_args()
    try:
        seeds = parse_seeds(args.seeds)
    except ValueError:
        print(f"difffuzz: bad --seeds {args.seeds!r}", file=sys.stderr)
        return 2
    for tool in ("wat2wasm", "wasm-interp", "node"):
        if not shutil.which(tool):
            print(f"difffuzz: {tool} is not installed (Debian packages wabt, nodejs)")
            return 77
    if not os.access(args.wasmgrind.split()[0], os.X_OK):
        print(f"difffuzz: {args.wasmgrind} is not an executable", file=sys.stderr)
        return 2
    known = read_known(args.known) if args.known else {}

    batches = [seeds[i:i + args.batch] for i in range(0, len(seeds), args.batch)]
    totals = {"modules": 0, "exports": 0, "traps": 0, "agree": 0, "disagree": 0, "references-disagree": 0,
              "generator": 0}
    failing = set()
    json_out = open(args.json, "a") if args.json else None
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for reports in pool.map(check_batch, [(b, args.wasmgrind, args.run_args.split(), args.out, args.mask_wraps, args.risk)
                                            for b in batches]):
            for rep in reports:
                totals["modules"] += 1
                totals[rep["status"]] += 1
                totals["exports"] += rep.get("exports", 0)
                totals["traps"] += rep.get("traps", 0)
                if json_out:
                    json_out.write(json.dumps(rep) + "\n")
                print_report(rep, known, args.quiet)
                # References that disagree fail too: a broken reference (node's harness, a wabt
                # upgrade) must not turn every comparison into a silent pass.
                if rep["status"] != "agree":
                    failing.add(rep["seed"])
    if json_out:
        json_out.close()
    unexpected = sorted(failing - set(known))
    fixed = sorted(s for s in known if s in seeds and s not in failing)
    print(f"difffuzz: {totals['modules']} modules, {totals['exports']} exports ({totals['traps']} trapped "
          f"in wasmgrind): {totals['agree']} agree, {totals['disagree']} disagree "
          f"({len(failing & set(known))} known), {totals['references-disagree']} where wasm-interp and node "
          f"disagree, {totals['generator']} generator failures")
    for s in fixed:
        print(f"difffuzz: seed {s} is listed in {args.known} but now agrees: remove it from the list")
    if unexpected:
        print(f"difffuzz: new disagreements at seeds {' '.join(map(str, unexpected))}")
    return 1 if unexpected or fixed else 0


def print_report(rep, known, quiet):
    seed = rep["seed"]
    if rep["status"] == "generator":
        print(f"seed {seed}: GENERATOR produced an invalid module: {rep['detail']}")
        return
    if rep["status"] == "agree":
        if not quiet:
            print(f"seed {seed}: {rep['exports']} exports agree")
        return
    tag = " (known)" if seed in known else ""
    for m in rep["mismatches"]:
        print(f"seed {seed}{tag}: DISAGREE on {m['export']} ({m['kind']}): wasmgrind {m['wasmgrind']}; "
              f"wasm-interp {m['wasm-interp']}; node {m['node']}  [{rep['kept']}]")
    for m in rep["reference_disagreements"]:
        print(f"seed {seed}: references disagree on {m['export']}: wasm-interp {m['wasm-interp']}; "
              f"node {m['node']}; wasmgrind {m['wasmgrind']}  [{rep['kept']}]")


if __name__ == "__main__":
    sys.exit(main())
