#!/usr/bin/env python3
"""Writes the pathological modules of the compile-cost benchmark: shapes
whose compile time or memory grows faster than their size in a compiler with a global register
allocator or per-function overhead.

    bench/gen_pathological.py SHAPE N -o OUT.wasm

Shapes (each module exports `run: [] -> [i32]`, whose result depends on every value):
  live     one function: N values loaded (`local.get 0; i32.load offset=4k`), then N-1 adds:
           all N are live at once; about 6 bytes of code per value.
  locals   one function with N declared i32 locals: each is set to a load, then all are summed,
           so all N are live at once across the loads; about 13 bytes of code per local.
  branchy  one function with N declared i32 locals, each incremented inside its own `if`, then
           summed: N locals live across N blocks (a register allocator's blocks x values).
The memory (one page, zeros but for a few words) is there for the loads.
  brtable  one function: N nested blocks, the innermost a br_table to each of them; about 8
           bytes of code per block.
  loopcalls one function: N nested loops, the innermost making N calls (to an empty function).
  empty    N empty functions (`(func)`, 3 bytes of code each) besides `run`.

The output is a deterministic function of (SHAPE, N). Written as binary directly (no wabt
needed), with only the opcodes below.
"""
import argparse
import sys

LOCAL_GET, LOCAL_SET, I32_CONST, I32_ADD, IF, END, BLOCKTYPE_EMPTY = 0x20, 0x21, 0x41, 0x6A, 0x04, 0x0B, 0x40
I32_LOAD = 0x28
I32 = 0x7F


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b''.join(items)


def func_body(local_decls, code):
    """local_decls: [(count, type)]; code: the instructions without the final end."""
    body = vec([uleb(c) + bytes([t]) for c, t in local_decls]) + code + bytes([END])
    return uleb(len(body)) + body


def get(i):
    return bytes([LOCAL_GET]) + uleb(i)


def set_(i):
    return bytes([LOCAL_SET]) + uleb(i)


def const(k):
    return bytes([I32_CONST]) + sleb(k)


def sum_locals(first, n):
    """local.get first .. first+n-1, added up (n >= 1)."""
    code = bytearray(get(first))
    for i in range(first + 1, first + n):
        code += get(i) + bytes([I32_ADD])
    return bytes(code)


def run_live(n):
    # local 0 is the param (`run` calls this function with a constant). Each value is a load:
    # its PC-map label ends an allocator block, so the N values are live across N blocks.
    code = bytearray()
    for k in range(n):
        code += get(0) + bytes([I32_LOAD, 2]) + uleb((k * 4) % 60000)
    code += bytes([I32_ADD]) * (n - 1)
    return [func_body([], bytes(code))]


def run_locals(n):
    code = bytearray()
    for i in range(1, n + 1):
        code += get(0) + bytes([I32_LOAD, 2]) + uleb((i * 4) % 60000) + set_(i)
    code += sum_locals(1, n)
    return [func_body([(n, I32)], bytes(code))]


def run_branchy(n):
    code = bytearray()
    for i in range(1, n + 1):
        code += get(0) + const(i % 64) + bytes([I32_ADD]) + set_(i)
    for i in range(1, n + 1):
        code += get(0) + const(i % 7) + bytes([I32_ADD, IF, BLOCKTYPE_EMPTY])
        code += get(i) + const(1) + bytes([I32_ADD]) + set_(i) + bytes([END])
    code += sum_locals(1, n)
    return [func_body([(n, I32)], bytes(code))]


def run_brtable(n):
    # n nested blocks; the innermost holds a br_table to each of them (and the default, to the
    # outermost), so that branch targets x nesting depth grows like n squared.
    code = bytearray()
    code += bytes([0x02, BLOCKTYPE_EMPTY]) * n
    code += get(0) + bytes([0x0E]) + uleb(n) + b''.join(uleb(d) for d in range(n)) + uleb(n - 1)
    for d in range(n):
        code += bytes([END]) + get(0) + const(d % 64) + bytes([I32_ADD]) + set_(0)
    code += get(0)
    return [func_body([], bytes(code))]


def run_loopcalls(n):
    # n nested loops (none loops back), the innermost calling function 2, which is empty, n times.
    code = bytearray()
    code += bytes([0x03, BLOCKTYPE_EMPTY]) * n
    code += (bytes([0x10]) + uleb(2)) * n
    code += bytes([END]) * n
    code += get(0)
    return [func_body([], bytes(code))]


def module(shape, n):
    # Types: 0 = [i32] -> [i32] (the worker), 1 = [] -> [i32] (run), 2 = [] -> [] (empty).
    types = vec([b'\x60' + vec([bytes([I32])]) + vec([bytes([I32])]),
                 b'\x60' + vec([]) + vec([bytes([I32])]),
                 b'\x60' + vec([]) + vec([])])
    if shape == 'empty':
        # run returns a constant; the N empty functions follow it.
        funcs = [uleb(1)] + [uleb(2)] * n
        bodies = [func_body([], const(n & 0x3FFFFFFF))] + [func_body([], b'')] * n
        export_index = 0
    else:
        worker = {'live': run_live, 'locals': run_locals, 'branchy': run_branchy,
                  'brtable': run_brtable, 'loopcalls': run_loopcalls}[shape](n)
        # 0: the worker, 1: run (calls the worker with 3), 2: an empty function.
        funcs = [uleb(0), uleb(1), uleb(2)]
        bodies = worker + [func_body([], const(3) + bytes([0x10]) + uleb(0)), func_body([], b'')]
        export_index = 1
    exports = vec([uleb(3) + b'run' + b'\x00' + uleb(export_index)])
    memory = vec([b'\x00' + uleb(1)])  # one page, no maximum
    data = vec([b'\x00' + const(4) + bytes([END]) + vec([bytes([b]) for b in b'\x07\x00\x00\x00\x05'])])
    return (b'\x00asm\x01\x00\x00\x00' + section(1, types) + section(3, vec(funcs)) +
            section(5, memory) + section(7, exports) + section(10, vec(bodies)) + section(11, data))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('shape', choices=['live', 'locals', 'branchy', 'brtable', 'loopcalls', 'empty'])
    p.add_argument('n', type=int)
    p.add_argument('-o', '--output', required=True)
    args = p.parse_args()
    if args.n < 1:
        sys.exit('gen_pathological.py: N must be at least 1')
    with open(args.output, 'wb') as f:
        f.write(module(args.shape, args.n))


if __name__ == '__main__':
    main()
