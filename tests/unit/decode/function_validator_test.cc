// Function bodies through DecodeFunction: the reader's immediates, and the validator's accept
// and reject decisions with the spec's wording.
#include "vm/decode/decode_function.h"

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"

namespace wasmgrind {
namespace {

using namespace test;

// Decodes, validates the module, then validates function 0's body.
Result<void> CheckBody(const Bytes& type, const Bytes& instrs,
                       const std::vector<LocalDecl>& locals = {}) {
  TRY_ASSIGN(ModuleInfo m, DecodeModule(SingleFunctionModule(type, instrs, locals)));
  TRY(ValidateModule(m));
  return ValidateFunctionBody(m, 0);
}

std::string Outcome(const Result<void>& r) {
  if (r.ok()) return "ok";
  return r.error().message;
}

#define EXPECT_VALID(...) EXPECT_EQ(Outcome(CheckBody(__VA_ARGS__)), "ok")
#define EXPECT_INVALID(text, ...)                                           \
  do {                                                                      \
    auto r_ = CheckBody(__VA_ARGS__);                                       \
    ASSERT_FALSE(r_.ok()) << "expected: " << text;                          \
    EXPECT_EQ(r_.error().kind, ErrorKind::Invalid) << r_.error().message;   \
    EXPECT_EQ(r_.error().message.rfind(text, 0), 0u) << r_.error().message; \
  } while (0)
#define EXPECT_MALFORMED(text, ...)                                         \
  do {                                                                      \
    auto r_ = CheckBody(__VA_ARGS__);                                       \
    ASSERT_FALSE(r_.ok()) << "expected: " << text;                          \
    EXPECT_EQ(r_.error().kind, ErrorKind::Malformed) << r_.error().message; \
    EXPECT_EQ(r_.error().message.rfind(text, 0), 0u) << r_.error().message; \
  } while (0)

const Bytes kVoid = FuncTypeEntry({}, {});
const Bytes kToI32 = FuncTypeEntry({}, {kI32});
const Bytes kI32ToI32 = FuncTypeEntry({kI32}, {kI32});

TEST(FunctionValidatorTest, Arithmetic) {
  EXPECT_VALID(kToI32, {0x41, 0x01, 0x41, 0x02, 0x6a, kEnd});
  EXPECT_VALID(kI32ToI32, {0x20, 0x00, 0x45, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x42, 0x01, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x41, 0x01, 0x42, 0x02, 0x6a, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x41, 0x01, 0x41, 0x01, kEnd});  // one too many
  EXPECT_INVALID("type mismatch", kToI32, {kEnd});
  EXPECT_INVALID("type mismatch", kVoid, {0x6a, 0x1a, kEnd});
}

TEST(FunctionValidatorTest, LocalsAndGlobals) {
  EXPECT_VALID(kVoid, {0x42, 0x05, 0x21, 0x01, kEnd}, {{2, kI64}});
  EXPECT_INVALID("unknown local", kVoid, {0x20, 0x02, 0x1a, kEnd}, {{2, kI64}});
  EXPECT_INVALID("type mismatch", kVoid, {0x41, 0x05, 0x21, 0x00, kEnd}, {{1, kI64}});
  EXPECT_INVALID("unknown global", kVoid, {0x23, 0x00, 0x1a, kEnd});
}

TEST(FunctionValidatorTest, Blocks) {
  // block (result i32) i32.const 1 end
  EXPECT_VALID(kToI32, {0x02, kI32, 0x41, 0x01, kEnd, kEnd});
  // loop with a branch back to its start
  EXPECT_VALID(kVoid, {0x03, 0x40, 0x0c, 0x00, kEnd, kEnd});
  // if/else producing i32
  EXPECT_VALID(kI32ToI32, {0x20, 0x00, 0x04, kI32, 0x41, 0x01, 0x05, 0x41, 0x02, kEnd, kEnd});
  // if without else cannot produce a value
  EXPECT_INVALID("type mismatch", kI32ToI32, {0x20, 0x00, 0x04, kI32, 0x41, 0x01, kEnd, kEnd});
  EXPECT_INVALID("unknown label", kVoid, {0x0c, 0x01, kEnd});
  EXPECT_INVALID("type mismatch", kVoid, {0x02, kI32, kEnd, 0x1a, kEnd});
  // A block type index: (i32) -> (i32) is type 0 here.
  EXPECT_VALID(kI32ToI32, {0x20, 0x00, 0x02, 0x00, kEnd, kEnd});
  EXPECT_INVALID("unknown type", kVoid, {0x02, 0x05, kEnd, kEnd});
}

TEST(FunctionValidatorTest, UnreachableCodeIsPolymorphic) {
  EXPECT_VALID(kToI32, {0x00, 0x6a, kEnd});
  EXPECT_VALID(kToI32, {0x41, 0x00, 0x0f, 0x1a, 0x41, 0x00, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x00, 0x42, 0x00, kEnd});
  // br_table with labels of different types but the same arity in unreachable code.
  EXPECT_VALID(kVoid,
               {0x02, kF64, 0x02, kF32, 0x00, 0x41, 0x01, 0x0e, 0x02, 0x00, 0x01, 0x01, kEnd,
                0x1a, 0x44, 0,    0,    0,    0,    0,    0,    0,    0,    kEnd, 0x1a, kEnd});
  EXPECT_INVALID("type mismatch", kVoid,
                 {0x02, kI32, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, kEnd, 0x41, 0x00,
                  kEnd, 0x1a, kEnd});
}

TEST(FunctionValidatorTest, Select) {
  EXPECT_VALID(kToI32, {0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1b, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1b, kEnd});
  // Untyped select on references is not allowed; typed select is.
  EXPECT_INVALID("type mismatch", kVoid,
                 {0xd0, kFuncRef, 0xd0, kFuncRef, 0x41, 0x00, 0x1b, 0x1a, kEnd});
  EXPECT_VALID(kVoid,
               {0xd0, kFuncRef, 0xd0, kFuncRef, 0x41, 0x00, 0x1c, 0x01, kFuncRef, 0x1a, kEnd});
  EXPECT_INVALID("invalid result arity", kVoid,
                 {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, 0x02, kI32, kI32, 0x1a, kEnd});
}

TEST(FunctionValidatorTest, MemoryInstructions) {
  EXPECT_VALID(kToI32, {0x41, 0x00, 0x28, 0x02, 0x10, kEnd});
  EXPECT_INVALID("alignment must not be larger than natural", kToI32,
                 {0x41, 0x00, 0x28, 0x03, 0x00, kEnd});
  EXPECT_INVALID("alignment must not be larger than natural", kToI32,
                 {0x41, 0x00, 0x2c, 0x01, 0x00, kEnd});
  EXPECT_VALID(kToI32, {0x3f, 0x00, kEnd});
  EXPECT_MALFORMED("zero byte expected", kToI32, {0x3f, 0x01, kEnd});
  EXPECT_VALID(kVoid, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00, kEnd});
  // memory.init without any data segment: the index is unknown.
  EXPECT_INVALID("unknown data segment", kVoid,
                 {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, kEnd});
}

TEST(FunctionValidatorTest, MemoryRequired) {
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kTypeSection, 1, kToI32)
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kCodeSection, 1, CodeEntry({}, {0x41, 0x00, 0x28, 0x02, 0x00, kEnd}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok());
  auto r = ValidateFunctionBody(*m, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("unknown memory", 0), 0u) << r.error().message;
}

