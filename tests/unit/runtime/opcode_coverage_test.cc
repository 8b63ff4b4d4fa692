// Every instruction of the opcode table, in a function the validator accepts, is one the JIT
// compiles and the disassembler prints. The loop runs over opcodes.def, so a row added without
// a compiler emitter or a disassembler case fails here. Fixed-signature instructions get their
// operands from their signature; the others have a hand-written use below, and a row with
// neither fails too.
#include <gtest/gtest.h>

#include <map>

#include "common/wasm_module_builder.h"
#include "vm/debug/wasm_disassembler.h"
#include "vm/decode/decode_function.h"
#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using namespace test;

constexpr uint8_t kEmptyBlock = 0x40;

// The module every instruction is tried in: function 0, () -> (), holds the instruction and has
// one i32 local; function 1, (i32) -> (i32), is the target of call, call_indirect and ref.func
// (declared by the passive element segment); one memory, one funcref table, one mutable i32
// global, one passive data segment.
Bytes ModuleWith(const Bytes& body) {
  WasmModuleBuilder b;
  uint32_t void_type = b.AddType({}, {});
  uint32_t i32_type = b.AddType({ValType::I32}, {ValType::I32});
  b.AddFunc(void_type, body, {{1, ValType::I32}});
  b.AddFunc(i32_type, LocalGet(0));
  b.AddTable(1);
  b.AddMemory(1);
  b.AddGlobal(ValType::I32, /*mut=*/true, I32Const(0));
  b.AddPassiveElem({1});
  b.AddPassiveData("x");
  return b.Build();
}

Bytes ZeroOf(char sig_letter) {
  switch (sig_letter) {
    case 'i': return I32Const(0);
    case 'l': return I64Const(0);
    case 'f': return Cat({Op(Opcode::F32Const), Bytes(4, 0)});
    default: return Cat({Op(Opcode::F64Const), Bytes(8, 0)});
  }
}

// Immediates naming index 0 of whatever the instruction refers to.
Bytes ZeroImmediates(ImmKind kind) {
  switch (kind) {
    case ImmKind::None: return {};
    case ImmKind::I32:
    case ImmKind::I64: return {0x00};
    case ImmKind::F32: return Bytes(4, 0);
    case ImmKind::F64: return Bytes(8, 0);
    case ImmKind::MemArg:  // align, offset
    case ImmKind::MemoryInit:
    case ImmKind::MemoryCopy:
    case ImmKind::TableInit:
    case ImmKind::TableCopy: return {0x00, 0x00};
    default: return {0x00};
  }
}

// A use of a fixed-signature instruction: zero operands, the instruction, its results dropped.
Bytes SignatureUse(Opcode op) {
  std::string_view sig = Info(op).signature;
  size_t colon = sig.find(':');
  Bytes out;
  for (char c : sig.substr(0, colon)) Append(out, ZeroOf(c));
  Append(out, Cat({Op(op), ZeroImmediates(Info(op).imm)}));
  for (size_t i = colon + 1; i < sig.size(); ++i) Append(out, Op(Opcode::Drop));
  return out;
}

const Bytes kRefNullFunc = Op(Opcode::RefNull, {kFuncRef});

