#!/usr/bin/env python3
"""Writes a large C program of generated functions, the input of the compile-speed benchmark.

    bench/gen_bigmodule.py [--functions N] [--seed S] -o OUT.c

Built with `clang --target=wasm32-wasi -O2`, the default 1600 functions give a code section of
well over 1 MB. The output is a deterministic function of (functions, seed): same arguments,
same file, byte for byte.

The program does nothing unless it gets an argument, so that running it measures decoding,
validation and compilation plus start-up and not much else. With an argument (`run`) it calls
every function through a table and prints a checksum, which the runner compares between native
code and each wasm runtime: a correctness test of the compilers over a lot of varied code.

What the generated code contains, and why it is safe to run everywhere:
  - only unsigned integer arithmetic (wraps, no undefined behaviour), shifts masked to the width,
    division and remainder by `x | 1`;
  - doubles converted back to integers only through D2U, which maps NaN and out-of-range values
    to 0 (a plain cast would be undefined behaviour and could trap in wasm);
  - loops with small constant-bounded trip counts, switches, if/else, loads and stores into a
    global array at masked indices;
  - direct and indirect calls only to lower-numbered functions, with a depth budget that shrinks
    on every call, so there is no recursion and the call tree stays small.
"""
import argparse
import random
import sys

MEM_WORDS = 4096  # power of two: indices are masked with MEM_WORDS - 1
CALL_DEPTH = 2    # depth budget main() passes to each function

U32_BINOPS = ['+', '-', '*', '^', '&', '|']


class FunctionWriter:
    """Generates the body of one function: a few statements over a fixed set of locals."""

    def __init__(self, rng, index):
        self.rng = rng
        self.index = index
        self.lines = []
        self.loop_depth = 0
        self.calls_left = 2  # calls per function: keeps the dynamic call tree small

    def u32(self):
        return f'x{self.rng.randrange(4)}'

    def const(self):
        r = self.rng.random()
        if r < 0.5:
            return f'{self.rng.randrange(1, 64)}u'
        return f'0x{self.rng.getrandbits(32):08x}u'

    def expr(self, depth=0):
        """A uint32_t expression."""
        r = self.rng.random()
        if depth >= 3 or r < 0.25:
            return self.u32() if self.rng.random() < 0.7 else self.const()
        a, b = self.expr(depth + 1), self.expr(depth + 1)
        if r < 0.6:
            return f'({a} {self.rng.choice(U32_BINOPS)} {b})'
        if r < 0.7:
            op = self.rng.choice(['<<', '>>'])
            return f'({a} {op} ({b} & 31u))'
        if r < 0.75:
            return f'ROTL({a}, {self.rng.randrange(1, 32)})'
        if r < 0.8:
            return f'({a} {self.rng.choice(["/", "%"])} ({b} | 1u))'
        if r < 0.85:
            cmp = self.rng.choice(['<', '>', '==', '!=', '<=', '>='])
            return f'({a} {cmp} {b} ? {self.expr(depth + 1)} : {self.expr(depth + 1)})'
        if r < 0.9:
            return f'(uint32_t)(y{self.rng.randrange(2)} >> {self.rng.randrange(0, 40)})'
        if r < 0.95:
            return f'g_mem[({a} + {self.rng.randrange(MEM_WORDS)}u) & {MEM_WORDS - 1}u]'
        return f'D2U(d0 * {self.rng.uniform(-4, 4):.6f})'

    def emit(self, indent, text):
        self.lines.append('  ' * indent + text)

    def statement(self, indent, depth):
        r = self.rng.random()
        if depth < 2 and r < 0.12:
            self.emit(indent, f'if ({self.expr(1)} {self.rng.choice(["<", ">", "=="])} {self.expr(1)}) {{')
            self.block(indent + 1, depth + 1)
            self.emit(indent, '} else {')
            self.block(indent + 1, depth + 1)
            self.emit(indent, '}')
        elif depth < 2 and r < 0.2 and self.loop_depth < 2:
            var = f'i{self.loop_depth}'
            self.emit(indent, f'for (uint32_t {var} = 0; {var} < ({self.u32()} & 7u) + 1u; {var}++) {{')
            self.loop_depth += 1
            self.block(indent + 1, depth + 1)
            self.emit(indent + 1, f'x{self.rng.randrange(4)} += {var};')
            self.loop_depth -= 1
            self.emit(indent, '}')
        elif depth < 2 and r < 0.26:
            self.emit(indent, f'switch ({self.u32()} & 7u) {{')
            for case in self.rng.sample(range(8), self.rng.randrange(2, 6)):
                self.emit(indent + 1, f'case {case}:')
                self.block(indent + 2, depth + 1, max_statements=2)
                self.emit(indent + 2, 'break;')
            self.emit(indent + 1, 'default:')
            self.emit(indent + 2, f'x{self.rng.randrange(4)} ^= {self.const()};')
            self.emit(indent, '}')
        elif r < 0.34 and self.index > 0 and self.loop_depth == 0 and self.calls_left > 0:
            self.calls_left -= 1
            target = self.rng.randrange(self.index)
            args = f'{self.expr(2)}, {self.expr(2)}, depth - 1'
            if self.rng.random() < 0.5:
                call = f'f{target}({args})'
            else:
                call = f'kFunctions[{self.u32()} % {self.index}u]({args})'
            self.emit(indent, f'if (depth > 0) x{self.rng.randrange(4)} += {call};')
        elif r < 0.44:
            self.emit(indent, f'g_mem[({self.expr(1)}) & {MEM_WORDS - 1}u] = {self.expr(1)};')
        elif r < 0.52:
            y = self.rng.randrange(2)
            self.emit(indent, f'y{y} = y{y} * 0x{self.rng.getrandbits(64) | 1:016x}ull + {self.expr(1)};')
        elif r < 0.58:
            self.emit(indent, f'y1 ^= y0 >> {self.rng.randrange(1, 64)};')
        elif r < 0.68:
            k = self.rng.uniform(0.5, 1.5)
            self.emit(indent, f'd0 = d0 * {k:.6f} + (double)({self.expr(1)} & 0xffffu) / {self.rng.randrange(1, 100)}.0;')
        else:
            op = self.rng.choice(['=', '+=', '^=', '-='])
            self.emit(indent, f'x{self.rng.randrange(4)} {op} {self.expr(1)};')

    def block(self, indent, depth, max_statements=3):
        for _ in range(self.rng.randrange(1, max_statements + 1)):
            self.statement(indent, depth)

    def write(self):
        self.emit(0, f'NOINLINE static uint32_t f{self.index}(uint32_t a, uint32_t b, int depth) {{')
        self.emit(1, f'uint32_t x0 = a, x1 = b, x2 = a ^ {self.const()}, x3 = b + {self.const()};')
        self.emit(1, f'uint64_t y0 = (uint64_t)a << 32 | b, y1 = 0x{self.rng.getrandbits(64):016x}ull;')
        self.emit(1, 'double d0 = (double)(a & 0xffffu);')
        self.emit(1, '(void)depth;')
        for _ in range(self.rng.randrange(4, 10)):
            self.statement(1, 0)
        self.emit(1, 'return x0 ^ x1 ^ (x2 + x3) ^ (uint32_t)y0 ^ (uint32_t)(y1 >> 32) ^ D2U(d0);')
        self.emit(0, '}')
        return '\n'.join(self.lines)


