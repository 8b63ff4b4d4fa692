// ValidateModule: everything outside function bodies.
#include "vm/decode/module_validator.h"

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/decode/module_decoder.h"

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

// Validates a module of one hand-written section.
std::string ValidateSection(uint8_t id, uint32_t count, const Bytes& entries) {
  return Validate(WasmModuleBuilder().Vec(id, count, entries).Build());
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

TEST(ModuleValidatorTest, TypeIndices) {
  Bytes ok = WasmModuleBuilder()
                 .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                 .Vec(kFunctionSection, 1, {0x00})
                 .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                 .Build();
  EXPECT_EQ(Validate(ok), "ok");
  Bytes bad = WasmModuleBuilder()
                  .Vec(kFunctionSection, 1, {0x00})
                  .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                  .Build();
  EXPECT_TRUE(StartsWith(Validate(bad), "unknown type"));
  Bytes bad_import = Cat({Name("a"), Name("b"), {0x00, 0x03}});
  EXPECT_TRUE(StartsWith(ValidateSection(kImportSection, 1, bad_import), "unknown type"));
}

TEST(ModuleValidatorTest, Limits) {
  EXPECT_EQ(ValidateSection(kMemorySection, 1, Cat({{0x01}, Uleb(65536), Uleb(65536)})), "ok");
  EXPECT_TRUE(StartsWith(ValidateSection(kMemorySection, 1, Cat({{0x00}, Uleb(65537)})),
                         "memory size must be at most 65536 pages (4GiB)"));
  EXPECT_TRUE(StartsWith(ValidateSection(kMemorySection, 1, {0x01, 0x02, 0x01}),
                         "size minimum must not be greater than maximum"));
  EXPECT_TRUE(StartsWith(ValidateSection(kTableSection, 1, {kFuncRef, 0x01, 0x02, 0x01}),
                         "size minimum must not be greater than maximum"));
  EXPECT_TRUE(StartsWith(ValidateSection(kMemorySection, 2, {0x00, 0x00, 0x00, 0x00}),
                         "multiple memories"));
  EXPECT_EQ(ValidateSection(kTableSection, 2, {kFuncRef, 0x00, 0x00, kExternRef, 0x00, 0x00}),
            "ok");
}

TEST(ModuleValidatorTest, Globals) {
  EXPECT_EQ(ValidateSection(kGlobalSection, 1, {kI32, 0x00, 0x41, 0x00, kEnd}), "ok");
  EXPECT_TRUE(StartsWith(ValidateSection(kGlobalSection, 1, {kI32, 0x00, 0x42, 0x00, kEnd}),
                         "type mismatch"));
  EXPECT_TRUE(StartsWith(ValidateSection(kGlobalSection, 1, {kI32, 0x00, kEnd}), "type mismatch"));
  EXPECT_TRUE(StartsWith(
      ValidateSection(kGlobalSection, 1, {kI32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, kEnd}),
      "constant expression required"));
  // global.get may read an imported immutable global, not a defined one or a mutable one.
  Bytes imported = WasmModuleBuilder()
                       .Vec(kImportSection, 1, Cat({Name("a"), Name("g"), {0x03, kI32, 0x00}}))
                       .Vec(kGlobalSection, 1, {kI32, 0x00, 0x23, 0x00, kEnd})
                       .Build();
  EXPECT_EQ(Validate(imported), "ok");
  Bytes defined{kI32, 0x00, 0x41, 0x00, kEnd, kI32, 0x00, 0x23, 0x00, kEnd};
  EXPECT_TRUE(StartsWith(ValidateSection(kGlobalSection, 2, defined), "unknown global"));
  Bytes mutable_import =
      WasmModuleBuilder()
          .Vec(kImportSection, 1, Cat({Name("a"), Name("g"), {0x03, kI32, 0x01}}))
          .Vec(kGlobalSection, 1, {kI32, 0x00, 0x23, 0x00, kEnd})
          .Build();
  EXPECT_TRUE(StartsWith(Validate(mutable_import), "constant expression required"));
}

TEST(ModuleValidatorTest, ExportsAndStart) {
  Bytes base_funcs = Cat({});
  Bytes dup = WasmModuleBuilder()
                  .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                  .Vec(kFunctionSection, 1, {0x00})
                  .Vec(kExportSection, 2, Cat({Name("a"), {0x00, 0x00}, Name("a"), {0x00, 0x00}}))
                  .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                  .Build();
  EXPECT_TRUE(StartsWith(Validate(dup), "duplicate export name"));
  Bytes unknown =
      WasmModuleBuilder().Vec(kExportSection, 1, Cat({Name("m"), {0x02, 0x00}})).Build();
  EXPECT_TRUE(StartsWith(Validate(unknown), "unknown memory"));
  Bytes start_ok = WasmModuleBuilder()
                       .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                       .Vec(kFunctionSection, 1, {0x00})
                       .Section(kStartSection, {0x00})
                       .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                       .Build();
  EXPECT_EQ(Validate(start_ok), "ok");
  Bytes start_bad = WasmModuleBuilder()
                        .Vec(kTypeSection, 1, FuncTypeEntry({kI32}, {}))
                        .Vec(kFunctionSection, 1, {0x00})
                        .Section(kStartSection, {0x00})
                        .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                        .Build();
  EXPECT_TRUE(StartsWith(Validate(start_bad), "start function"));
  Bytes start_unknown = WasmModuleBuilder().Section(kStartSection, {0x03}).Build();
  EXPECT_TRUE(StartsWith(Validate(start_unknown), "unknown function"));
}

TEST(ModuleValidatorTest, Segments) {
  EXPECT_TRUE(StartsWith(ValidateSection(kElementSection, 1, {0x00, 0x41, 0x00, kEnd, 0x00}),
                         "unknown table"));
  Bytes elem_type = WasmModuleBuilder()
                        .Vec(kTableSection, 1, {kExternRef, 0x00, 0x01})
                        .Vec(kElementSection, 1, {0x04, 0x41, 0x00, kEnd, 0x00})
                        .Build();
  EXPECT_TRUE(StartsWith(Validate(elem_type), "type mismatch"));
  Bytes elem_unknown_func = WasmModuleBuilder()
                                .Vec(kTableSection, 1, {kFuncRef, 0x00, 0x01})
                                .Vec(kElementSection, 1, {0x00, 0x41, 0x00, kEnd, 0x01, 0x04})
                                .Build();
  EXPECT_TRUE(StartsWith(Validate(elem_unknown_func), "unknown function"));
  Bytes data_no_memory = Cat({{0x00, 0x41, 0x00, kEnd}, Name("x")});
  EXPECT_TRUE(StartsWith(ValidateSection(kDataSection, 1, data_no_memory), "unknown memory"));
  Bytes data_offset_type = WasmModuleBuilder()
                               .Vec(kMemorySection, 1, {0x00, 0x01})
                               .Vec(kDataSection, 1, Cat({{0x00, 0x42, 0x00, kEnd}, Name("x")}))
                               .Build();
  EXPECT_TRUE(StartsWith(Validate(data_offset_type), "type mismatch"));
}

TEST(ModuleValidatorTest, MalformedBodyWinsOverInvalidModule) {
  // Two memories (invalid) and a body with an illegal opcode (malformed): the spec decodes
  // everything before validating, so the module is malformed.
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kMemorySection, 2, {0x00, 0x00, 0x00, 0x00})
                    .Vec(kCodeSection, 1, CodeEntry({}, {0x06, kEnd}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok());
  auto r = ValidateModule(*m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

}  // namespace
}  // namespace wasmgrind