// Uses of the instructions the validator types by hand (empty signature).
const std::map<Opcode, Bytes>& HandWrittenUses() {
  static const std::map<Opcode, Bytes> uses = {
      {Opcode::Unreachable, Op(Opcode::Unreachable)},
      {Opcode::Block, Cat({Op(Opcode::Block, {kEmptyBlock}), Op(Opcode::End)})},
      {Opcode::Loop, Cat({Op(Opcode::Loop, {kEmptyBlock}), Op(Opcode::End)})},
      {Opcode::If, Cat({I32Const(0), Op(Opcode::If, {kEmptyBlock}), Op(Opcode::End)})},
      {Opcode::Else,
       Cat({I32Const(0), Op(Opcode::If, {kEmptyBlock}), Op(Opcode::Else), Op(Opcode::End)})},
      {Opcode::End, Cat({Op(Opcode::Block, {kEmptyBlock}), Op(Opcode::End)})},
      {Opcode::Br, Cat({Op(Opcode::Block, {kEmptyBlock}), Op(Opcode::Br, {0}), Op(Opcode::End)})},
      {Opcode::BrIf, Cat({Op(Opcode::Block, {kEmptyBlock}), I32Const(0), Op(Opcode::BrIf, {0}),
                          Op(Opcode::End)})},
      {Opcode::BrTable, Cat({Op(Opcode::Block, {kEmptyBlock}), LocalGet(0),
                             Op(Opcode::BrTable, {1, 0, 0}), Op(Opcode::End)})},
      {Opcode::Return, Op(Opcode::Return)},
      {Opcode::Call, Cat({I32Const(0), Op(Opcode::Call, {1}), Op(Opcode::Drop)})},
      {Opcode::CallIndirect,
       Cat({I32Const(0), I32Const(0), Op(Opcode::CallIndirect, {1, 0}), Op(Opcode::Drop)})},
      {Opcode::Drop, Cat({I32Const(0), Op(Opcode::Drop)})},
      {Opcode::Select,
       Cat({LocalGet(0), I32Const(1), LocalGet(0), Op(Opcode::Select), Op(Opcode::Drop)})},
      {Opcode::SelectT, Cat({LocalGet(0), I32Const(1), LocalGet(0), Op(Opcode::SelectT, {1, kI32}),
                             Op(Opcode::Drop)})},
      {Opcode::LocalGet, Cat({LocalGet(0), Op(Opcode::Drop)})},
      {Opcode::LocalSet, Cat({I32Const(0), Op(Opcode::LocalSet, {0})})},
      {Opcode::LocalTee, Cat({I32Const(0), Op(Opcode::LocalTee, {0}), Op(Opcode::Drop)})},
      {Opcode::GlobalGet, Cat({Op(Opcode::GlobalGet, {0}), Op(Opcode::Drop)})},
      {Opcode::GlobalSet, Cat({I32Const(0), Op(Opcode::GlobalSet, {0})})},
      {Opcode::TableGet, Cat({I32Const(0), Op(Opcode::TableGet, {0}), Op(Opcode::Drop)})},
      {Opcode::TableSet, Cat({I32Const(0), kRefNullFunc, Op(Opcode::TableSet, {0})})},
      {Opcode::TableGrow,
       Cat({kRefNullFunc, I32Const(0), Op(Opcode::TableGrow, {0}), Op(Opcode::Drop)})},
      {Opcode::TableFill,
       Cat({I32Const(0), kRefNullFunc, I32Const(0), Op(Opcode::TableFill, {0})})},
      {Opcode::RefNull, Cat({kRefNullFunc, Op(Opcode::Drop)})},
      {Opcode::RefIsNull, Cat({kRefNullFunc, Op(Opcode::RefIsNull), Op(Opcode::Drop)})},
      {Opcode::RefFunc, Cat({Op(Opcode::RefFunc, {1}), Op(Opcode::Drop)})},
  };
  return uses;
}

TEST(OpcodeCoverageTest, EveryOpcodeTheValidatorAcceptsCompilesAndDisassembles) {
  Engine engine;
  for (uint32_t i = 0; i < kOpcodeCount; ++i) {
    const auto op = static_cast<Opcode>(i);
    SCOPED_TRACE(std::string(OpcodeText(op)));
    Bytes body;
    if (auto use = HandWrittenUses().find(op); use != HandWrittenUses().end()) {
      body = use->second;
    } else {
      ASSERT_FALSE(Info(op).signature.empty()) << "no signature and no hand-written use";
      body = SignatureUse(op);
    }
    const Bytes bytes = ModuleWith(body);

    auto info = DecodeModule(bytes);
    ASSERT_TRUE(info.ok()) << info.error().ToString();
    ASSERT_TRUE(ValidateModule(*info).ok());
    Result<void> valid = ValidateFunctionBody(*info, 0);
    ASSERT_TRUE(valid.ok()) << valid.error().ToString();

    auto module = Module::Compile(engine, bytes);
    EXPECT_TRUE(module.ok()) << module.error().ToString();

    auto text = DisassembleFunction(*info, 0);
    ASSERT_TRUE(text.ok()) << text.error().ToString();
    EXPECT_NE(text->find(std::string(OpcodeText(op))), std::string::npos) << *text;
  }
}

}  // namespace
}  // namespace wasmgrind
