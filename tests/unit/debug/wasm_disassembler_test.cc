// The disassembler: every immediate kind's text, float formatting, a hand-built function's
// whole listing (offsets, indentation of blocks, else and end), and lookup by offset.
#include "vm/debug/wasm_disassembler.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>

#include "common/wasm_module_builder.h"
#include "vm/debug/function_names.h"
#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"

namespace wasmgrind {
namespace {

using namespace test;

Instr Make(Opcode op) {
  Instr instr;
  instr.op = op;
  return instr;
}

class FormatInstrTest : public ::testing::Test {
 protected:
  std::string Text(const Instr& instr) { return FormatInstr(instr, module_); }
  ModuleInfo module_;
};

TEST_F(FormatInstrTest, NoImmediates) {
  EXPECT_EQ(Text(Make(Opcode::I32Add)), "i32.add");
  EXPECT_EQ(Text(Make(Opcode::Unreachable)), "unreachable");
  EXPECT_EQ(Text(Make(Opcode::MemoryCopy)), "memory.copy");
  EXPECT_EQ(Text(Make(Opcode::MemoryGrow)), "memory.grow");
}

TEST_F(FormatInstrTest, Blocks) {
  Instr block = Make(Opcode::Block);
  EXPECT_EQ(Text(block), "block");
  block.block.kind = BlockType::Kind::Value;
  block.block.value = ValType::I64;
  EXPECT_EQ(Text(block), "block (result i64)");
  Instr loop = Make(Opcode::Loop);
  loop.block.kind = BlockType::Kind::TypeIndex;
  loop.block.type_index = 3;
  EXPECT_EQ(Text(loop), "loop (type 3)");
}

TEST_F(FormatInstrTest, IndexesAndLabels) {
  Instr br = Make(Opcode::Br);
  br.index = 2;
  EXPECT_EQ(Text(br), "br 2");
  Instr local = Make(Opcode::LocalTee);
  local.index = 7;
  EXPECT_EQ(Text(local), "local.tee 7");
  const uint32_t targets[] = {0, 1, 2};
  Instr table = Make(Opcode::BrTable);
  table.br_targets = targets;
  EXPECT_EQ(Text(table), "br_table 0 1 2");
}

TEST_F(FormatInstrTest, CallsUseNames) {
  module_.names.functions[3] = "main";
  module_.names.globals[0] = "__stack_pointer";
  Instr call = Make(Opcode::Call);
  call.index = 3;
  EXPECT_EQ(Text(call), "call 3 <main>");
  call.index = 4;
  EXPECT_EQ(Text(call), "call 4 <func[4]>");
  Instr ref = Make(Opcode::RefFunc);
  ref.index = 3;
  EXPECT_EQ(Text(ref), "ref.func 3 <main>");
  Instr global = Make(Opcode::GlobalGet);
  EXPECT_EQ(Text(global), "global.get 0 <__stack_pointer>");
  global.index = 1;
  EXPECT_EQ(Text(global), "global.get 1");
  Instr indirect = Make(Opcode::CallIndirect);
  indirect.index = 2;
  EXPECT_EQ(Text(indirect), "call_indirect (type 2)");
  indirect.index2 = 1;
  EXPECT_EQ(Text(indirect), "call_indirect 1 (type 2)");
}

TEST_F(FormatInstrTest, MemoryArguments) {
  Instr load = Make(Opcode::I32Load);
  load.mem.align_log2 = 2;
  load.mem.offset = 8;
  EXPECT_EQ(Text(load), "i32.load offset=8 align=4");
  Instr store = Make(Opcode::I64Store8);
  EXPECT_EQ(Text(store), "i64.store8 align=1");
}

TEST_F(FormatInstrTest, Constants) {
  Instr i32 = Make(Opcode::I32Const);
  i32.bits = static_cast<uint64_t>(int64_t{-5});
  EXPECT_EQ(Text(i32), "i32.const -5");
  Instr i64 = Make(Opcode::I64Const);
  i64.bits = 0x8000000000000000ull;
  EXPECT_EQ(Text(i64), "i64.const -9223372036854775808");
  Instr f64 = Make(Opcode::F64Const);
  f64.bits = std::bit_cast<uint64_t>(1.5);
  EXPECT_EQ(Text(f64), "f64.const 0x1.8p+0");
  Instr f32 = Make(Opcode::F32Const);
  f32.bits = std::bit_cast<uint32_t>(-0.25f);
  EXPECT_EQ(Text(f32), "f32.const -0x1p-2");
}

TEST(FormatFloatTest, SpecialValues) {
  EXPECT_EQ(FormatF32(0x7f800000), "inf");
  EXPECT_EQ(FormatF32(0xff800000), "-inf");
  EXPECT_EQ(FormatF32(0x7fc00000), "nan");
  EXPECT_EQ(FormatF32(0xffc00000), "-nan");
  EXPECT_EQ(FormatF32(0x7fa00000), "nan:0x200000");
  EXPECT_EQ(FormatF64(0x7ff8000000000000ull), "nan");
  EXPECT_EQ(FormatF64(0x7ff0000000000001ull), "nan:0x1");
  EXPECT_EQ(FormatF64(0x8000000000000000ull), "-0x0p+0");
  EXPECT_EQ(FormatF64(std::bit_cast<uint64_t>(0.1)), "0x1.999999999999ap-4");
}

TEST_F(FormatInstrTest, ReferencesTablesAndSegments) {
  Instr null = Make(Opcode::RefNull);
  null.type = ValType::ExternRef;
  EXPECT_EQ(Text(null), "ref.null extern");
  null.type = ValType::FuncRef;
  EXPECT_EQ(Text(null), "ref.null func");
  Instr select = Make(Opcode::SelectT);
  select.type = ValType::F32;
  EXPECT_EQ(Text(select), "select (result f32)");
  Instr init = Make(Opcode::MemoryInit);
  init.index = 1;
  EXPECT_EQ(Text(init), "memory.init 1");
  Instr drop = Make(Opcode::DataDrop);
  drop.index = 1;
  EXPECT_EQ(Text(drop), "data.drop 1");
  Instr table_init = Make(Opcode::TableInit);
  table_init.index = 4;  // element segment
  EXPECT_EQ(Text(table_init), "table.init 4");
  table_init.index2 = 1;  // table
  EXPECT_EQ(Text(table_init), "table.init 1 4");
  Instr copy = Make(Opcode::TableCopy);
  EXPECT_EQ(Text(copy), "table.copy");
  copy.index = 1;
  EXPECT_EQ(Text(copy), "table.copy 1 0");
  Instr get = Make(Opcode::TableGet);
  EXPECT_EQ(Text(get), "table.get 0");
}

// (func (param i32) (result i32) (local i32) ...) with nested blocks, if/else and loop.
struct Line {
  uint32_t length;  // encoded bytes
  const char* text;
};
const Line kListing[] = {
    {2, "block (result i32)"},
    {2, "  local.get 0"},
    {2, "  local.get 0"},
    {4, "  br_table 0 0"},
    {1, "end"},
    {3, "i32.load offset=8 align=4"},
    {2, "if (result i32)"},
    {2, "  i32.const -5"},
    {1, "else"},
    {3, "  i32.const 100"},
    {1, "end"},
    {2, "call 0 <func[0]>"},
    {9, "f64.const 0x1.8p+0"},
    {1, "drop"},
    {5, "f32.const -inf"},
    {1, "drop"},
    {2, "loop"},
    {2, "  local.get 1"},
    {2, "  br_if 0"},
    {1, "end"},
    {1, "end"},
};

ModuleInfo ListingModule() {
  const Bytes instrs = {0x02, 0x7f, 0x20, 0x00, 0x20, 0x00, 0x0e, 0x01, 0x00, 0x00,
                        0x0b, 0x28, 0x02, 0x08, 0x04, 0x7f, 0x41, 0x7b, 0x05, 0x41,
                        0xe4, 0x00, 0x0b, 0x10, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00,
                        0x00, 0x00, 0xf8, 0x3f, 0x1a, 0x43, 0x00, 0x00, 0x80, 0xff,
                        0x1a, 0x03, 0x40, 0x20, 0x01, 0x0d, 0x00, 0x0b, 0x0b};
  Result<ModuleInfo> module =
      DecodeModule(SingleFunctionModule(FuncTypeEntry({kI32}, {kI32}), instrs, {{1, kI32}}));
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return {};
  Result<void> valid = ValidateModule(*module);
  EXPECT_TRUE(valid.ok()) << valid.error().ToString();
  return std::move(module).value();
}

TEST(DisassembleFunctionTest, Listing) {
  const ModuleInfo module = ListingModule();
  ASSERT_EQ(module.codes.size(), 1u);
  std::string expected = "func[0] <func[0]>: (i32) -> (i32)\n local[1..1] i32\n";
  uint32_t offset = module.codes[0].body_offset;
  for (const Line& line : kListing) {
    expected += fmt::format(" {:06x}: {}\n", offset, line.text);
    offset += line.length;
  }
  ASSERT_EQ(offset, module.codes[0].body_end);
  Result<std::string> listing = DisassembleFunction(module, 0);
  ASSERT_TRUE(listing.ok()) << listing.error().ToString();
  EXPECT_EQ(*listing, expected);

  // FunctionNames, when given, name the function and its calls.
  ModuleInfo named = module;
  named.names.functions[0] = "fact";
  const FunctionNames names = FunctionNames::Build(named);
  Result<std::string> with_names = DisassembleFunction(named, 0, &names);
  ASSERT_TRUE(with_names.ok());
  EXPECT_EQ(with_names->substr(0, with_names->find('\n')), "func[0] <fact>: (i32) -> (i32)");
  EXPECT_NE(with_names->find("call 0 <fact>"), std::string::npos);

  EXPECT_FALSE(DisassembleFunction(module, 1).ok());
}

TEST(DisassembleFunctionTest, InstructionAtOffset) {
  const ModuleInfo module = ListingModule();
  const uint32_t body = module.codes[0].body_offset;
  const uint32_t load = body + 2 + 2 + 2 + 4 + 1;
  EXPECT_EQ(FunctionAtOffset(module, load), 0u);
  Result<std::string> text = FormatInstrAt(module, load);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, "i32.load offset=8 align=4");
  EXPECT_FALSE(FormatInstrAt(module, load + 1).ok());  // inside the memarg
  EXPECT_FALSE(FormatInstrAt(module, 0).ok());
  EXPECT_FALSE(FunctionAtOffset(module, module.codes[0].body_end));
}

}  // namespace
}  // namespace wasmgrind
