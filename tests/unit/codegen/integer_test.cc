// Integer instructions against a C++ reference, for edge values, with each operand passed as a
// parameter (registers) or as a constant (immediates, folding): every emitter path is hit.
#include <fmt/format.h>
#include <bit>

#include <functional>
#include <optional>

#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

struct Outcome {
  uint64_t value = 0;
  TrapKind trap = TrapKind::None;
};
using BinaryRef = std::function<Outcome(uint64_t, uint64_t)>;

struct BinaryCase {
  const char* op;
  bool wide;
  BinaryRef ref;
};

bool IsCompare(std::string_view op) {
  for (const char* c : {".eq", ".ne", ".lt", ".gt", ".le", ".ge"}) {
    if (op.find(c) != std::string_view::npos) return true;
  }
  return false;
}

Outcome V(uint64_t v) { return {v, TrapKind::None}; }
Outcome T(TrapKind k) { return {0, k}; }

std::vector<BinaryCase> BinaryCases() {
  using u32 = uint32_t;
  using s32 = int32_t;
  using u64 = uint64_t;
  using s64 = int64_t;
  return {
      {"i32.add", false, [](u64 a, u64 b) { return V(u32(a + b)); }},
      {"i32.sub", false, [](u64 a, u64 b) { return V(u32(a - b)); }},
      {"i32.mul", false, [](u64 a, u64 b) { return V(u32(u32(a) * u32(b))); }},
      {"i32.and", false, [](u64 a, u64 b) { return V(u32(a & b)); }},
      {"i32.or", false, [](u64 a, u64 b) { return V(u32(a | b)); }},
      {"i32.xor", false, [](u64 a, u64 b) { return V(u32(a ^ b)); }},
      {"i32.shl", false, [](u64 a, u64 b) { return V(u32(u32(a) << (b & 31))); }},
      {"i32.shr_s", false, [](u64 a, u64 b) { return V(u32(s32(a) >> (b & 31))); }},
      {"i32.shr_u", false, [](u64 a, u64 b) { return V(u32(a) >> (b & 31)); }},
      {"i32.rotl", false, [](u64 a, u64 b) { return V(std::rotl(u32(a), int(b & 31))); }},
      {"i32.rotr", false, [](u64 a, u64 b) { return V(std::rotr(u32(a), int(b & 31))); }},
      {"i32.div_s", false,
       [](u64 a, u64 b) {
         if (u32(b) == 0) return T(TrapKind::IntegerDivideByZero);
         if (s32(a) == INT32_MIN && s32(b) == -1) return T(TrapKind::IntegerOverflow);
         return V(u32(s32(a) / s32(b)));
       }},
      {"i32.div_u", false,
       [](u64 a, u64 b) {
         if (u32(b) == 0) return T(TrapKind::IntegerDivideByZero);
         return V(u32(a) / u32(b));
       }},
      {"i32.rem_s", false,
       [](u64 a, u64 b) {
         if (u32(b) == 0) return T(TrapKind::IntegerDivideByZero);
         if (s32(b) == -1) return V(0);
         return V(u32(s32(a) % s32(b)));
       }},
      {"i32.rem_u", false,
       [](u64 a, u64 b) {
         if (u32(b) == 0) return T(TrapKind::IntegerDivideByZero);
         return V(u32(a) % u32(b));
       }},
      {"i32.eq", false, [](u64 a, u64 b) { return V(u32(a) == u32(b)); }},
      {"i32.ne", false, [](u64 a, u64 b) { return V(u32(a) != u32(b)); }},
      {"i32.lt_s", false, [](u64 a, u64 b) { return V(s32(a) < s32(b)); }},
      {"i32.lt_u", false, [](u64 a, u64 b) { return V(u32(a) < u32(b)); }},
      {"i32.gt_s", false, [](u64 a, u64 b) { return V(s32(a) > s32(b)); }},
      {"i32.gt_u", false, [](u64 a, u64 b) { return V(u32(a) > u32(b)); }},
      {"i32.le_s", false, [](u64 a, u64 b) { return V(s32(a) <= s32(b)); }},
      {"i32.le_u", false, [](u64 a, u64 b) { return V(u32(a) <= u32(b)); }},
      {"i32.ge_s", false, [](u64 a, u64 b) { return V(s32(a) >= s32(b)); }},
      {"i32.ge_u", false, [](u64 a, u64 b) { return V(u32(a) >= u32(b)); }},
      {"i64.add", true, [](u64 a, u64 b) { return V(a + b); }},
      {"i64.sub", true, [](u64 a, u64 b) { return V(a - b); }},
      {"i64.mul", true, [](u64 a, u64 b) { return V(a * b); }},
      {"i64.and", true, [](u64 a, u64 b) { return V(a & b); }},
      {"i64.or", true, [](u64 a, u64 b) { return V(a | b); }},
      {"i64.xor", true, [](u64 a, u64 b) { return V(a ^ b); }},
      {"i64.shl", true, [](u64 a, u64 b) { return V(a << (b & 63)); }},
      {"i64.shr_s", true, [](u64 a, u64 b) { return V(u64(s64(a) >> (b & 63))); }},
      {"i64.shr_u", true, [](u64 a, u64 b) { return V(a >> (b & 63)); }},
      {"i64.rotl", true, [](u64 a, u64 b) { return V(std::rotl(a, int(b & 63))); }},
      {"i64.rotr", true, [](u64 a, u64 b) { return V(std::rotr(a, int(b & 63))); }},
      {"i64.div_s", true,
       [](u64 a, u64 b) {
         if (b == 0) return T(TrapKind::IntegerDivideByZero);
         if (s64(a) == INT64_MIN && s64(b) == -1) return T(TrapKind::IntegerOverflow);
         return V(u64(s64(a) / s64(b)));
       }},
      {"i64.div_u", true,
       [](u64 a, u64 b) {
         if (b == 0) return T(TrapKind::IntegerDivideByZero);
         return V(a / b);
       }},
      {"i64.rem_s", true,
       [](u64 a, u64 b) {
         if (b == 0) return T(TrapKind::IntegerDivideByZero);
         if (s64(b) == -1) return V(0);
         return V(u64(s64(a) % s64(b)));
       }},
      {"i64.rem_u", true,
       [](u64 a, u64 b) {
         if (b == 0) return T(TrapKind::IntegerDivideByZero);
         return V(a % b);
       }},
      {"i64.eq", true, [](u64 a, u64 b) { return V(a == b); }},
      {"i64.ne", true, [](u64 a, u64 b) { return V(a != b); }},
      {"i64.lt_s", true, [](u64 a, u64 b) { return V(s64(a) < s64(b)); }},
      {"i64.lt_u", true, [](u64 a, u64 b) { return V(a < b); }},
      {"i64.gt_s", true, [](u64 a, u64 b) { return V(s64(a) > s64(b)); }},
      {"i64.gt_u", true, [](u64 a, u64 b) { return V(a > b); }},
      {"i64.le_s", true, [](u64 a, u64 b) { return V(s64(a) <= s64(b)); }},
      {"i64.le_u", true, [](u64 a, u64 b) { return V(a <= b); }},
      {"i64.ge_s", true, [](u64 a, u64 b) { return V(s64(a) >= s64(b)); }},
      {"i64.ge_u", true, [](u64 a, u64 b) { return V(a >= b); }},
  };
}

