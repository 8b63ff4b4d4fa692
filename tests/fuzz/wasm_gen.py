#!/usr/bin/env python3
"""Seeded generator of random, valid, terminating wasm modules (WAT text) for differential fuzzing.

`python3 wasm_gen.py SEED` prints the module for SEED; the same seed gives the same text with the
same Python 3 (random.Random is stable across 3.x). See README.md for the shape of the modules.

Every module is built so that all engines must compute the same thing:
- Exports take no parameters and return (T, i64): T is the value of one internal function's
  computation, the i64 a hash of the memory and globals afterwards. Each export first calls
  $reset, which restores every global, the memory contents and the tables, so that running the
  exports in order in one instance (wasm-interp, node) is the same as running each in a fresh
  instance (wasmgrind run --invoke). Only the last export may grow memory or tables and drop
  segments (the $last flag), because those cannot be undone.
- Termination: direct calls go only to lower-numbered functions; call_indirect may recurse, so
  every internal function counts its depth and fuel in globals and traps (unreachable) past a
  fixed limit, deterministically in every engine. Loops have counters with small bounds.
- Floats: NaN bits are not deterministic across engines, so every float that leaves as bits
  (stores, reinterpretation, copysign's sign, results, hash) goes through $canon_f32/$canon_f64.
The function bodies come from func_gen.py, the shared vocabulary from wasm_vocab.py.
"""
import argparse
import random
import struct
import sys

from func_gen import FuncGen
from wasm_vocab import (ADDR_HIGHS, FUEL, INT_EDGES32, INT_EDGES64, MAX_DEPTH, PAGE, TABLE0_SIZE,
                        TABLE1_SIZE, TYPES, Func, as_signed64, is_float, wat_bytes)


