// DecodeModule: well-formed modules decode into the expected ModuleInfo; malformed ones fail
// with kind Malformed and the spec's wording, never crash, never allocate from a bad count.
#include "vm/decode/module_decoder.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "common/rich_module.h"
#include "common/wasm_module_builder.h"

namespace wasmgrind {
namespace {

using namespace test;

std::string MalformedText(const Bytes& bytes) {
  auto r = DecodeModule(bytes);
  if (r.ok()) return "decoded";
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed) << r.error().message;
  return r.error().message;
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

TEST(ModuleDecoderTest, EmptyModule) {
  auto m = DecodeModule(WasmModuleBuilder().Build());
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_TRUE(m->types.empty());
  EXPECT_EQ(m->bytes.size(), 8u);
}

TEST(ModuleDecoderTest, Preamble) {
  EXPECT_TRUE(StartsWith(MalformedText({}), "unexpected end"));
  EXPECT_TRUE(StartsWith(MalformedText({0x00, 0x61, 0x73}), "unexpected end"));
  EXPECT_TRUE(
      StartsWith(MalformedText({0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0}), "magic header not detected"));
  EXPECT_TRUE(StartsWith(MalformedText({0x00, 0x61, 0x73, 0x6d, 1, 0}), "unexpected end"));
  EXPECT_TRUE(
      StartsWith(MalformedText({0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}), "unknown binary version"));
}

TEST(ModuleDecoderTest, TypesImportsFunctionsExports) {
  Bytes imports = Cat({Name("env"),
                       Name("f"),
                       {0x00, 0x00},  // func type 0
                       Name("env"),
                       Name("t"),
                       {0x01, kExternRef, 0x01, 1, 10},  // table
                       Name("env"),
                       Name("m"),
                       {0x02, 0x00, 2},  // memory
                       Name("env"),
                       Name("g"),
                       {0x03, kI64, 0x01}});  // mut global
  Bytes exports = Cat({Name("run"), {0x00, 0x01}, Name("mem"), {0x02, 0x00}});
  Bytes bytes =
      WasmModuleBuilder()
          .Vec(kTypeSection, 2, Cat({FuncTypeEntry({kI32, kI64}, {kF32}), FuncTypeEntry({}, {})}))
          .Vec(kImportSection, 4, imports)
          .Vec(kFunctionSection, 1, {0x01})
          .Vec(kExportSection, 2, exports)
          .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
          .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].params, (std::vector<ValType>{ValType::I32, ValType::I64}));
  EXPECT_EQ(m->types[0].results, (std::vector<ValType>{ValType::F32}));
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(m->imports[1].kind, ExternKind::Table);
  EXPECT_EQ(m->imports[1].table.elem, ValType::ExternRef);
  EXPECT_EQ(m->imports[1].table.limits.max, 10u);
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_TRUE(m->globals[0].is_mutable);
  EXPECT_EQ(m->func_types, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(m->num_defined_funcs(), 1u);
  ASSERT_EQ(m->exports.size(), 2u);
  EXPECT_EQ(m->exports[0].name, "run");
  EXPECT_EQ(m->exports[1].kind, ExternKind::Memory);
  ASSERT_EQ(m->codes.size(), 1u);
  EXPECT_EQ(m->codes[0].body_end - m->codes[0].body_offset, 1u);
  EXPECT_EQ(m->bytes[m->codes[0].body_offset], kEnd);
  // Exported functions may be referenced by ref.func.
  ASSERT_EQ(m->declared_funcs.size(), 2u);
  EXPECT_FALSE(m->declared_funcs[0]);
  EXPECT_TRUE(m->declared_funcs[1]);
}

TEST(ModuleDecoderTest, GlobalsAndConstExprs) {
  Bytes globals = Cat({{kI32, 0x00, 0x41},
                       Sleb(-5),
                       {kEnd},
                       {kF64, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, kEnd},
                       {kFuncRef, 0x00, 0xd2, 0x00, kEnd},
                       {kExternRef, 0x00, 0xd0, kExternRef, kEnd}});
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kGlobalSection, 4, globals)
                    .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  ASSERT_EQ(m->global_inits.size(), 4u);
  EXPECT_EQ(m->global_inits[0].instrs[0].op, Opcode::I32Const);
  EXPECT_EQ(static_cast<int64_t>(m->global_inits[0].instrs[0].bits), -5);
  EXPECT_EQ(m->global_inits[1].instrs[0].bits, 0x3ff0000000000000ull);
  EXPECT_TRUE(m->globals[1].is_mutable);
  EXPECT_EQ(m->global_inits[2].instrs[0].op, Opcode::RefFunc);
  EXPECT_EQ(m->global_inits[3].instrs[0].type, ValType::ExternRef);
  EXPECT_TRUE(m->declared_funcs[0]);  // referenced by a global initializer
}

