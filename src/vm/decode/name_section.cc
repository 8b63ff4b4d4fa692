// The `name` custom section: module name (0), function names (1), local names (2) and the
// extended-name-section global names (7). Other subsections are skipped. Any malformation
// makes the whole section be ignored (names are advisory).
#include "vm/decode/section_decoder.h"

namespace wasmgrind {

namespace {

bool ReadNameMap(BinaryReader& reader, std::unordered_map<uint32_t, std::string>& out) {
  auto count = reader.ReadLength("name map count");
  if (!count.ok()) return false;
  for (uint32_t i = 0; i < *count; ++i) {
    auto index = reader.ReadU32Leb("name index");
    if (!index.ok()) return false;
    auto name = reader.ReadName("name");
    if (!name.ok()) return false;
    out[*index] = std::move(*name);
  }
  return true;
}

}  // namespace

bool DecodeNameSection(std::span<const uint8_t> bytes, size_t begin, size_t end,
                       NameSection& names) {
  BinaryReader reader(bytes, begin, end);
  while (!reader.AtEnd()) {
    auto id = reader.ReadU8("name subsection id");
    if (!id.ok()) return false;
    auto size = reader.ReadLength("name subsection size");
    if (!size.ok()) return false;
    const size_t sub_end = reader.position() + *size;
    BinaryReader sub(bytes, reader.position(), sub_end);
    switch (*id) {
      case 0: {
        auto name = sub.ReadName("module name");
        if (!name.ok()) return false;
        names.module_name = std::move(*name);
        break;
      }
      case 1:
        if (!ReadNameMap(sub, names.functions)) return false;
        break;
      case 2: {
        auto count = sub.ReadLength("local name function count");
        if (!count.ok()) return false;
        for (uint32_t i = 0; i < *count; ++i) {
          auto func = sub.ReadU32Leb("local name function index");
          if (!func.ok()) return false;
          if (!ReadNameMap(sub, names.locals[*func])) return false;
        }
        break;
      }
      case 7:
        if (!ReadNameMap(sub, names.globals)) return false;
        break;
      default: sub.Seek(sub_end); break;
    }
    if (sub.position() != sub_end) return false;
    reader.Seek(sub_end);
  }
  return true;
}

}  // namespace wasmgrind
