"""The vocabulary the module and function generators share: value types, interesting constants,
operator tables, the module's fixed sizes and limits, and small helpers."""

TYPES = ("i32", "i64", "f32", "f64")
INT_EDGES32 = [0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
               0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFF0000]
INT_EDGES64 = [0, 1, 2, 63, 64, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
               0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF00000000, 0xFFFFFFFF00000010, 0x200010000, 0x100000000]
# Upper halves for i64 values whose low half is an in-bounds address: the wrap must drop these.
ADDR_HIGHS = [0, 0xFFFFFFFF, 0x1, 0x2, 0x80000000, 0xDEADBEEF, 0x7FFFFFFF, 0x100]
PAGE = 65536
# In-bounds addresses are below SAFE_SPAN, so that an offset (up to 4096) and an access (up to
# 200 bytes for bulk operations) past them stay in the first page.
SAFE_SPAN = 0x8000
TABLE0_SIZE = 16  # call_indirect's table
TABLE1_SIZE = 8   # a table of plain funcref data
MAX_DEPTH = 24    # call depth past which a function traps (far below every engine's limit)
FUEL = 2000      # function entries per export past which a function traps
LOAD_OPS = {
    "i32": [("i32.load", 4), ("i32.load8_s", 1), ("i32.load8_u", 1), ("i32.load16_s", 2), ("i32.load16_u", 2)],
    "i64": [("i64.load", 8), ("i64.load8_s", 1), ("i64.load8_u", 1), ("i64.load16_s", 2),
            ("i64.load16_u", 2), ("i64.load32_s", 4), ("i64.load32_u", 4)],
    "f32": [("f32.load", 4)],
    "f64": [("f64.load", 8)],
}
STORE_OPS = {
    "i32": [("i32.store", 4), ("i32.store8", 1), ("i32.store16", 2)],
    "i64": [("i64.store", 8), ("i64.store8", 1), ("i64.store16", 2), ("i64.store32", 4)],
    "f32": [("f32.store", 4)],
    "f64": [("f64.store", 8)],
}
INT_BINOPS = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"]
INT_DIVOPS = ["div_s", "div_u", "rem_s", "rem_u"]
INT_CMPS = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
FLOAT_BINOPS = ["add", "sub", "mul", "div", "min", "max", "copysign"]
FLOAT_UNOPS = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]
FLOAT_CMPS = ["eq", "ne", "lt", "gt", "le", "ge"]


def is_float(t):
    return t[0] == "f"


class Func:
    """One internal function's signature; `index` orders direct calls (only to lower ones)."""

    def __init__(self, index, params, result):
        self.index, self.params, self.result = index, params, result
        self.name = f"$f{index}"

    def sig(self):
        return (tuple(self.params), self.result)


def as_signed64(v):
    v &= 0xFFFFFFFFFFFFFFFF
    return v - (1 << 64) if v >= 1 << 63 else v


def wat_bytes(b):
    return "".join(f"\\{x:02x}" for x in b)