TEST(ModuleDecoderTest, MalformedMutability) {
  Bytes bytes = WasmModuleBuilder().Vec(kGlobalSection, 1, {kI32, 0x02, 0x41, 0x00, kEnd}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(bytes), "malformed mutability"));
}

TEST(ModuleDecoderTest, AllElementSegmentForms) {
  Bytes offset{0x41, 0x00, kEnd};
  Bytes elems = Cat({
      {0x00},
      offset,
      {0x01, 0x00},              // 0: active, table 0, funcidx
      {0x01, 0x00, 0x01, 0x00},  // 1: passive, elemkind
      {0x02, 0x00},
      offset,
      {0x00, 0x01, 0x00},        // 2: active, table 0, elemkind
      {0x03, 0x00, 0x01, 0x00},  // 3: declarative
      {0x04},
      offset,
      {0x01, 0xd2, 0x00, kEnd},                                        // 4: active, exprs
      {0x05, kFuncRef, 0x02, 0xd2, 0x00, kEnd, 0xd0, kFuncRef, kEnd},  // 5: passive, exprs
      {0x06, 0x00},
      offset,
      {kFuncRef, 0x00},                                  // 6: active, table, exprs
      {0x07, kExternRef, 0x01, 0xd0, kExternRef, kEnd},  // 7: declarative exprs
  });
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kTableSection, 1, {kFuncRef, 0x00, 0x01})
                    .Vec(kElementSection, 8, elems)
                    .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  ASSERT_EQ(m->elements.size(), 8u);
  const SegmentMode modes[] = {
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative,
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(m->elements[i].mode, modes[i]) << i;
  EXPECT_EQ(m->elements[5].items.size(), 2u);
  EXPECT_EQ(m->elements[5].items[1].instrs[0].op, Opcode::RefNull);
  EXPECT_EQ(m->elements[6].items.size(), 0u);
  EXPECT_EQ(m->elements[7].type, ValType::ExternRef);
  EXPECT_EQ(m->elements[0].items[0].instrs[0].op, Opcode::RefFunc);
  EXPECT_TRUE(m->declared_funcs[0]);
}

TEST(ModuleDecoderTest, BadElementKindAndFlags) {
  Bytes base_type = FuncTypeEntry({}, {});
  Bytes bad_kind = WasmModuleBuilder().Vec(kElementSection, 1, {0x01, 0x01, 0x00}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(bad_kind), "malformed element kind"));
  Bytes bad_flags = WasmModuleBuilder().Vec(kElementSection, 1, {0x08}).Build();
  EXPECT_EQ(DecodeModule(bad_flags).error().kind, ErrorKind::Malformed);
}

TEST(ModuleDecoderTest, DataSegmentsAndDataCount) {
  Bytes datas = Cat({{0x00, 0x41, 0x08, kEnd},
                     Name("hi"),  // active
                     {0x01},
                     Name("xyz"),  // passive
                     {0x02, 0x00, 0x41, 0x00, kEnd},
                     Name("")});
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kMemorySection, 1, {0x00, 0x01})
                    .Section(kDataCountSection, {0x03})
                    .Vec(kDataSection, 3, datas)
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->data_count, 3u);
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(std::string(m->bytes.begin() + m->datas[1].data_offset,
                        m->bytes.begin() + m->datas[1].data_offset + m->datas[1].data_size),
            "xyz");

  Bytes inconsistent = WasmModuleBuilder()
                           .Vec(kMemorySection, 1, {0x00, 0x01})
                           .Section(kDataCountSection, {0x02})
                           .Vec(kDataSection, 1, Cat({{0x01}, Name("a")}))
                           .Build();
  EXPECT_TRUE(StartsWith(MalformedText(inconsistent),
                         "data count and data section have inconsistent lengths"));
  Bytes no_data = WasmModuleBuilder().Section(kDataCountSection, {0x01}).Build();
  EXPECT_TRUE(
      StartsWith(MalformedText(no_data), "data count and data section have inconsistent lengths"));
}

