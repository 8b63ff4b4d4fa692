"""FuncGen: one internal function's body for wasm_gen.py: statements and typed expressions, with
the address shapes (wrapped i64s with garbage upper halves) and the risk of trapping forms that
the module sets. See README.md."""
from wasm_vocab import (ADDR_HIGHS, FLOAT_BINOPS, FLOAT_CMPS, FLOAT_UNOPS, INT_BINOPS, INT_CMPS, INT_DIVOPS,
                        LOAD_OPS, PAGE, SAFE_SPAN, STORE_OPS, TABLE0_SIZE, TABLE1_SIZE, TYPES, as_signed64,
                        is_float)


class FuncGen:
    """Generates one internal function's body: statements and typed expressions."""

    def __init__(self, mod, func):
        self.mod, self.func, self.rng = mod, func, mod.rng
        r = self.rng
        self.locals = {t: [] for t in TYPES}
        self.decls = []
        for i, t in enumerate(func.params):
            self.locals[t].append(f"$p{i}")
        for t in TYPES:
            for _ in range(r.randint(0, 4 if r.random() < 0.8 else 14)):
                self.new_local(t)
        # i64 locals holding an address with garbage in the upper half.
        self.addr_locals = [self.new_local("i64", track=False) for _ in range(r.randint(1, 3))]
        # i32 locals that only ever hold in-bounds addresses made by wraps: live across calls
        # and pressure, so spills and reloads of wrapped values get used as addresses.
        self.addr32_locals = [self.new_local("i32", track=False) for _ in range(r.randint(0, 2))]
        self.counters = 0
        self.labels = 0
        self.budget = r.randint(20, 140)  # statements and expressions left, keeps bodies bounded

    def new_local(self, t, track=True):
        name = f"$l{len(self.decls)}"
        self.decls.append((name, t))
        if track:
            self.locals[t].append(name)
        return name

    def label(self, prefix):
        self.labels += 1
        return f"${prefix}{self.labels}"

    def generate(self):
        f, r = self.func, self.rng
        params = " ".join(f"(param $p{i} {t})" for i, t in enumerate(f.params))
        result = f" (result {f.result})" if f.result else ""
        body = ["(call $enter)"]
        for a in self.addr_locals:
            high = r.choice(ADDR_HIGHS) << 32
            if r.random() < 0.5:
                body.append(f"(local.set {a} (i64.const {as_signed64(high | r.randrange(0, SAFE_SPAN, 4))}))")
            else:
                low = f"(i64.extend_i32_u (i32.and {self.expr('i32', 2)} (i32.const {SAFE_SPAN - 16})))"
                body.append(f"(local.set {a} (i64.or (i64.const {as_signed64(high)}) {low}))")
        for a in self.addr32_locals:
            body.append(f"(local.set {a} {self.wrapped_low(SAFE_SPAN - 8, 2, bounded=True)})")
        inner = [self.stmt(3) for _ in range(r.randint(1, 8))]
        if f.result:
            inner.append(self.expr(f.result, 5))
            ret = self.new_local(f.result, track=False)
            body.append(f"(local.set {ret} (block $fb (result {f.result})\n      " + "\n      ".join(inner) + "))")
            body.append("(call $leave)")
            body.append(f"(local.get {ret})")
        else:
            body.append("(block $fb\n      " + "\n      ".join(inner) + ")")
            body.append("(call $leave)")
        locals_ = " ".join(f"(local {n} {t})" for n, t in self.decls)
        sig = self.mod.sig_name(f.sig())
        return (f"  (func {f.name} (type {sig}) {params}{result} {locals_}\n    " + "\n    ".join(body) + ")")

    # ----- statements

    def stmt(self, d):
        r = self.rng
        self.budget -= 1
        if d <= 0 or self.budget <= 0:
            return self.simple_stmt(1)
        k = r.random()
        if k < 0.40:
            return self.simple_stmt(d)
        if k < 0.50:
            return f"(if {self.cond(d)} (then {self.stmts(d)}) (else {self.stmts(d)}))"
        if k < 0.58:
            lab = self.label("b")
            return f"(block {lab} {self.stmts(d)} (br_if {lab} {self.cond(d)}) {self.stmts(d)})"
        if k < 0.68:
            return self.loop(d)
        if k < 0.73:
            labs = [self.label("bt") for _ in range(r.randint(1, 4))]
            # br_table indexes a jump table with the whole register: wraps reach it too.
            idx = self.wrap_expr(d) if r.random() < 0.4 else self.expr("i32", d - 1)
            targets = " ".join(r.choice(labs) for _ in range(r.randint(0, 4)))
            s = f"(br_table {targets} {labs[0]} {idx})"
            for lab in labs:
                s = f"(block {lab} {s} {self.stmts(d - 1)})"
            return s
        if k < 0.78 and self.func.result:
            return f"(drop (br_if $fb {self.expr(self.func.result, d - 1)} {self.cond(d - 1)}))"
        if k < 0.88:
            return self.bulk_stmt(d)
        return self.table_stmt(d)

    def stmts(self, d):
        return " ".join(self.stmt(d - 1) for _ in range(self.rng.randint(1, 3)))

    def loop(self, d):
        r = self.rng
        c = self.new_local("i32", track=False)
        lab = self.label("L")
        bound = r.randint(1, 8)
        body = self.stmts(d)
        step = f"(br_if {lab} (i32.lt_u (local.tee {c} (i32.add (local.get {c}) (i32.const 1))) (i32.const {bound})))"
        return f"(local.set {c} (i32.const 0)) (loop {lab} {body} {step})"

    def simple_stmt(self, d):
        r = self.rng
        k = r.random()
        t = r.choice(TYPES)
        if k < 0.35 and self.locals[t]:
            return f"(local.set {r.choice(self.locals[t])} {self.expr(t, d)})"
        if k < 0.38 and self.addr32_locals:
            return f"(local.set {r.choice(self.addr32_locals)} {self.wrapped_low(SAFE_SPAN - 8, d, bounded=True)})"
        if k < 0.45:
            name, gt = r.choice(self.mod.globals)
            return f"(global.set {name} {self.expr(gt, d)})"
        if k < 0.75:
            op, width = r.choice(STORE_OPS[t])
            value = self.expr(t, d)
            if is_float(t):
                value = f"(call $canon_{t} {value})"
            return f"({op}{self.memarg(width)} {self.addr(width, d)} {value})"
        if k < 0.85:
            return self.call_stmt(d)
        return f"(drop {self.expr(t, d)})"

    def call_stmt(self, d):
        callees = [f for f in self.mod.funcs if f.index < self.func.index]
        if not callees or self.rng.random() < 0.4:
            return self.call_indirect(None, d)
        f = self.rng.choice(callees)
        call = f"(call {f.name} {self.args(f.params, d)})"
        return f"(drop {call})" if f.result else call

    def bulk_stmt(self, d):
        r, risky = self.rng, self.mod.risky
        k = r.random()
        n = r.choice([0, 1, 4, 8, 16, 33, 64, 200]) if not risky() else r.randrange(1 << 17)
        length = f"(i32.const {n})" if r.random() < 0.7 or n > 200 else \
            f"(i32.and {self.expr('i32', d - 1)} (i32.const 127))"
        if k < 0.35:
            return f"(memory.fill {self.addr(n, d)} {self.expr('i32', d - 1)} {length})"
        if k < 0.7:
            return f"(memory.copy {self.addr(n, d)} {self.addr(n, d)} {length})"
        seg = r.randrange(len(self.mod.data))
        seg_len = len(self.mod.data[seg])
        if k < 0.95:
            src = r.randint(0, seg_len)
            count = r.randint(0, seg_len - src) if not risky() else r.randint(0, seg_len + 4)
            return f"(memory.init $d{seg} {self.addr(count, d)} (i32.const {src}) (i32.const {count}))"
        return f"(if (global.get $last) (then (data.drop $d{seg})))"

    def table_index(self, size, d, count=1):
        """An index such that index + count <= size, except when the module's risk says not."""
        r = self.rng
        if self.mod.risky():
            return r.choice([f"(i32.const {r.randrange(size + 2)})", self.expr("i32", d - 1)])
        top = size - count
        k = r.random()
        if k < 0.4:
            return f"(i32.const {r.randint(0, top)})"
        mask = (1 << (top + 1).bit_length() - 1) - 1  # largest 2^k - 1 <= top
        if k < 0.7:
            return f"(i32.and {self.expr('i32', d - 1)} (i32.const {mask}))"
        return self.wrapped_low(mask, d, bounded=True)

    def table_stmt(self, d):
        r = self.rng
        # call_indirect's table changes only in risky modules, so that most of its calls work.
        t = "$t0" if self.mod.risky() else "$t1"
        size = TABLE0_SIZE if t == "$t0" else TABLE1_SIZE
        k = r.random()
        ref = r.choice([f"(ref.func {r.choice(self.mod.funcs).name})", "(ref.null func)",
                        f"(table.get $t0 {self.table_index(TABLE0_SIZE, d)})"])
        n = r.randint(0, 4)
        if k < 0.3:
            return f"(table.set {t} {self.table_index(size, d)} {ref})"
        if k < 0.45:
            return f"(table.fill {t} {self.table_index(size, d, n)} {ref} (i32.const {n}))"
        if k < 0.6:
            return (f"(table.copy {t} $t1 {self.table_index(size, d, n)} {self.table_index(TABLE1_SIZE, d, n)} "
                    f"(i32.const {n}))")
        if k < 0.8:
            ep = len(self.mod.elem_passive)
            src = r.randint(0, ep)
            n = r.randint(0, ep - src) if not self.mod.risky() else r.randint(0, ep + 2)
            return f"(table.init {t} $ep {self.table_index(size, d, n)} (i32.const {src}) (i32.const {n}))"
        if k < 0.85:
            return "(if (global.get $last) (then (elem.drop $ep)))"
        if k < 0.9 and self.mod.risky():
            return f"(if {self.cond(d)} (then unreachable))"
        return self.call_indirect(None, d)

    # ----- expressions

    def args(self, params, d):
        return " ".join(self.expr(t, d - 1) for t in params)

    def cond(self, d):
        return self.expr("i32", d - 1)

    def expr(self, t, d):
        self.budget -= 1
        if d <= 0 or self.budget <= 0 or self.rng.random() < 0.15:
            return self.leaf(t)
        return getattr(self, f"expr_{t}")(d)

    def leaf(self, t):
        r = self.rng
        k = r.random()
        if k < 0.5 and self.locals[t]:
            return f"(local.get {r.choice(self.locals[t])})"
        if k < 0.6:
            gs = [name for name, gt in self.mod.globals if gt == t] + (["$gc"] if t == "i64" else [])
            if gs:
                return f"(global.get {r.choice(gs)})"
        if k < 0.7 and t == "i64":
            return f"(local.get {r.choice(self.addr_locals)})"
        return self.mod.const(t)

    def common(self, t, d):
        """Constructs every type has; None when the dice say to use a type-specific one."""
        r = self.rng
        k = r.random()
        if k < 0.05:
            return f"(select {self.expr(t, d - 1)} {self.expr(t, d - 1)} {self.cond(d)})"
        if k < 0.08:
            return f"(select (result {t}) {self.expr(t, d - 1)} {self.expr(t, d - 1)} {self.cond(d)})"
        if k < 0.12:
            lab = self.label("B")
            return (f"(block {lab} (result {t}) {self.stmts(d - 1)} "
                    f"(drop (br_if {lab} {self.expr(t, d - 1)} {self.cond(d)})) {self.expr(t, d - 1)})")
        if k < 0.15:
            return f"(if (result {t}) {self.cond(d)} (then {self.expr(t, d - 1)}) (else {self.stmts(d - 1)} {self.expr(t, d - 1)}))"
        if k < 0.18 and self.locals[t]:
            return f"(local.tee {r.choice(self.locals[t])} {self.expr(t, d - 1)})"
        if k < 0.23:
            op, width = r.choice(LOAD_OPS[t])
            return f"({op}{self.memarg(width)} {self.addr(width, d)})"
        if k < 0.25:
            # Valued constructs whose end no path reaches: the value leaves by a branch (a
            # loop left by br_if, an if/else whose arms both branch out). The compiler drops
            # their values at the dead end; the V-bit walk must agree (csmith found it did not).
            outer = self.label("D")
            if r.random() < 0.5:
                c = self.new_local("i32", track=False)
                lab = self.label("DL")
                done = (f"(i32.ge_u (local.tee {c} (i32.add (local.get {c}) (i32.const 1))) "
                        f"(i32.const {r.randint(1, 4)}))")
                return (f"(block {outer} (result {t}) (local.set {c} (i32.const 0)) "
                        f"(loop {lab} (result {t}) (br_if {outer} {self.expr(t, d - 1)} {done}) "
                        f"(br {lab})))")
            return (f"(block {outer} (result {t}) (if (result {t}) {self.cond(d)} "
                    f"(then (br {outer} {self.expr(t, d - 1)})) "
                    f"(else (br {outer} {self.expr(t, d - 1)}))))")
        if k < 0.27:
            callees = [f for f in self.mod.funcs if f.index < self.func.index and f.result == t]
            if callees and r.random() < 0.6:
                f = r.choice(callees)
                return f"(call {f.name} {self.args(f.params, d)})"
            return self.call_indirect(t, d)
        return None

    def call_indirect(self, t, d):
        """Mostly a call through a slot that holds a lower-numbered function of the right type
        (as $reset leaves the table); in risky modules, any slot and any type."""
        r = self.rng
        slots = [(i, f) for i, f in enumerate(self.mod.table0_init)
                 if f and f.index < self.func.index and (t is None or f.result == t)]
        if slots and not self.mod.risky():
            i, f = r.choice(slots)
            high = as_signed64(r.choice(ADDR_HIGHS) << 32)
            dying = (f"(i32.wrap_i64 (i64.add (i64.const {high}) (i64.extend_i32_u (i32.add "
                     f"(i32.and {self.expr('i32', d - 1)} (i32.const 0)) (i32.const {i})))))")
            if self.mod.mask_wraps:
                dying = f"(i32.and {dying} (i32.const -1))"
            index = r.choice([f"(i32.const {i})", f"(i32.wrap_i64 (i64.const {high | i}))", dying,
                              f"(i32.add (i32.and {self.expr('i32', d - 1)} (i32.const 0)) (i32.const {i}))"])
            params, result = f.sig()
        else:
            sigs = [s for s in self.mod.sigs if s[1] == t] if t else self.mod.sigs
            if not sigs or not self.mod.risky():
                return self.leaf(t) if t else "(nop)"
            params, result = r.choice(sigs)
            index = self.table_index(TABLE0_SIZE, d)
        call = f"(call_indirect $t0 (type {self.mod.sig_name((params, result))}) {self.args(params, d)} {index})"
        return f"(drop {call})" if (t is None and result) else call

    def expr_i32(self, d):
        r = self.rng
        c = self.common("i32", d)
        if c:
            return c
        e = lambda: self.expr("i32", d - 1)
        k = r.random()
        if k < 0.30:
            return f"(i32.{r.choice(INT_BINOPS)} {e()} {e()})"
        if k < 0.36:
            return self.division("i32", d)
        if k < 0.44:
            return f"(i32.{r.choice(['clz', 'ctz', 'popcnt', 'eqz', 'extend8_s', 'extend16_s'])} {e()})"
        if k < 0.52:
            t = r.choice(TYPES)
            if is_float(t):
                return f"({t}.{r.choice(FLOAT_CMPS)} {self.expr(t, d - 1)} {self.expr(t, d - 1)})"
            return f"({t}.{r.choice(INT_CMPS)} {self.expr(t, d - 1)} {self.expr(t, d - 1)})"
        if k < 0.68:
            return self.wrap_expr(d)
        if k < 0.72:
            ft = r.choice(["f32", "f64"])
            sat = "" if self.mod.risky() else "_sat"
            return f"(i32.trunc{sat}_{ft}_{r.choice('su')} {self.expr(ft, d - 1)})"
        if k < 0.75:
            return f"(i32.reinterpret_f32 (call $canon_f32 {self.expr('f32', d - 1)}))"
        if k < 0.78:
            return "(memory.size)"
        if k < 0.80:
            return f"(if (result i32) (global.get $last) (then (memory.grow (i32.and {e()} (i32.const 1)))) (else (i32.const -1)))"
        if k < 0.83:
            t = r.choice(["$t0", "$t1"])
            return f"(table.size {t})" if r.random() < 0.5 else \
                f"(ref.is_null (table.get {t} {self.table_index(TABLE1_SIZE, d)}))"
        if k < 0.85:
            return (f"(if (result i32) (global.get $last) (then (table.grow $t1 (ref.null func) "
                    f"(i32.const {r.randint(0, 9)}))) (else (i32.const -1)))")
        if k < 0.93:
            # Many values live at once: register pressure.
            vals = [e() for _ in range(r.randint(4, 10))]
            s = vals[0]
            for v in vals[1:]:
                s = f"(i32.{r.choice(['add', 'xor', 'sub', 'mul'])} {s} {v})"
            return s
        return self.leaf("i32")

    def division(self, t, d):
        """A division whose divisor is never 0 (nor -1 for div_s) unless the module is risky."""
        r = self.rng
        op = r.choice(INT_DIVOPS)
        dividend, divisor = self.expr(t, d - 1), self.expr(t, d - 1)
        if not self.mod.risky():
            if r.random() < 0.5:
                divisor = f"({t}.or ({t}.shr_u {divisor} ({t}.const 1)) ({t}.const 1))"
            else:
                divisor = f"({t}.sub ({t}.const -2) ({t}.and {divisor} ({t}.const 0xffff)))"
        return f"({t}.{op} {dividend} {divisor})"

    def wrap_expr(self, d):
        """i32.wrap_i64 of i64 values with garbage in the upper half, used as plain values."""
        r = self.rng
        if r.random() < 0.5:
            s = f"(i32.wrap_i64 {self.expr('i64', d - 1)})"
            return f"(i32.and {s} (i32.const -1))" if self.mod.mask_wraps else s
        return self.wrapped_low(0xFFFFFFFF, d)

    def wrapped_low(self, mask, d, bounded=False):
        """An i32 from an i64 whose upper half is garbage, in shapes where the i64 dies at the wrap
        (the JIT's wrapped-i32 bug class, fixed in 15cd090). Its value is at most mask if `bounded`, else
        at most max(mask, SAFE_SPAN + 16) (the address locals' values)."""
        r = self.rng
        a = f"(local.get {r.choice(self.addr_locals)})"
        low = r.randrange(0, min(mask, PAGE) + 1)
        high = as_signed64(r.choice(ADDR_HIGHS) << 32)
        if bounded:
            e = f"(i32.and {self.expr('i32', d - 1)} (i32.const {mask}))"
            s = r.choice([
                f"(i32.wrap_i64 (i64.or (i64.const {high}) (i64.const {low})))",
                f"(i32.wrap_i64 (i64.add (i64.const {high}) (i64.extend_i32_u {e})))",
                f"(i32.wrap_i64 (i64.or (i64.extend_i32_u {e}) (i64.const {high})))",
                f"(i32.wrap_i64 (select (i64.const {high + low}) (i64.or (i64.const {high}) (i64.extend_i32_u {e})) {self.cond(d)}))",
                f"(i32.wrap_i64 (block (result i64) (i64.sub (i64.extend_i32_u {e}) (i64.const {high}))))",
            ])
            return f"(i32.and {s} (i32.const -1))" if self.mod.mask_wraps else s
        shapes = [
            f"(i32.wrap_i64 (i64.add {a} (i64.const {r.choice([0, 0, 4, 8, 16])})))",
            f"(i32.wrap_i64 (i64.or (i64.const {high}) (i64.const {low})))",
            f"(i32.wrap_i64 (i64.add (i64.const {high}) (i64.extend_i32_u (i32.and {self.expr('i32', d - 1)} (i32.const {mask})))))",
            f"(i32.wrap_i64 (i64.xor {a} (i64.const {high})))",
            f"(i32.wrap_i64 (i64.sub {a} (i64.const {as_signed64((r.choice(ADDR_HIGHS) << 32))})))",
            f"(i32.wrap_i64 (i64.rotl (i64.rotl {a} (i64.const 32)) (i64.const 32)))",
            f"(i32.wrap_i64 (select {a} (i64.const {high + low}) {self.cond(d)}))",
            f"(i32.wrap_i64 (block (result i64) {a}))",
            f"(i32.wrap_i64 (local.tee {r.choice(self.addr_locals)} (i64.add {a} (i64.const 0))))",
        ]
        s = r.choice(shapes)
        if self.mod.mask_wraps or (mask != 0xFFFFFFFF and r.random() < 0.5):
            s = f"(i32.and {s} (i32.const {mask if mask != 0xFFFFFFFF else -1}))"
        return s

    def addr(self, width, d):
        """An address for an access of `width` bytes: in bounds unless the module's risk says not."""
        r = self.rng
        size = self.mod.mem_pages * PAGE
        if self.mod.risky():
            return r.choice([f"(i32.const {r.choice([size - width, size - width + 1, size - 1, size, -16])})",
                             f"(i32.add (i32.and {self.expr('i32', d - 1)} (i32.const 0xfff0)) (memory.size))",
                             self.expr("i32", d - 1)])
        k = r.random()
        mask = r.choice([SAFE_SPAN - 8, SAFE_SPAN - 1, 0xFF, 0x3FFC])
        if k < 0.3:
            return f"(i32.const {r.randrange(0, SAFE_SPAN)})"
        if k < 0.45:
            return f"(i32.and {self.expr('i32', d - 1)} (i32.const {mask}))"
        if k < 0.50:
            # Near the current end of memory, which memory.grow (in the last export) moves: a JIT
            # that caches the memory's size or base across a grow gets these wrong.
            return (f"(i32.sub (i32.mul (memory.size) (i32.const {PAGE})) "
                    f"(i32.const {r.randrange(4400, SAFE_SPAN, 4)}))")
        if k < 0.55 and self.addr32_locals:
            return f"(local.get {r.choice(self.addr32_locals)})"
        if k < 0.62:
            # An i32 returned by a call: its register's upper half must not leak into the address.
            helper = r.choice(["$addr_add", "$addr_local", "$addr_select", "$addr_block"])
            return f"(call {helper} {self.addr_i64()})"
        return self.wrapped_low(mask, d)

    def addr_i64(self):
        """An i64 constant: an in-bounds address with garbage in the upper half."""
        r = self.rng
        return f"(i64.const {as_signed64((r.choice(ADDR_HIGHS) << 32) | r.randrange(0, SAFE_SPAN, 4))})"

    def memarg(self, width):
        r = self.rng
        s = ""
        if self.mod.risky():
            s += f" offset={r.choice([65536, 65535, 0xFFFFFFF0, 0x7FFFFFFF])}"
        elif r.random() < 0.3:
            s += f" offset={r.choice([1, 4, 8, 16, 100, 4096])}"
        if r.random() < 0.3:
            s += f" align={r.choice([a for a in (1, 2, 4, 8) if a <= width])}"
        return s

    def expr_i64(self, d):
        r = self.rng
        c = self.common("i64", d)
        if c:
            return c
        e = lambda: self.expr("i64", d - 1)
        k = r.random()
        if k < 0.30:
            return f"(i64.{r.choice(INT_BINOPS)} {e()} {e()})"
        if k < 0.36:
            return self.division("i64", d)
        if k < 0.42:
            return f"(i64.{r.choice(['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'])} {e()})"
        if k < 0.44:
            return f"(i64.extend_i32_u (i64.eqz {e()}))"
        if k < 0.58:
            # Extending i32s from every producer, including wraps of dying i64s, calls and
            # runtime calls (SysV leaves the upper half of a 32-bit return undefined).
            src = r.choice([self.wrap_expr(d), self.expr("i32", d - 1), "(memory.size)", "(table.size $t1)",
                            f"(call $addr_add {self.addr_i64()})", f"(call $addr_select {self.expr('i64', d - 1)})"])
            return f"(i64.extend_i32_{r.choice('su')} {src})"
        if k < 0.63:
            ft = r.choice(["f32", "f64"])
            sat = "" if self.mod.risky() else "_sat"
            return f"(i64.trunc{sat}_{ft}_{r.choice('su')} {self.expr(ft, d - 1)})"
        if k < 0.66:
            return f"(i64.reinterpret_f64 (call $canon_f64 {self.expr('f64', d - 1)}))"
        if k < 0.72:
            return f"(local.get {r.choice(self.addr_locals)})"
        if k < 0.85:
            vals = [e() for _ in range(r.randint(4, 10))]
            s = vals[0]
            for v in vals[1:]:
                s = f"(i64.{r.choice(['add', 'xor', 'sub', 'mul'])} {s} {v})"
            return s
        return self.leaf("i64")

    def expr_float(self, t, d):
        r = self.rng
        c = self.common(t, d)
        if c:
            return c
        e = lambda: self.expr(t, d - 1)
        k = r.random()
        if k < 0.35:
            op = r.choice(FLOAT_BINOPS)
            if op == "copysign":
                # The sign of a NaN is not deterministic: copysign must not copy it.
                return f"({t}.copysign {e()} (call $canon_{t} {e()}))"
            return f"({t}.{op} {e()} {e()})"
        if k < 0.5:
            return f"({t}.{r.choice(FLOAT_UNOPS)} {e()})"
        if k < 0.65:
            it = r.choice(["i32", "i64"])
            src = self.wrap_expr(d) if it == "i32" and r.random() < 0.4 else self.expr(it, d - 1)
            return f"({t}.convert_{it}_{r.choice('su')} {src})"
        if k < 0.72:
            other = "f64" if t == "f32" else "f32"
            op = "demote_f64" if t == "f32" else "promote_f32"
            return f"({t}.{op} {self.expr(other, d - 1)})"
        if k < 0.80:
            it = "i32" if t == "f32" else "i64"
            return f"({t}.reinterpret_{it} {self.expr(it, d - 1)})"
        if k < 0.92:
            vals = [e() for _ in range(r.randint(4, 8))]
            s = vals[0]
            for v in vals[1:]:
                s = f"({t}.{r.choice(['add', 'sub', 'mul'])} {s} {v})"
            return s
        return self.leaf(t)

    def expr_f32(self, d):
        return self.expr_float("f32", d)

    def expr_f64(self, d):
        return self.expr_float("f64", d)