TEST(FunctionValidatorTest, CallsAndReferences) {
  EXPECT_VALID(kI32ToI32, {0x20, 0x00, 0x10, 0x00, kEnd});
  EXPECT_INVALID("unknown function", kVoid, {0x10, 0x05, kEnd});
  EXPECT_VALID(kI32ToI32, {0x20, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, kEnd});
  EXPECT_INVALID("unknown table", kI32ToI32, {0x20, 0x00, 0x41, 0x00, 0x11, 0x00, 0x01, kEnd});
  EXPECT_INVALID("undeclared function reference", kVoid, {0xd2, 0x00, 0x1a, kEnd});
  EXPECT_VALID(kToI32, {0xd0, kExternRef, 0xd1, kEnd});
  EXPECT_INVALID("type mismatch", kToI32, {0x41, 0x00, 0xd1, kEnd});
  EXPECT_MALFORMED("malformed reference type", kVoid, {0xd0, kI32, 0x1a, kEnd});
}

TEST(FunctionValidatorTest, TableInstructions) {
  EXPECT_VALID(kToI32, {0xfc, 0x10, 0x00, kEnd});
  EXPECT_INVALID("unknown table", kToI32, {0xfc, 0x10, 0x01, kEnd});
  EXPECT_VALID(kVoid, {0x41, 0x00, 0x25, 0x00, 0x1a, kEnd});
  EXPECT_INVALID("type mismatch", kVoid, {0x41, 0x00, 0xd0, kExternRef, 0x26, 0x00, kEnd});
  EXPECT_INVALID("unknown elem segment", kVoid, {0xfc, 0x0d, 0x00, kEnd});
}