class ModuleGen:
    """The module around the functions: types, memory, tables, globals, segments, the helper
    functions ($reset, $hash, $enter/$leave, $canon_*, $addr_*) and the exports."""

    def __init__(self, seed, mask_wraps=False, risk=None):
        self.rng = random.Random(seed)
        self.seed = seed
        self.mask_wraps = mask_wraps
        r = self.rng
        # Probability that a construct which can trap is generated in its trapping form: per
        # module, so that some modules run long stretches without traps and others trap often.
        self.risk = r.choice([0.0, 0.003, 0.01, 0.01, 0.03])
        if risk is not None:
            self.risk = risk
        self.mem_pages = r.choice([1, 1, 1, 2])
        self.mem_max = self.mem_pages + r.choice([0, 1, 2])
        self.globals = [(f"$g{i}", r.choice(TYPES)) for i in range(r.randint(1, 5))]
        self.global_inits = {name: self.const(t) for name, t in self.globals}
        self.data = [bytes(r.randrange(256) for _ in range(r.randint(1, 48))) for _ in range(r.randint(1, 3))]
        self.data_offset = r.choice([0, 8, 100, 1000, PAGE - 64])
        self.funcs = []
        for i in range(r.randint(3, 9)):
            params = [r.choice(TYPES) for _ in range(r.choice([0, 1, 2, 2, 3, 4, 6]))]
            result = r.choice(TYPES + (None,))
            self.funcs.append(Func(i, params, result))
        self.sigs = []
        for f in self.funcs:
            if f.sig() not in self.sigs:
                self.sigs.append(f.sig())
        # A signature no function has: call_indirect through it always mismatches.
        self.sigs.append(((), "i64") if ((), "i64") not in self.sigs else (("f64", "f64", "f64"), "f32"))
        self.table0_init = [r.choice([None] + self.funcs) for _ in range(TABLE0_SIZE)]
        self.elem_passive = [r.choice(self.funcs) for _ in range(r.randint(1, 6))]

    def risky(self):
        return self.rng.random() < self.risk

    # ----- constants

    def const(self, t):
        r = self.rng
        if t == "i32":
            v = r.choice(INT_EDGES32) if r.random() < 0.5 else r.randrange(1 << r.choice([4, 8, 16, 32]))
            if r.random() < 0.2:
                v = (-v) & 0xFFFFFFFF
            return f"(i32.const {v - (1 << 32) if v >= 1 << 31 else v})"
        if t == "i64":
            v = r.choice(INT_EDGES64) if r.random() < 0.5 else r.randrange(1 << r.choice([4, 16, 32, 48, 64]))
            if r.random() < 0.2:
                v = (-v) & 0xFFFFFFFFFFFFFFFF
            return f"(i64.const {v - (1 << 64) if v >= 1 << 63 else v})"
        choice = r.random()
        if choice < 0.05:
            return f"({t}.const {r.choice(['nan', '-nan', 'inf', '-inf', 'nan:0x1', '-0x0p+0'])})"
        if choice < 0.4:
            v = r.choice([0.0, 1.0, -1.0, 0.5, 2.0, 1e10, -1e10, 4294967296.0, 2147483648.0, -2147483649.0,
                          9.2233720368547758e18, 1.5, -0.5, 3.14159, 65535.0, 1e-40, 1e300])
        elif t == "f32":
            bits = r.randrange(1 << 32)
            v = struct.unpack("<f", struct.pack("<I", bits))[0]
            if v != v:
                v = 1.25
        else:
            bits = r.randrange(1 << 64)
            v = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if v != v:
                v = -1.25
        if t == "f32":
            v = struct.unpack("<f", struct.pack("<f", v))[0] if abs(v) < 3.4e38 else float("inf")
        if v in (float("inf"), float("-inf")):
            return f"({t}.const {'inf' if v > 0 else '-inf'})"
        return f"({t}.const {v.hex()})"

    # ----- the module

    def sig_name(self, sig):
        return f"$s{self.sigs.index(sig)}"

    def generate(self):
        r = self.rng
        out = ["(module"]
        for i, (params, result) in enumerate(self.sigs):
            p = f" (param {' '.join(params)})" if params else ""
            res = f" (result {result})" if result else ""
            out.append(f"  (type $s{i} (func{p}{res}))")
        out.append(f"  (memory $m {self.mem_pages} {self.mem_max})")
        out.append(f"  (table $t0 {TABLE0_SIZE} {TABLE0_SIZE + 8} funcref)")
        out.append(f"  (table $t1 {TABLE1_SIZE} {TABLE1_SIZE + 8} funcref)")
        for name, t in self.globals:
            out.append(f"  (global {name} (mut {t}) {self.global_inits[name]})")
        out.append(f"  (global $gc i64 {self.const('i64')})")
        out.append("  (global $depth (mut i32) (i32.const 0))")
        out.append(f"  (global $fuel (mut i32) (i32.const {FUEL}))")
        out.append("  (global $last (mut i32) (i32.const 0))")
        # Data: the active segment is what $reset re-copies from $dinit; $d0.. are for the code.
        out.append(f"  (data $dactive (i32.const {self.data_offset}) \"{wat_bytes(self.data[0])}\")")
        out.append(f"  (data $dinit \"{wat_bytes(self.data[0])}\")")
        for i, d in enumerate(self.data):
            out.append(f"  (data $d{i} \"{wat_bytes(d)}\")")
        for i, f in enumerate(self.table0_init):
            if f:
                out.append(f"  (elem $e0_{i} (table $t0) (i32.const {i}) func {f.name})")
        t0 = " ".join(f"(ref.func {f.name})" if f else "(ref.null func)" for f in self.table0_init)
        out.append(f"  (elem $einit funcref {t0})")
        out.append(f"  (elem $ep func {' '.join(f.name for f in self.elem_passive)})")
        out.append(f"  (elem declare func {' '.join(f.name for f in self.funcs)})")
        out += self.helpers()
        for f in self.funcs:
            out.append(FuncGen(self, f).generate())
        exports = self.exports()
        out += exports
        out.append(")")
        return "\n".join(out) + "\n"

    def helpers(self):
        globals_hash = []
        for name, t in self.globals:
            if t == "i32":
                v = f"(i64.extend_i32_u (global.get {name}))"
            elif t == "i64":
                v = f"(global.get {name})"
            elif t == "f32":
                v = f"(i64.extend_i32_u (i32.reinterpret_f32 (call $canon_f32 (global.get {name}))))"
            else:
                v = f"(i64.reinterpret_f64 (call $canon_f64 (global.get {name})))"
            globals_hash.append(f"    (local.set $h (i64.mul (i64.xor (local.get $h) {v}) (i64.const 1099511628211)))")
        resets = [f"    (global.set {name} {self.global_inits[name]})" for name, _ in self.globals]

        def wrap(i64):
            return f"(i32.and (i32.wrap_i64 {i64}) (i32.const -1))" if self.mask_wraps else f"(i32.wrap_i64 {i64})"
        return [
            "  (func $canon_f32 (param f32) (result f32)",
            "    (select (f32.const nan) (local.get 0) (f32.ne (local.get 0) (local.get 0))))",
            "  (func $canon_f64 (param f64) (result f64)",
            "    (select (f64.const nan) (local.get 0) (f64.ne (local.get 0) (local.get 0))))",
            # Address producers: i32 results made by wraps of i64s with garbage above bit 31.
            f"  (func $addr_add (param i64) (result i32) {wrap('(i64.add (local.get 0) (i64.const 4))')})",
            f"  (func $addr_local (param i64) (result i32) {wrap('(local.get 0)')})",
            "  (func $addr_select (param i64) (result i32)",
            f"    (select {wrap('(local.get 0)')} {wrap('(i64.shr_u (local.get 0) (i64.const 0))')}",
            f"            {wrap('(i64.shr_u (local.get 0) (i64.const 40))')}))",
            "  (func $addr_block (param i64) (result i32)",
            f"    (block (result i32) {wrap('(i64.xor (local.get 0) (i64.const 0x5500000000000000))')}))",
            "  (func $enter",
            "    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))",
            f"    (if (i32.gt_u (global.get $depth) (i32.const {MAX_DEPTH})) (then unreachable))",
            "    (global.set $fuel (i32.sub (global.get $fuel) (i32.const 1)))",
            "    (if (i32.lt_s (global.get $fuel) (i32.const 0)) (then unreachable)))",
            "  (func $leave (global.set $depth (i32.sub (global.get $depth) (i32.const 1))))",
            "  (func $reset",
            *resets,
            "    (global.set $depth (i32.const 0))",
            f"    (global.set $fuel (i32.const {FUEL}))",
            "    (global.set $last (i32.const 0))",
            "    (memory.fill (i32.const 0) (i32.const 0) (i32.mul (memory.size) (i32.const 65536)))",
            f"    (memory.init $dinit (i32.const {self.data_offset}) (i32.const 0) (i32.const {len(self.data[0])}))",
            "    (table.fill $t0 (i32.const 0) (ref.null func) (table.size $t0))",
            f"    (table.init $t0 $einit (i32.const 0) (i32.const 0) (i32.const {TABLE0_SIZE}))",
            "    (table.fill $t1 (i32.const 0) (ref.null func) (table.size $t1)))",
            "  (func $hash (result i64) (local $i i32) (local $n i32) (local $h i64)",
            "    (local.set $h (i64.const -3750763034362895579))",
            "    (local.set $n (i32.mul (memory.size) (i32.const 65536)))",
            "    (block $done (loop $next",
            "      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))",
            "      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 1099511628211)))",
            "      (local.set $i (i32.add (local.get $i) (i32.const 8)))",
            "      (br $next)))",
            *globals_hash,
            "    (local.set $h (i64.xor (local.get $h) (i64.extend_i32_u (table.size $t0))))",
            "    (i64.xor (local.get $h) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 56))))",
        ]

    def exports(self):
        r = self.rng
        out = []
        n = r.randint(3, 8)
        for i in range(n):
            f = r.choice(self.funcs)
            last = i == n - 1
            args = " ".join(self.export_arg(t) for t in f.params)
            call = f"(call {f.name} {args})"
            rt = f.result or "i32"
            if f.result is None:
                value = "(i32.const 0)"
                body = [call]
            else:
                value = call
                body = []
            if is_float(rt):
                value = f"(call $canon_{rt} {value})"
            out.append(f"  (func (export \"e{i}\") (result {rt} i64)")
            out.append("    (call $reset)")
            if last:
                out.append("    (global.set $last (i32.const 1))")
                if r.random() < 0.5:
                    # Code compiled before the grow runs on the grown memory.
                    out.append("    (drop (memory.grow (i32.const 1)))")
            out += [f"    {b}" for b in body]
            out.append(f"    {value}")
            out.append("    (call $hash))")
        if r.random() < 0.1:
            # Unbounded recursion: every engine must report call stack exhaustion.
            out.append("  (func $forever (param i64) (result i64)")
            out.append("    (i64.add (call $forever (i64.add (local.get 0) (i64.const 1))) (local.get 0)))")
            out.append("  (func (export \"stack\") (result i64) (call $forever (i64.const 1)))")
        return out

    def export_arg(self, t):
        r = self.rng
        if t == "i64" and r.random() < 0.5:
            # An address with garbage above bit 31: the i32.wrap_i64 class of bug.
            return f"(i64.const {as_signed64((r.choice(ADDR_HIGHS) << 32) | r.randrange(0, PAGE, 4))})"
        return self.const(t)


def generate(seed, mask_wraps=False, risk=None):
    """mask_wraps: follow every i32.wrap_i64 of a computed i64 by an i32.and, which zero-extends
    and so hides the wrapped-i32 bug class (fixed in 15cd090), for long runs that look for others.
    risk: the chance of each trapping form, instead of the seed's own (0 to 0.03)."""
    return ModuleGen(seed, mask_wraps, risk).generate()


def main():
    ap = argparse.ArgumentParser(description="Print the random wasm module (WAT) for SEED.")
    ap.add_argument("seed", type=int)
    ap.add_argument("--mask-wraps", action="store_true", help="mask every wrap of a computed i64 (i32.and)")
    ap.add_argument("--risk", type=float, help="chance of each trapping form (default: drawn per seed)")
    args = ap.parse_args()
    sys.stdout.write(generate(args.seed, args.mask_wraps, args.risk))


if __name__ == "__main__":
    main()
