// Leak searches: at exit (McFinish) and mid-run (the leak check client requests), and the
// counts VALGRIND_COUNT_LEAKS returns.
//
// Roots are what the program can still reach: memory below the heap (data, bss, the live C
// stack) but for dead stack frames, and the wasm globals. Mid-run, the running functions' wasm
// locals are roots too, as Valgrind's search takes the registers and the native stack for
// roots: at -O1 and above clang keeps most pointers in locals, which JIT code holds in
// registers and in its native frames. So a mid-run search also takes every 4-byte word of the
// JIT frames between the request and the outermost frame of the module's code, and the
// callee-saved registers the request arrived with (values the JIT keeps there across the call).
// Like Valgrind's, this scan is conservative: a stale word that looks like a block's address
// keeps the block reachable.
#include <algorithm>
#include <cstring>

#include "memcheck/memory_checker.h"
#include "vm/runtime/global.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/memcheck_runtime.h"

namespace wasmgrind {
namespace {

// The i32 words of the native stack range [begin, end) (8-aligned: the JIT keeps 8-byte slots),
// those that are not 0, into `out`.
void AddStackWords(uintptr_t begin, uintptr_t end, std::vector<uint32_t>& out) {
  for (uintptr_t a = begin; a + 4 <= end; a += 4) {
    uint32_t word;
    std::memcpy(&word, reinterpret_cast<const void*>(a), sizeof word);
    if (word != 0) out.push_back(word);
  }
}

// The top of the JIT frames of `inst`'s module above the frame at `fp` (the request's caller):
// the rbp chain is followed while its return addresses are in the module's code, and the last
// such frame's record (saved rbp, return address) ends the range.
uintptr_t JitFramesTop(const McInstanceState& state, uintptr_t fp) {
  uintptr_t top = fp + 16;
  for (int depth = 0; depth < (1 << 20) && fp % 8 == 0; ++depth) {
    const auto* record = reinterpret_cast<const uintptr_t*>(fp);
    const uintptr_t next_fp = record[0];
    const uintptr_t pc = record[1];
    if (pc - state.code_begin >= state.code_span || next_fp <= fp) break;
    top = next_fp + 16;
    fp = next_fp;
  }
  return top;
}

}  // namespace

memcheck::LeakRoots McLeakRoots(const InstanceImpl& inst) {
  const LinearMemory& memory = *inst.memories[0];
  memcheck::MemoryLayout layout =
      McLayoutOf(*inst.module, memory.size_bytes(), inst.memcheck->allocator.has_value());
  const uint32_t heap_base = layout.heap_base.value_or(static_cast<uint32_t>(memory.size_bytes()));
  // Dead stack frames hold stale pointers: the shadow knows them (BelowStackPointer), wherever
  // the bss ends.
  memcheck::LeakRoots roots;
  const memcheck::ShadowMemory& shadow = inst.memcheck->checker->shadow();
  uint32_t run = 0;
  for (uint32_t a = 0; a < heap_base; ++a) {
    if (shadow.Get(a) == memcheck::ShadowState::BelowStackPointer) {
      if (run < a) roots.memory.push_back({run, a});
      run = a + 1;
    }
  }
  if (run < heap_base) roots.memory.push_back({run, heap_base});
  for (const Global* g : inst.globals) {
    if (g->type().type == ValType::I32)
      roots.values.push_back(static_cast<uint32_t>(g->Get().bits));
  }
  return roots;
}

int McFinish(const InstanceImpl& inst, int program_status) {
  const LinearMemory& memory = *inst.memories[0];
  return inst.memcheck->checker->Finish(program_status, {memory.data(), memory.size_bytes()},
                                        McLeakRoots(inst));
}

void McSearchLeaks(const InstanceImpl& inst, uint32_t mode, uint32_t delta,
                   std::span<const uintptr_t> registers, uintptr_t caller_sp, uintptr_t caller_fp) {
  memcheck::LeakRoots roots = McLeakRoots(inst);
  for (uintptr_t r : registers) roots.values.push_back(static_cast<uint32_t>(r));
  AddStackWords(caller_sp, JitFramesTop(*inst.memcheck, caller_fp), roots.values);
  // Valgrind's arguments: mode 0 full, 1 summary; delta 0 any, 1 increased, 2 changed, 3 new
  // (others: a warning there, the default here).
  memcheck::LeakSearch search;
  search.mode = mode == 1 ? memcheck::LeakCheck::Summary : memcheck::LeakCheck::Full;
  if (delta <= 3) search.delta = static_cast<memcheck::LeakDelta>(delta);
  const LinearMemory& memory = *inst.memories[0];
  inst.memcheck->checker->SearchLeaks({memory.data(), memory.size_bytes()}, roots, search);
}

void McCountLeaks(const InstanceImpl& inst, bool blocks, const uint32_t (&out)[4]) {
  const memcheck::LeakTotals& t = inst.memcheck->checker->LastLeaks();
  using memcheck::LeakKind;
  auto n = [blocks](const memcheck::LeakTotal& total) {
    return blocks ? total.blocks : total.bytes;
  };
  const uint64_t values[4] = {n(t.of(LeakKind::Definite)) + n(t.of(LeakKind::Indirect)),
                              n(t.of(LeakKind::Possible)), n(t.of(LeakKind::Reachable)),
                              n(t.suppressed)};
  // Into the macro's unsigned long temporaries (4 bytes on wasm32), where they lie in memory
  // and are addressable; their bytes become defined (Valgrind leaves that to the macro, which
  // zeroes them first).
  LinearMemory& memory = *inst.memories[0];
  memcheck::MemoryChecker& checker = *inst.memcheck->checker;
  for (int i = 0; i < 4; ++i) {
    if (uint64_t{out[i]} + 4 > memory.size_bytes() ||
        checker.shadow().FirstUnaddressable(out[i], 4)) {
      continue;
    }
    const auto value = static_cast<uint32_t>(std::min<uint64_t>(values[i], UINT32_MAX));
    std::memcpy(memory.data() + out[i], &value, sizeof value);
    checker.MakeMemDefined(out[i], 4);
  }
}

}  // namespace wasmgrind