TEST(FunctionValidatorTest, MalformedBodies) {
  EXPECT_MALFORMED("illegal opcode", kVoid, {0x06, kEnd});
  EXPECT_MALFORMED("illegal opcode", kVoid, {0xfc, 0x7f, kEnd});
  EXPECT_MALFORMED("unexpected end", kVoid, {0x41});
  EXPECT_MALFORMED("unexpected end", kVoid, {0x02, 0x40, kEnd});
  EXPECT_MALFORMED("section size mismatch", kVoid, {kEnd, 0x01});
}

TEST(FunctionValidatorTest, DataCountRequiredWithDataSegments) {
  Bytes body = CodeEntry({}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, kEnd});
  Bytes data = Cat({{0x01}, Name("x")});
  Bytes without = WasmModuleBuilder()
                      .Vec(kTypeSection, 1, kVoid)
                      .Vec(kFunctionSection, 1, {0x00})
                      .Vec(kMemorySection, 1, {0x00, 0x01})
                      .Vec(kCodeSection, 1, body)
                      .Vec(kDataSection, 1, data)
                      .Build();
  auto m = DecodeModule(without);
  ASSERT_TRUE(m.ok());
  auto r = ValidateFunctionBody(*m, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r.error().message.rfind("data count section required", 0), 0u) << r.error().message;

  Bytes with = WasmModuleBuilder()
                   .Vec(kTypeSection, 1, kVoid)
                   .Vec(kFunctionSection, 1, {0x00})
                   .Vec(kMemorySection, 1, {0x00, 0x01})
                   .Section(kDataCountSection, {0x01})
                   .Vec(kCodeSection, 1, body)
                   .Vec(kDataSection, 1, data)
                   .Build();
  auto m2 = DecodeModule(with);
  ASSERT_TRUE(m2.ok());
  EXPECT_TRUE(ValidateFunctionBody(*m2, 0).ok());
}

TEST(FunctionValidatorTest, ConsumerSeesEveryInstructionWithState) {
  Bytes bytes = SingleFunctionModule(kToI32, {0x41, 0x07, 0x0e, 0x01, 0x00, 0x00, kEnd});
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok());
  struct Recorder {
    std::vector<Opcode> ops;
    std::vector<bool> unreachable;
    std::vector<uint32_t> targets;
    Result<void> OnInstr(const Instr& instr, const FunctionValidator& v) {
      ops.push_back(instr.op);
      unreachable.push_back(v.unreachable());
      if (instr.op == Opcode::BrTable)
        targets.assign(instr.br_targets.begin(), instr.br_targets.end());
      return Ok();
    }
  } recorder;
  // br_table needs an i32 result on the stack for label 0 (the function): push one first.
  ASSERT_FALSE(DecodeFunction(*m, 0, recorder).ok());  // only the index is on the stack
  Bytes ok_bytes =
      SingleFunctionModule(kToI32, {0x41, 0x05, 0x41, 0x07, 0x0e, 0x01, 0x00, 0x00, kEnd});
  auto m2 = DecodeModule(ok_bytes);
  ASSERT_TRUE(m2.ok());
  Recorder r2;
  ASSERT_TRUE(DecodeFunction(*m2, 0, r2).ok());
  EXPECT_EQ(r2.ops, (std::vector<Opcode>{Opcode::I32Const, Opcode::I32Const, Opcode::BrTable,
                                         Opcode::End}));
  // After the final `end` no frame is left, so nothing is unreachable.
  EXPECT_EQ(r2.unreachable, (std::vector<bool>{false, false, true, false}));
  EXPECT_EQ(r2.targets, (std::vector<uint32_t>{0, 0}));
}

}  // namespace
}  // namespace wasmgrind