TEST(ModuleDecoderTest, CodeSection) {
  std::vector<LocalDecl> locals{{2, kI32}, {3, kF64}};
  Bytes bytes = WasmModuleBuilder()
                    .Vec(kTypeSection, 1, FuncTypeEntry({kI64}, {}))
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kCodeSection, 1, CodeEntry(locals, {0x01, kEnd}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->codes[0].num_locals, 5u);
  ASSERT_EQ(m->codes[0].locals.size(), 2u);
  EXPECT_EQ(m->codes[0].locals[1].type, ValType::F64);
  EXPECT_EQ(m->codes[0].body_end - m->codes[0].body_offset, 2u);

  Bytes too_many = WasmModuleBuilder()
                       .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                       .Vec(kFunctionSection, 1, {0x00})
                       .Vec(kCodeSection, 1, CodeEntry({{0xffffffff, kI32}}, {kEnd}))
                       .Build();
  EXPECT_TRUE(StartsWith(MalformedText(too_many), "too many locals"));

  Bytes missing_code = WasmModuleBuilder()
                           .Vec(kTypeSection, 1, FuncTypeEntry({}, {}))
                           .Vec(kFunctionSection, 1, {0x00})
                           .Build();
  EXPECT_TRUE(StartsWith(MalformedText(missing_code),
                         "function and code section have inconsistent lengths"));
  Bytes extra_code = WasmModuleBuilder().Vec(kCodeSection, 1, CodeEntry({}, {kEnd})).Build();
  EXPECT_TRUE(
      StartsWith(MalformedText(extra_code), "function and code section have inconsistent lengths"));
}

TEST(ModuleDecoderTest, SectionFraming) {
  EXPECT_TRUE(StartsWith(MalformedText(WasmModuleBuilder().Section(13, {}).Build()),
                         "malformed section id"));
  Bytes twice = WasmModuleBuilder().Vec(kTypeSection, 0, {}).Vec(kTypeSection, 0, {}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(twice), "unexpected content after last section"));
  Bytes out_of_order =
      WasmModuleBuilder().Vec(kFunctionSection, 0, {}).Vec(kTypeSection, 0, {}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(out_of_order), "unexpected content after last section"));
  // Data count goes between element and code.
  Bytes datacount_order =
      WasmModuleBuilder().Section(kDataCountSection, {0x00}).Vec(kCodeSection, 0, {}).Build();
  EXPECT_TRUE(DecodeModule(datacount_order).ok());
  // One type declared, two given: the section is longer than its contents.
  Bytes mismatch =
      WasmModuleBuilder()
          .Section(kTypeSection, Cat({{0x01}, FuncTypeEntry({}, {}), FuncTypeEntry({}, {})}))
          .Build();
  EXPECT_TRUE(StartsWith(MalformedText(mismatch), "section size mismatch"));
  Bytes oversized = WasmModuleBuilder().Raw({0x01, 0x20, 0x00}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(oversized), "length out of bounds"));
}

TEST(ModuleDecoderTest, HugeCountsAreNotAllocated) {
  // Counts of 2^32-1 with no entries must fail on the bounds check, not in the allocator.
  for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}) {
    Bytes bytes = WasmModuleBuilder().Section(id, Uleb(0xffffffff)).Build();
    EXPECT_TRUE(StartsWith(MalformedText(bytes), "length out of bounds")) << int(id);
  }
}

TEST(ModuleDecoderTest, CustomAndNameSections) {
  Bytes names = Cat({{0x00},
                     Uleb(4),
                     Name("mod"),  // module
                     {0x01},
                     Uleb(1 + 1 + 5),
                     {0x01, 0x00},
                     Name("main"),  // funcs
                     {0x02},
                     Uleb(1 + 1 + 1 + 1 + 2),
                     {0x01, 0x00, 0x01, 0x00},
                     Name("x"),  // locals
                     {0x07},
                     Uleb(1 + 1 + 2),
                     {0x01, 0x00},
                     Name("g")});  // globals
  Bytes bytes = WasmModuleBuilder()
                    .Section(kCustomSection, Cat({Name("producers"), {1, 2, 3}}))
                    .Vec(kTypeSection, 1, FuncTypeEntry({kI32}, {}))
                    .Vec(kFunctionSection, 1, {0x00})
                    .Vec(kCodeSection, 1, CodeEntry({}, {kEnd}))
                    .Section(kCustomSection, Cat({Name("name"), names}))
                    .Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  ASSERT_EQ(m->customs.size(), 2u);
  const CustomSection* producers = m->FindCustom("producers");
  ASSERT_NE(producers, nullptr);
  EXPECT_EQ(producers->data_size, 3u);
  EXPECT_EQ(m->bytes[producers->data_offset], 1);
  EXPECT_EQ(m->names.module_name, "mod");
  EXPECT_EQ(m->FunctionName(0), "main");
  EXPECT_EQ(m->FunctionName(7), "func[7]");
  EXPECT_EQ(m->names.locals[0][0], "x");
  EXPECT_EQ(m->names.globals[0], "g");
}

