// CompiledCode lookups (see compiled_code.h): binary searches over the sorted per-function maps.
#include "compiled_code.h"

#include <algorithm>

namespace wasmgrind {

std::optional<uint32_t> CompiledCode::FunctionAt(uintptr_t pc) const {
  if (!Contains(pc) || functions_.empty()) return std::nullopt;
  auto offset = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(block_.code()));
  // Functions are laid out in index order.
  auto it = std::upper_bound(functions_.begin(), functions_.end(), offset,
                             [](uint32_t off, const FunctionCodeInfo& f) { return off < f.code_offset; });
  if (it == functions_.begin()) return std::nullopt;
  --it;
  if (offset >= it->code_offset + it->code_size) return std::nullopt;
  return static_cast<uint32_t>(it - functions_.begin());
}

std::optional<uint32_t> CompiledCode::WasmOffsetAt(uintptr_t pc) const {
  auto func = FunctionAt(pc);
  if (!func) return std::nullopt;
  auto offset = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(block_.code()));
  const auto& map = functions_[*func].pc_map;
  auto it = std::upper_bound(map.begin(), map.end(), offset,
                             [](uint32_t off, const PcMapEntry& e) { return off < e.native_offset; });
  if (it == map.begin()) return std::nullopt;
  return std::prev(it)->wasm_offset;
}

const TrapSite* CompiledCode::TrapSiteAt(uintptr_t return_address) const {
  auto func = FunctionAt(return_address);
  if (!func) return nullptr;
  auto offset = static_cast<uint32_t>(return_address - reinterpret_cast<uintptr_t>(block_.code()));
  const auto& sites = functions_[*func].trap_sites;
  auto it = std::lower_bound(sites.begin(), sites.end(), offset,
                             [](const TrapSite& s, uint32_t off) { return s.native_offset < off; });
  if (it == sites.end() || it->native_offset != offset) return nullptr;
  return &*it;
}

}  // namespace wasmgrind