const std::vector<uint64_t> kValues32 = {
    0,          1,          2,          3,          7,          31,         32, 33,
    0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 16, 1000};
const std::vector<uint64_t> kValues64 = {0,
                                         1,
                                         2,
                                         3,
                                         63,
                                         64,
                                         65,
                                         0x7fffffffffffffff,
                                         0x8000000000000000,
                                         0xffffffffffffffff,
                                         0xfffffffffffffffe,
                                         0x80000000,
                                         0xffffffff,
                                         0x123456789abcdef0,
                                         1ull << 40,
                                         0x100000000};

// Each case is compiled four ways: (param, param), (param, const), (const, param), (const, const).
// The result of a compare is also fed through `if` so that the fused compare-and-branch is
// checked too.
TEST_F(JitTest, BinaryOperatorsMatchReference) {
  for (const BinaryCase& c : BinaryCases()) {
    const auto& values = c.wide ? kValues64 : kValues32;
    const char* t = c.wide ? "i64" : "i32";
    bool is_compare = IsCompare(c.op);
    std::string wat = "(module\n";
    wat += fmt::format(
        "(func (export \"pp\") (param {0} {0}) (result {1}) local.get 0 local.get 1 {2})\n", t,
        is_compare ? "i32" : t, c.op);
    if (is_compare) {
      wat += fmt::format(
          "(func (export \"branch\") (param {0} {0}) (result i32) local.get 0 local.get 1 {1} "
          "if (result i32) i32.const 1 else i32.const 0 end)\n",
          t, c.op);
    }
    size_t n = 0;
    for (uint64_t a : values) {
      for (uint64_t b : values) {
        const char* r = is_compare ? "i32" : t;
        wat += fmt::format(
            "(func (export \"pc{0}\") (param {1}) (result {2}) local.get 0 {1}.const {3} {4})\n", n,
            t, r, static_cast<int64_t>(b), c.op);
        wat += fmt::format(
            "(func (export \"cp{0}\") (param {1}) (result {2}) {1}.const {3} local.get 0 {4})\n", n,
            t, r, static_cast<int64_t>(a), c.op);
        wat +=
            fmt::format("(func (export \"cc{0}\") (result {1}) {2}.const {3} {2}.const {4} {5})\n",
                        n, r, t, static_cast<int64_t>(a), static_cast<int64_t>(b), c.op);
        ++n;
      }
    }
    wat += ")";
    Instance* inst = Load(wat);
    ASSERT_NE(inst, nullptr) << c.op;
    auto arg = [&](uint64_t v) {
      return c.wide ? Value::I64(v) : Value::I32(static_cast<uint32_t>(v));
    };
    n = 0;
    for (uint64_t a : values) {
      for (uint64_t b : values) {
        Outcome want = c.ref(a, b);
        auto check = [&](const char* how, Result<std::vector<Value>> got) {
          SCOPED_TRACE(fmt::format("{} {:#x} {:#x} ({})", c.op, a, b, how));
          if (want.trap != TrapKind::None) {
            ASSERT_FALSE(got.ok());
            EXPECT_EQ(got.error().trap, want.trap);
          } else {
            ASSERT_TRUE(got.ok()) << got.error().ToString();
            EXPECT_EQ(got->at(0).bits, want.value);
          }
        };
        check("params", Call(inst, "pp", {arg(a), arg(b)}));
        if (is_compare) check("branch", Call(inst, "branch", {arg(a), arg(b)}));
        check("rhs const", Call(inst, fmt::format("pc{}", n), {arg(a)}));
        check("lhs const", Call(inst, fmt::format("cp{}", n), {arg(b)}));
        check("both const", Call(inst, fmt::format("cc{}", n)));
        ++n;
      }
    }
  }
}