def generate(functions, seed):
    rng = random.Random(seed)
    out = [
        f'/* Generated by bench/gen_bigmodule.py --functions {functions} --seed {seed}: do not edit. */',
        '#include <stdint.h>',
        '#include <stdio.h>',
        '',
        '#define NOINLINE __attribute__((noinline))',
        '#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))',
        '',
        'typedef uint32_t (*Function)(uint32_t, uint32_t, int);',
        f'static uint32_t g_mem[{MEM_WORDS}];',
        '',
        '/* double -> uint32_t without undefined behaviour: NaN and out-of-range values give 0. */',
        'static inline uint32_t D2U(double d) {',
        '  return d == d && d > -2147483648.0 && d < 2147483648.0 ? (uint32_t)(int32_t)d : 0u;',
        '}',
        '',
    ]
    out += [f'NOINLINE static uint32_t f{i}(uint32_t a, uint32_t b, int depth);' for i in range(functions)]
    out.append('static const Function kFunctions[] = {')
    out += [f'  f{i},' for i in range(functions)]
    out += ['};', '']
    for i in range(functions):
        out.append(FunctionWriter(rng, i).write())
        out.append('')
    out += [
        'int main(int argc, char **argv) {',
        '  (void)argv;',
        '  if (argc < 2) return 0; /* compile-speed measurement: exit at once */',
        '  for (uint32_t i = 0; i < sizeof g_mem / sizeof g_mem[0]; i++) g_mem[i] = i * 2654435761u;',
        '  uint64_t h = 0;',
        f'  for (uint32_t i = 0; i < {functions}u; i++) {{',
        f'    uint32_t r = kFunctions[i](i * 0x9e3779b9u, i ^ 0x5bd1e995u, {CALL_DEPTH});',
        '    h = (h ^ r) * 0x100000001b3ull;',
        '  }',
        '  for (uint32_t i = 0; i < sizeof g_mem / sizeof g_mem[0]; i++) h = (h ^ g_mem[i]) * 0x100000001b3ull;',
        f'  printf("bigmodule functions={functions} checksum=%016llx\\n", (unsigned long long)h);',
        '  return 0;',
        '}',
        '',
    ]
    return '\n'.join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--functions', type=int, default=1600, help='number of generated functions (default 1600)')
    parser.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    parser.add_argument('-o', '--output', required=True, help='the C file to write')
    args = parser.parse_args()
    if args.functions < 1:
        sys.exit('gen_bigmodule: --functions must be at least 1')
    with open(args.output, 'w') as f:
        f.write(generate(args.functions, args.seed))


if __name__ == '__main__':
    main()
