// ValidateModule: everything outside function bodies.
#include "module_validator.h"

#include <gtest/gtest.h>

#include "module_builder.h"
#include "module_decoder.h"

namespace wasmgrind {
namespace {

using namespace test;

std::string Validate(const Bytes& bytes) {
  auto m = DecodeModule(bytes);
  if (!m.ok()) return "malformed: " + m.error().message;
  auto r = ValidateModule(*m);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
  return r.error().message;
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

TEST(ModuleValidatorTest, TypeIndices) {
  Bytes ok = ModuleBuilder().Vec(1, 1, FuncTypeBytes({}, {})).Vec(3, 1, {0x00}).Vec(10, 1, Body({}, 0, {kEnd})).bytes();
  EXPECT_EQ(Validate(ok), "ok");
  Bytes bad = ModuleBuilder().Vec(3, 1, {0x00}).Vec(10, 1, Body({}, 0, {kEnd})).bytes();
  EXPECT_TRUE(StartsWith(Validate(bad), "unknown type"));
  Bytes bad_import = ModuleBuilder().Vec(2, 1, Cat({Name("a"), Name("b"), {0x00, 0x03}})).bytes();
  EXPECT_TRUE(StartsWith(Validate(bad_import), "unknown type"));
}

TEST(ModuleValidatorTest, Limits) {
  EXPECT_EQ(Validate(ModuleBuilder().Vec(5, 1, Cat({{0x01}, Leb(65536), Leb(65536)})).bytes()), "ok");
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(5, 1, Cat({{0x00}, Leb(65537)})).bytes()),
                         "memory size must be at most 65536 pages (4GiB)"));
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(5, 1, {0x01, 0x02, 0x01}).bytes()),
                         "size minimum must not be greater than maximum"));
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(4, 1, {kFuncRef, 0x01, 0x02, 0x01}).bytes()),
                         "size minimum must not be greater than maximum"));
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(5, 2, {0x00, 0x00, 0x00, 0x00}).bytes()), "multiple memories"));
  EXPECT_EQ(Validate(ModuleBuilder().Vec(4, 2, {kFuncRef, 0x00, 0x00, kExternRef, 0x00, 0x00}).bytes()), "ok");
}

TEST(ModuleValidatorTest, Globals) {
  EXPECT_EQ(Validate(ModuleBuilder().Vec(6, 1, {kI32, 0x00, 0x41, 0x00, kEnd}).bytes()), "ok");
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(6, 1, {kI32, 0x00, 0x42, 0x00, kEnd}).bytes()), "type mismatch"));
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(6, 1, {kI32, 0x00, kEnd}).bytes()), "type mismatch"));
  EXPECT_TRUE(StartsWith(Validate(ModuleBuilder().Vec(6, 1, {kI32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, kEnd}).bytes()),
                         "constant expression required"));
  // global.get may read an imported immutable global, not a defined one or a mutable one.
  Bytes imported = ModuleBuilder()
                       .Vec(2, 1, Cat({Name("a"), Name("g"), {0x03, kI32, 0x00}}))
                       .Vec(6, 1, {kI32, 0x00, 0x23, 0x00, kEnd})
                       .bytes();
  EXPECT_EQ(Validate(imported), "ok");
  Bytes defined = ModuleBuilder().Vec(6, 2, {kI32, 0x00, 0x41, 0x00, kEnd, kI32, 0x00, 0x23, 0x00, kEnd}).bytes();
  EXPECT_TRUE(StartsWith(Validate(defined), "unknown global"));
  Bytes mutable_import = ModuleBuilder()
                             .Vec(2, 1, Cat({Name("a"), Name("g"), {0x03, kI32, 0x01}}))
                             .Vec(6, 1, {kI32, 0x00, 0x23, 0x00, kEnd})
                             .bytes();
  EXPECT_TRUE(StartsWith(Validate(mutable_import), "constant expression required"));
}

