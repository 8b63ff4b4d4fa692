// Reading wast2json output into commands; bad input comes back as an Error, not an exception.
#include "wast_script.h"

#include <gtest/gtest.h>

namespace wasmgrind {
namespace {

constexpr const char* kScript = R"({"source_filename": "t.wast", "commands": [
  {"type": "module", "line": 1, "filename": "t.0.wasm"},
  {"type": "module", "line": 2, "name": "$M", "filename": "t.1.wasm"},
  {"type": "register", "line": 3, "name": "$M", "as": "m"},
  {"type": "assert_return", "line": 4, "action": {"type": "invoke", "field": "add",
     "args": [{"type": "i32", "value": "1"}, {"type": "f32", "value": "1065353216"}]},
   "expected": [{"type": "f64", "value": "nan:canonical"}, {"type": "funcref"}]},
  {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "module": "$M", "field": "f", "args": []},
   "text": "unreachable", "expected": [{"type": "i32"}]},
  {"type": "action", "line": 6, "action": {"type": "get", "field": "g"}, "expected": []},
  {"type": "assert_malformed", "line": 7, "filename": "t.2.wat", "text": "unexpected token", "module_type": "text"},
  {"type": "assert_invalid", "line": 8, "filename": "t.3.wasm", "text": "type mismatch", "module_type": "binary"},
  {"type": "assert_return", "line": 9, "action": {"type": "invoke", "field": "v",
     "args": [{"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]}]}, "expected": []},
  {"type": "assert_frobnicate", "line": 10}
]})";

TEST(WastScript, ParsesCommands) {
  auto script = ParseWastJson(kScript);
  ASSERT_TRUE(script.ok()) << script.error().message;
  const auto& c = script->commands;
  ASSERT_EQ(c.size(), 10u);

  EXPECT_EQ(c[0].type, WastCommandType::Module);
  EXPECT_EQ(c[0].filename, "t.0.wasm");
  EXPECT_FALSE(c[0].name);
  EXPECT_EQ(c[1].name, "$M");
  EXPECT_EQ(c[2].type, WastCommandType::Register);
  EXPECT_EQ(c[2].as, "m");

  EXPECT_EQ(c[3].type, WastCommandType::AssertReturn);
  EXPECT_EQ(c[3].line, 4u);
  ASSERT_TRUE(c[3].action);
  EXPECT_EQ(c[3].action->field, "add");
  ASSERT_EQ(c[3].action->args.size(), 2u);
  EXPECT_EQ(c[3].action->args[1].type, ValType::F32);
  EXPECT_EQ(c[3].action->args[1].f32(), 1.0f);
  ASSERT_EQ(c[3].expected.size(), 2u);
  EXPECT_EQ(c[3].expected[0].kind, ExpectedValue::Kind::CanonicalNan);
  EXPECT_EQ(c[3].expected[1].kind, ExpectedValue::Kind::NonNullRef);

  // assert_trap lists result types without values: not an error.
  EXPECT_EQ(c[4].type, WastCommandType::AssertTrap);
  EXPECT_FALSE(c[4].unsupported);
  EXPECT_EQ(c[4].action->module, "$M");
  EXPECT_EQ(c[4].text, "unreachable");

  EXPECT_EQ(c[5].action->type, WastAction::Type::Get);
  EXPECT_TRUE(c[6].text_module);
  EXPECT_FALSE(c[7].text_module);
  EXPECT_EQ(c[7].type, WastCommandType::AssertInvalid);

  // Unrepresentable commands are kept, marked, and do not stop the script.
  EXPECT_TRUE(c[8].unsupported);
  EXPECT_EQ(c[9].type, WastCommandType::Unknown);
  EXPECT_TRUE(c[9].unsupported);
}

TEST(WastScript, BadJsonIsAnError) {
  auto not_json = ParseWastJson("{\"commands\": [");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().kind, ErrorKind::Malformed);
  EXPECT_FALSE(ParseWastJson("{}").ok());
  EXPECT_FALSE(ParseWastJson(R"({"commands": [{"type": "module"}]})").ok());  // no line
  EXPECT_FALSE(ParseWastJson(R"({"commands": [{"type": 3, "line": 1}]})").ok());
}

TEST(WastScript, CommandNames) {
  EXPECT_EQ(WastCommandTypeName(WastCommandType::AssertUninstantiable), "assert_uninstantiable");
  EXPECT_EQ(WastCommandTypeName(WastCommandType::Unknown), "unknown");
}

}  // namespace
}  // namespace wasmgrind