TEST_F(JitTest, UnaryOperators) {
  Instance* inst = Load(R"(
    (module
      (func (export "clz32") (param i32) (result i32) local.get 0 i32.clz)
      (func (export "ctz32") (param i32) (result i32) local.get 0 i32.ctz)
      (func (export "popcnt32") (param i32) (result i32) local.get 0 i32.popcnt)
      (func (export "clz64") (param i64) (result i64) local.get 0 i64.clz)
      (func (export "ctz64") (param i64) (result i64) local.get 0 i64.ctz)
      (func (export "popcnt64") (param i64) (result i64) local.get 0 i64.popcnt)
      (func (export "eqz32") (param i32) (result i32) local.get 0 i32.eqz)
      (func (export "eqz64") (param i64) (result i32) local.get 0 i64.eqz)
      (func (export "ext8_32") (param i32) (result i32) local.get 0 i32.extend8_s)
      (func (export "ext16_32") (param i32) (result i32) local.get 0 i32.extend16_s)
      (func (export "ext8_64") (param i64) (result i64) local.get 0 i64.extend8_s)
      (func (export "ext16_64") (param i64) (result i64) local.get 0 i64.extend16_s)
      (func (export "ext32_64") (param i64) (result i64) local.get 0 i64.extend32_s)
      (func (export "wrap") (param i64) (result i32) local.get 0 i32.wrap_i64)
      (func (export "extend_s") (param i32) (result i64) local.get 0 i64.extend_i32_s)
      (func (export "extend_u") (param i32) (result i64) local.get 0 i64.extend_i32_u)
      (func (export "not_lt") (param i32 i32) (result i32) local.get 0 local.get 1 i32.lt_s i32.eqz))
  )");
  ASSERT_NE(inst, nullptr);
  for (uint64_t v : kValues32) {
    auto a = Value::I32(static_cast<uint32_t>(v));
    auto u = static_cast<uint32_t>(v);
    EXPECT_EQ(Bits(inst, "clz32", {a}), static_cast<uint64_t>(std::countl_zero(u)));
    EXPECT_EQ(Bits(inst, "ctz32", {a}), static_cast<uint64_t>(std::countr_zero(u)));
    EXPECT_EQ(Bits(inst, "popcnt32", {a}), static_cast<uint64_t>(std::popcount(u)));
    EXPECT_EQ(Bits(inst, "eqz32", {a}), u == 0 ? 1u : 0u);
    EXPECT_EQ(Bits(inst, "ext8_32", {a}), static_cast<uint32_t>(static_cast<int8_t>(u)));
    EXPECT_EQ(Bits(inst, "ext16_32", {a}), static_cast<uint32_t>(static_cast<int16_t>(u)));
    EXPECT_EQ(Bits(inst, "extend_s", {a}),
              static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(u))));
    EXPECT_EQ(Bits(inst, "extend_u", {a}), u);
  }
  for (uint64_t v : kValues64) {
    auto a = Value::I64(v);
    EXPECT_EQ(Bits(inst, "clz64", {a}), static_cast<uint64_t>(std::countl_zero(v)));
    EXPECT_EQ(Bits(inst, "ctz64", {a}), static_cast<uint64_t>(std::countr_zero(v)));
    EXPECT_EQ(Bits(inst, "popcnt64", {a}), static_cast<uint64_t>(std::popcount(v)));
    EXPECT_EQ(Bits(inst, "eqz64", {a}), v == 0 ? 1u : 0u);
    EXPECT_EQ(Bits(inst, "ext8_64", {a}), static_cast<uint64_t>(static_cast<int8_t>(v)));
    EXPECT_EQ(Bits(inst, "ext16_64", {a}), static_cast<uint64_t>(static_cast<int16_t>(v)));
    EXPECT_EQ(Bits(inst, "ext32_64", {a}), static_cast<uint64_t>(static_cast<int32_t>(v)));
    EXPECT_EQ(Bits(inst, "wrap", {a}), static_cast<uint32_t>(v));
  }
  EXPECT_EQ(Bits(inst, "not_lt", {Value::I32(1), Value::I32(2)}), 0u);
  EXPECT_EQ(Bits(inst, "not_lt", {Value::I32(2), Value::I32(1)}), 1u);
}

}  // namespace
}  // namespace wasmgrind::test