TEST(ModuleDecoderTest, MalformedNameSectionIsIgnored) {
  Bytes bytes =
      WasmModuleBuilder().Section(kCustomSection, Cat({Name("name"), {0x01, 0x7f, 0x01}})).Build();
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_TRUE(m->names.functions.empty());
  EXPECT_EQ(m->customs.size(), 1u);
}

TEST(ModuleDecoderTest, CustomSectionNameMustBeUtf8) {
  Bytes bytes = WasmModuleBuilder().Section(kCustomSection, {0x01, 0xff}).Build();
  EXPECT_TRUE(StartsWith(MalformedText(bytes), "malformed UTF-8 encoding"));
}

// A small module with one of everything.
TEST(ModuleDecoderTest, RichModuleDecodes) {
  auto m = DecodeModule(RichModule());
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->memories[0].limits.max, 2u);
  EXPECT_EQ(m->names.module_name, "m");
}

TEST(ModuleDecoderTest, EveryTruncationFailsCleanly) {
  const Bytes full = RichModule();
  // Section boundaries, where a prefix may be a complete module (if nothing it declares needs
  // a later section: functions need code, the data count needs data).
  std::vector<size_t> boundaries{8};
  for (size_t pos = 8; pos < full.size();) {
    size_t size = 0, shift = 0, p = pos + 1;
    uint8_t byte;
    do {
      byte = full[p++];
      size |= size_t(byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    pos = p + size;
    boundaries.push_back(pos);
  }
  ASSERT_EQ(boundaries.back(), full.size());
  size_t complete_prefixes = 0;
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto m = DecodeModule(cut);
    if (m.ok()) {
      EXPECT_NE(std::find(boundaries.begin(), boundaries.end(), n), boundaries.end()) << n;
      ++complete_prefixes;
      continue;
    }
    EXPECT_EQ(m.error().kind, ErrorKind::Malformed) << n << ": " << m.error().message;
    EXPECT_TRUE(m.error().offset.has_value());
  }
  // Header, after types, after imports, and everything but the trailing name section.
  EXPECT_EQ(complete_prefixes, 4u);
}

// Every single-byte corruption either still gives a valid module or is refused with a clean
// error: kind Malformed (with the byte offset) or Invalid, never Internal (our bug), one line. (runtime/corrupt_module_test.cc checks that the valid ones also compile.)
TEST(ModuleDecoderTest, EveryByteCorruptionFailsCleanlyOrValidates) {
  const Bytes full = RichModule();
  ASSERT_TRUE(DecodeAndValidate(full).ok());
  size_t valid = 0, malformed = 0, invalid = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    for (uint8_t v : kCorruptBytes) {
      Bytes corrupt = full;
      corrupt[i] = v;
      Result<void> r = DecodeAndValidate(corrupt);
      if (r.ok()) {
        ++valid;
        continue;
      }
      const Error& e = r.error();
      SCOPED_TRACE(testing::Message()
                   << "byte " << i << " = 0x" << std::hex << int{v} << ": " << e.ToString());
      EXPECT_TRUE(e.kind == ErrorKind::Malformed || e.kind == ErrorKind::Invalid);
      // The decoder names the byte; ModuleValidator's errors name the entity instead.
      if (e.kind == ErrorKind::Malformed) {
        EXPECT_TRUE(e.offset.has_value());
      }
      EXPECT_FALSE(e.message.empty());
      EXPECT_EQ(e.message.find('\n'), std::string::npos);
      (e.kind == ErrorKind::Malformed ? malformed : invalid)++;
    }
  }
  // All three outcomes occur (a renamed export or changed data stays valid; a bad local index is
  // invalid; a bad section id is malformed), so the loop above checked each kind of result.
  EXPECT_GT(valid, 0u);
  EXPECT_GT(malformed, 0u);
  EXPECT_GT(invalid, 0u);
}

}  // namespace
}  // namespace wasmgrind
