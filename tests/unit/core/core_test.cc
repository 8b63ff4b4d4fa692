// The core .cc files: opcode lookup over the whole table, and the ToString helpers.
#include <gtest/gtest.h>

#include "vm/module_info.h"
#include "vm/opcode.h"
#include "vm/result.h"
#include "vm/value.h"

namespace wasmgrind {
namespace {

TEST(CoreTest, LookupOpcodeRoundTripsEveryRow) {
  for (uint32_t i = 0; i < kOpcodeCount; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    auto op = LookupOpcode(info.prefix, info.code);
    ASSERT_TRUE(op.has_value()) << info.name;
    EXPECT_EQ(static_cast<uint32_t>(*op), i) << info.name;
  }
  EXPECT_FALSE(LookupOpcode(0, 0x06).has_value());
  EXPECT_FALSE(LookupOpcode(0, 0xfc).has_value());
  EXPECT_FALSE(LookupOpcode(0xfc, 0x12).has_value());
  EXPECT_FALSE(LookupOpcode(0xfc, 0xffffffff).has_value());
  EXPECT_FALSE(LookupOpcode(0xfd, 0x00).has_value());
}

TEST(CoreTest, ToStrings) {
  EXPECT_EQ(Error::Make(ErrorKind::Malformed, "bad", 0x1f).ToString(), "bad (at offset 0x1f)");
  EXPECT_EQ(Error::Make(ErrorKind::Invalid, "worse").ToString(), "worse");
  FuncType type{{ValType::I32, ValType::I64}, {ValType::F32}};
  EXPECT_EQ(type.ToString(), "(i32, i64) -> (f32)");
  EXPECT_EQ(FuncType{}.ToString(), "() -> ()");
  EXPECT_EQ(Value::I32(static_cast<uint32_t>(-5)).ToString(), "i32:-5");
  EXPECT_EQ(Value::I64(42).ToString(), "i64:42");
  EXPECT_EQ(Value::F64(1.5).ToString(), "f64:1.5");
  EXPECT_EQ(Value::F32Bits(0x7fc00001).ToString(), "f32:nan(0x7fc00001)");
  EXPECT_EQ(Value::Null(ValType::FuncRef).ToString(), "funcref:null");
  EXPECT_EQ(Value::ExternRef(0x10).ToString(), "externref:0x10");
}

TEST(CoreTest, ModuleInfoLookups) {
  ModuleInfo m;
  m.names.functions[2] = "main";
  EXPECT_EQ(m.FunctionName(2), "main");
  EXPECT_EQ(m.FunctionName(3), "func[3]");
  m.customs.push_back(CustomSection{".debug_info", 10, 20});
  ASSERT_NE(m.FindCustom(".debug_info"), nullptr);
  EXPECT_EQ(m.FindCustom(".debug_info")->data_size, 20u);
  EXPECT_EQ(m.FindCustom("name"), nullptr);
}

}  // namespace
}  // namespace wasmgrind