TEST(ModuleValidatorTest, ExportsAndStart) {
  Bytes base_funcs = Cat({});
  Bytes dup = ModuleBuilder()
                  .Vec(1, 1, FuncTypeBytes({}, {}))
                  .Vec(3, 1, {0x00})
                  .Vec(7, 2, Cat({Name("a"), {0x00, 0x00}, Name("a"), {0x00, 0x00}}))
                  .Vec(10, 1, Body({}, 0, {kEnd}))
                  .bytes();
  EXPECT_TRUE(StartsWith(Validate(dup), "duplicate export name"));
  Bytes unknown = ModuleBuilder().Vec(7, 1, Cat({Name("m"), {0x02, 0x00}})).bytes();
  EXPECT_TRUE(StartsWith(Validate(unknown), "unknown memory"));
  Bytes start_ok = ModuleBuilder().Vec(1, 1, FuncTypeBytes({}, {})).Vec(3, 1, {0x00}).Section(8, {0x00})
                       .Vec(10, 1, Body({}, 0, {kEnd})).bytes();
  EXPECT_EQ(Validate(start_ok), "ok");
  Bytes start_bad = ModuleBuilder().Vec(1, 1, FuncTypeBytes({kI32}, {})).Vec(3, 1, {0x00}).Section(8, {0x00})
                        .Vec(10, 1, Body({}, 0, {kEnd})).bytes();
  EXPECT_TRUE(StartsWith(Validate(start_bad), "start function"));
  Bytes start_unknown = ModuleBuilder().Section(8, {0x03}).bytes();
  EXPECT_TRUE(StartsWith(Validate(start_unknown), "unknown function"));
}

TEST(ModuleValidatorTest, Segments) {
  Bytes elem_no_table = ModuleBuilder().Vec(9, 1, {0x00, 0x41, 0x00, kEnd, 0x00}).bytes();
  EXPECT_TRUE(StartsWith(Validate(elem_no_table), "unknown table"));
  Bytes elem_type = ModuleBuilder()
                        .Vec(4, 1, {kExternRef, 0x00, 0x01})
                        .Vec(9, 1, {0x04, 0x41, 0x00, kEnd, 0x00})
                        .bytes();
  EXPECT_TRUE(StartsWith(Validate(elem_type), "type mismatch"));
  Bytes elem_unknown_func = ModuleBuilder()
                                .Vec(4, 1, {kFuncRef, 0x00, 0x01})
                                .Vec(9, 1, {0x00, 0x41, 0x00, kEnd, 0x01, 0x04})
                                .bytes();
  EXPECT_TRUE(StartsWith(Validate(elem_unknown_func), "unknown function"));
  Bytes data_no_memory = ModuleBuilder().Vec(11, 1, Cat({{0x00, 0x41, 0x00, kEnd}, Name("x")})).bytes();
  EXPECT_TRUE(StartsWith(Validate(data_no_memory), "unknown memory"));
  Bytes data_offset_type = ModuleBuilder()
                               .Vec(5, 1, {0x00, 0x01})
                               .Vec(11, 1, Cat({{0x00, 0x42, 0x00, kEnd}, Name("x")}))
                               .bytes();
  EXPECT_TRUE(StartsWith(Validate(data_offset_type), "type mismatch"));
}

TEST(ModuleValidatorTest, MalformedBodyWinsOverInvalidModule) {
  // Two memories (invalid) and a body with an illegal opcode (malformed): the spec decodes
  // everything before validating, so the module is malformed.
  Bytes bytes = ModuleBuilder()
                    .Vec(1, 1, FuncTypeBytes({}, {}))
                    .Vec(3, 1, {0x00})
                    .Vec(5, 2, {0x00, 0x00, 0x00, 0x00})
                    .Vec(10, 1, Body({}, 0, {0x06, kEnd}))
                    .bytes();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok());
  auto r = ValidateModule(*m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

}  // namespace
}  // namespace wasmgrind
