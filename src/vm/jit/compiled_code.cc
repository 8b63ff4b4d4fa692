// CompiledCode lookups (see compiled_code.h): find the block, then binary searches over the
// sorted per-function maps.
#include "vm/jit/compiled_code.h"

#include <algorithm>

namespace wasmgrind {

const CodeBlock* CompiledCode::BlockAt(uintptr_t pc) const {
  for (const CodeBlock& block : blocks_) {  // a block per compile thread: a handful
    if (block.Contains(pc)) return &block;
  }
  return nullptr;
}

size_t CompiledCode::BytesFrom(uintptr_t pc) const {
  const CodeBlock* block = BlockAt(pc);
  return block ? reinterpret_cast<uintptr_t>(block->code()) + block->size() - pc : 0;
}

std::optional<uint32_t> CompiledCode::FunctionAt(uintptr_t pc) const {
  const CodeBlock* block = BlockAt(pc);
  if (block == nullptr) return std::nullopt;
  auto b = static_cast<size_t>(block - blocks_.data());
  auto offset = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(block->code()));
  // A block's functions are laid out in index order.
  auto first = functions_.begin() + first_function_[b];
  auto last = b + 1 < first_function_.size() ? functions_.begin() + first_function_[b + 1]
                                             : functions_.end();
  auto it = std::upper_bound(first, last, offset, [](uint32_t off, const FunctionCodeInfo& f) {
    return off < f.code_offset;
  });
  if (it == first) return std::nullopt;
  --it;
  if (offset >= it->code_offset + it->code_size) return std::nullopt;
  return static_cast<uint32_t>(it - functions_.begin());
}

std::optional<uint32_t> CompiledCode::WasmOffsetAt(uintptr_t pc) const {
  auto func = FunctionAt(pc);
  if (!func) return std::nullopt;
  auto offset = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(CodeBase(*func)));
  const auto& map = functions_[*func].pc_map;
  auto it = std::upper_bound(map.begin(), map.end(), offset, [](uint32_t off, const PcMapEntry& e) {
    return off < e.native_offset;
  });
  if (it == map.begin()) return std::nullopt;
  return std::prev(it)->wasm_offset;
}

const TrapSite* CompiledCode::TrapSiteAt(uintptr_t return_address) const {
  auto func = FunctionAt(return_address);
  if (!func) return nullptr;
  auto offset =
      static_cast<uint32_t>(return_address - reinterpret_cast<uintptr_t>(CodeBase(*func)));
  const auto& sites = functions_[*func].trap_sites;
  auto it = std::lower_bound(sites.begin(), sites.end(), offset,
                             [](const TrapSite& s, uint32_t off) { return s.native_offset < off; });
  if (it == sites.end() || it->native_offset != offset) return nullptr;
  return &*it;
}

const signals::AccessSite* CompiledCode::AccessSiteAt(uintptr_t pc) const {
  const CodeBlock* block = BlockAt(pc);
  if (block == nullptr) return nullptr;
  const BlockSites& sites = *block_sites_[static_cast<size_t>(block - blocks_.data())];
  return signals::FindAccessSite(
      sites.view, static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(block->code())));
}

size_t CompiledCode::num_access_sites() const {
  size_t n = 0;
  for (const auto& sites : block_sites_) n += sites->access_sites.size();
  return n;
}

}  // namespace wasmgrind
