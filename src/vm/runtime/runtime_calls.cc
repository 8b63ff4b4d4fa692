// The runtime calls of runtime_calls.def: bulk memory and table operations, traps and host
// calls, called from JIT code with the caller's VMContext; and kRuntimeCalls, the table JIT
// code calls them (and the libc replacements) through.
//
// Bounds follow the spec: an access [offset, offset + len) is checked in 64-bit arithmetic
// against the current size, so it traps when it ends past the size even if len is 0 and
// offset is just past the end. Overlapping copies behave as memmove.
//
// Trapping: every call that can trap does its work in a helper returning a TrapKind (None on
// success), and the extern "C" entry raises (RunTrapping) only after the helper returned, so no
// object with a destructor is alive in any frame the siglongjmp skips. Entries raise with their
// return address and frame address (WG_CALLER_PC/WG_FRAME_ADDRESS) so the trap names the wasm
// instruction and the report gets the JIT frames above it.
#include "vm/runtime/runtime_call_impls.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "vm/jit/compiled_code.h"

#include "vm/runtime/function.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/memcheck_runtime.h"
#include "vm/runtime/trap_boundary.h"
#include "vm/runtime/vmval.h"

namespace wasmgrind {
namespace {

bool InBounds(uint64_t offset, uint64_t len, uint64_t size) { return offset + len <= size; }

TrapKind MemoryInitImpl(VMContext* vmctx, uint32_t memory, uint32_t data, uint32_t dst,
                        uint32_t src, uint32_t len) {
  InstanceImpl& inst = InstanceState(vmctx);
  VMMemoryDefinition* mem = inst.memories[memory]->definition();
  if (!InBounds(src, len, inst.DataSize(data)) || !InBounds(dst, len, mem->current_length))
    return TrapKind::MemoryOutOfBounds;
  if (len > 0) {
    const DataSegment& seg = inst.module->info().datas[data];
    std::memcpy(mem->base + dst, inst.module->info().bytes.data() + seg.data_offset + src, len);
  }
  return TrapKind::None;
}

TrapKind MemoryCopyImpl(VMContext* vmctx, uint32_t dst_memory, uint32_t src_memory, uint32_t dst,
                        uint32_t src, uint32_t len) {
  InstanceImpl& inst = InstanceState(vmctx);
  VMMemoryDefinition* d = inst.memories[dst_memory]->definition();
  VMMemoryDefinition* s = inst.memories[src_memory]->definition();
  if (!InBounds(src, len, s->current_length) || !InBounds(dst, len, d->current_length))
    return TrapKind::MemoryOutOfBounds;
  std::memmove(d->base + dst, s->base + src, len);
  return TrapKind::None;
}

TrapKind MemoryFillImpl(VMContext* vmctx, uint32_t memory, uint32_t dst, uint32_t value,
                        uint32_t len) {
  VMMemoryDefinition* mem = InstanceState(vmctx).memories[memory]->definition();
  if (!InBounds(dst, len, mem->current_length)) return TrapKind::MemoryOutOfBounds;
  std::memset(mem->base + dst, static_cast<int>(value & 0xff), len);
  return TrapKind::None;
}

VMTableDefinition* TableDef(VMContext* vmctx, uint32_t table) {
  return InstanceState(vmctx).tables[table]->definition();
}

TrapKind TableFillImpl(VMContext* vmctx, uint32_t table, uint32_t dst, uintptr_t value,
                       uint32_t len) {
  VMTableDefinition* t = TableDef(vmctx, table);
  if (!InBounds(dst, len, t->size)) return TrapKind::TableOutOfBounds;
  std::fill_n(t->elements + dst, len, value);
  return TrapKind::None;
}

TrapKind TableInitImpl(VMContext* vmctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src,
                       uint32_t len) {
  InstanceImpl& inst = InstanceState(vmctx);
  VMTableDefinition* t = inst.tables[table]->definition();
  const std::vector<uintptr_t>& items = inst.elements[elem];
  if (!InBounds(src, len, items.size()) || !InBounds(dst, len, t->size))
    return TrapKind::TableOutOfBounds;
  std::copy_n(items.data() + src, len, t->elements + dst);
  return TrapKind::None;
}

TrapKind TableCopyImpl(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                       uint32_t src, uint32_t len) {
  VMTableDefinition* d = TableDef(vmctx, dst_table);
  VMTableDefinition* s = TableDef(vmctx, src_table);
  if (!InBounds(src, len, s->size) || !InBounds(dst, len, d->size))
    return TrapKind::TableOutOfBounds;
  std::memmove(d->elements + dst, s->elements + src, size_t{len} * sizeof(uintptr_t));
  return TrapKind::None;
}

// Runs the callback; on failure leaves the error pending in the activation and returns false.
bool CallHostImpl(HostFunctionContext* host, VMVal* values) {
  const FuncType& type = host->type;
  std::vector<Value> args(type.params.size());
  for (size_t i = 0; i < args.size(); ++i) args[i] = LoadVal(type.params[i], values[i]);
  std::vector<Value> results(type.results.size());
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::Zero(type.results[i]);
  Result<void> r = host->callback(args, results);
  if (!r.ok()) {
    Error error = std::move(r).error();
    // A trap reported by a host comes back to the embedder as kind Trap; an Exit stays Exit.
    if (error.kind != ErrorKind::Trap && error.kind != ErrorKind::Exit) {
      error.trap = TrapKind::HostTrap;
      error.kind = ErrorKind::Trap;
    }
    SetPendingError(std::move(error));
    return false;
  }
  for (size_t i = 0; i < results.size(); ++i) {
    // Keep the declared type even if the callback retyped a slot: compiled code trusts it.
    results[i].type = type.results[i];
    StoreVal(values[i], results[i]);
  }
  return true;
}

// The checker of memory `memory` of the calling instance, if it is checked (memory 0 under
// --memcheck): the bulk-memory calls check what they touched once they did not trap (a trap
// is reported as an access outside memory by the tool). Their ranges lie inside the memory.
McInstanceState* CheckedMemory(VMContext* vmctx, uint32_t memory) {
  return memory == 0 ? InstanceState(vmctx).memcheck.get() : nullptr;
}

// The one wrapper of the trapping entries: runs `impl`, then raises its trap at the entry's JIT
// caller. Always inlined, so that WG_CALLER_PC/WG_FRAME_ADDRESS are those of the extern "C"
// entry that JIT code called (inlined, the builtins read the frame they end up in).
template <typename... Args>
[[gnu::always_inline]] inline void RunTrapping(TrapKind (*impl)(VMContext*, Args...),
                                               VMContext* vmctx, Args... args) {
  TrapKind trap = impl(vmctx, args...);
  if (trap != TrapKind::None) RaiseTrapAt(trap, WG_CALLER_PC(), WG_FRAME_ADDRESS());
}

}  // namespace
}  // namespace wasmgrind

using namespace wasmgrind;

extern "C" {

uint32_t wg_rt_MemoryGrow(VMContext* vmctx, uint32_t memory, uint32_t delta_pages) {
  InstanceImpl& inst = InstanceState(vmctx);
  Result<uint64_t> old = inst.memories[memory]->Grow(delta_pages);
  if (old.ok() && memory == 0 && inst.memcheck) {
    // The program's own growth (sbrk without our malloc): addressable, as it is for the
    // program, and undefined: with --track-origins, created at this memory.grow.
    const uintptr_t pc = WG_CALLER_PC();
    const uintptr_t fp = *reinterpret_cast<const uintptr_t*>(WG_FRAME_ADDRESS());
    auto where = [&inst, pc, fp] { return McBacktrace(inst, pc, fp, std::nullopt); };
    if (!inst.memcheck->checker->OnMemoryGrow(inst.memories[0]->size_bytes(), false, where)) {
      return 0xffffffffu;  // the host could not commit the shadow: as if memory were full
    }
  }
  return old.ok() ? static_cast<uint32_t>(*old) : 0xffffffffu;
}

void wg_rt_MemoryInit(VMContext* vmctx, uint32_t memory, uint32_t data, uint32_t dst, uint32_t src,
                      uint32_t len) {
  RunTrapping(MemoryInitImpl, vmctx, memory, data, dst, src, len);
  if (McInstanceState* mc = CheckedMemory(vmctx, memory)) {
    McCheckRuntimeRange(InstanceState(vmctx), memcheck::AccessKind::Write, dst, len, WG_CALLER_PC(),
                        WG_FRAME_ADDRESS());
    mc->checker->OnHostWrote(dst, len);
  }
}

void wg_rt_DataDrop(VMContext* vmctx, uint32_t data) {
  InstanceState(vmctx).data_dropped[data] = true;
}

void wg_rt_MemoryCopy(VMContext* vmctx, uint32_t dst_memory, uint32_t src_memory, uint32_t dst,
                      uint32_t src, uint32_t len) {
  RunTrapping(MemoryCopyImpl, vmctx, dst_memory, src_memory, dst, src, len);
  McInstanceState* mc_src = CheckedMemory(vmctx, src_memory);
  McInstanceState* mc_dst = CheckedMemory(vmctx, dst_memory);
  if (mc_src == nullptr && mc_dst == nullptr) return;
  const InstanceImpl& inst = InstanceState(vmctx);
  bool bad = false;  // either range had a bad byte (then CopyState finds which)
  if (mc_src != nullptr) {
    bad |= McCheckRuntimeRange(inst, memcheck::AccessKind::Read, src, len, WG_CALLER_PC(),
                               WG_FRAME_ADDRESS());
  }
  if (mc_dst != nullptr) {
    bad |= McCheckRuntimeRange(inst, memcheck::AccessKind::Write, dst, len, WG_CALLER_PC(),
                               WG_FRAME_ADDRESS());
  }
  // Definedness travels with the bytes (part 2); between memory 0 and another memory it is
  // not known, so the copied bytes count as written by the host.
  // A bad copy still carries the state of what it copied (CopyState keeps addressability).
  if (mc_src != nullptr && mc_dst != nullptr) {
    mc_dst->checker->CopyState(dst, src, len, !bad);
  } else if (mc_dst != nullptr) {
    mc_dst->checker->OnHostWrote(dst, len);
  }
}

void wg_rt_MemoryFill(VMContext* vmctx, uint32_t memory, uint32_t dst, uint32_t value,
                      uint32_t len) {
  RunTrapping(MemoryFillImpl, vmctx, memory, dst, value, len);
  if (McInstanceState* mc = CheckedMemory(vmctx, memory)) {
    McCheckRuntimeRange(InstanceState(vmctx), memcheck::AccessKind::Write, dst, len, WG_CALLER_PC(),
                        WG_FRAME_ADDRESS());
    mc->checker->OnHostWrote(dst, len);
  }
}

uintptr_t wg_rt_TableGet(VMContext* vmctx, uint32_t table, uint32_t index) {
  VMTableDefinition* t = TableDef(vmctx, table);
  if (index >= t->size) RaiseTrapAt(TrapKind::TableOutOfBounds, WG_CALLER_PC(), WG_FRAME_ADDRESS());
  return t->elements[index];
}

void wg_rt_TableSet(VMContext* vmctx, uint32_t table, uint32_t index, uintptr_t value) {
  VMTableDefinition* t = TableDef(vmctx, table);
  if (index >= t->size) RaiseTrapAt(TrapKind::TableOutOfBounds, WG_CALLER_PC(), WG_FRAME_ADDRESS());
  t->elements[index] = value;
}

uint32_t wg_rt_TableGrow(VMContext* vmctx, uint32_t table, uintptr_t init, uint32_t delta) {
  Table* t = InstanceState(vmctx).tables[table];
  Result<uint32_t> old = t->Grow(delta, Value{t->type().elem, init, 0});
  return old.ok() ? *old : 0xffffffffu;
}

void wg_rt_TableFill(VMContext* vmctx, uint32_t table, uint32_t dst, uintptr_t value,
                     uint32_t len) {
  RunTrapping(TableFillImpl, vmctx, table, dst, value, len);
}

void wg_rt_TableInit(VMContext* vmctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src,
                     uint32_t len) {
  RunTrapping(TableInitImpl, vmctx, table, elem, dst, src, len);
}

void wg_rt_TableCopy(VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                     uint32_t src, uint32_t len) {
  RunTrapping(TableCopyImpl, vmctx, dst_table, src_table, dst, src, len);
}

void wg_rt_ElemDrop(VMContext* vmctx, uint32_t elem) {
  // Dropping frees the items: swap with an empty vector (clear() would keep the capacity).
  std::vector<uintptr_t>().swap(InstanceState(vmctx).elements[elem]);
}

void wg_rt_Trap(VMContext* /*vmctx*/, uint32_t kind) {
  // The return address identifies the trap site in the caller's CompiledCode.
  RaiseTrapAt(static_cast<TrapKind>(kind), WG_CALLER_PC(), WG_FRAME_ADDRESS());
}

void wg_rt_TrapElement(VMContext* /*vmctx*/, uint32_t kind, uint32_t index) {
  RaiseTrapAt(static_cast<TrapKind>(kind), WG_CALLER_PC(), WG_FRAME_ADDRESS(), index);
}

void wg_rt_JitInvariantFailed(VMContext* vmctx, uint32_t wasm_offset) {
  const Module& module = *InstanceState(vmctx).module;
  std::optional<uint32_t> defined = module.code().FunctionAt(WG_CALLER_PC() - 1);
  std::string function =
      defined ? module.info().FunctionName(module.info().num_imported_funcs + *defined) : "?";
  fmt::print(stderr,
             "wasmgrind: internal error: JIT invariant violated in {} at wasm offset {:#x}: an i32 "
             "with a non-zero upper half reached a 64-bit use\n",
             function, wasm_offset);
  std::fflush(stderr);
  std::abort();
}

void wg_rt_CallHost(VMContext* ctx, VMVal* values) {
  // Restored before any unwind: RaisePendingError does not come back.
  const uintptr_t outer_host_call = t_host_call_frame;
  t_host_call_frame = WG_FRAME_ADDRESS();
  bool ok = CallHostImpl(reinterpret_cast<HostFunctionContext*>(ctx), values);
  t_host_call_frame = outer_host_call;
  if (!ok) RaisePendingError(WG_CALLER_PC(), WG_FRAME_ADDRESS());
}

}  // extern "C"

namespace wasmgrind {

// constinit: filled before any code runs, whatever the order of static initialisation.
constinit const VMRuntimeCalls kRuntimeCalls = {
#define WG_RUNTIME_CALL(name, ret, params) .name = &wg_rt_##name,
#include "vm/runtime_calls.def"
#undef WG_RUNTIME_CALL
#define WG_MEMCHECK_CALL(name, ret, params) .Mc##name = &wg_mc_##name,
#include "vm/memcheck_calls.def"
#undef WG_MEMCHECK_CALL
#define WG_LIBC_REPLACEMENT(symbol, impl, n) .libc_##symbol = &wg_libc_##impl,
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
#define WG_LIBC_REPLACEMENT(symbol, impl, n) .mc_libc_##symbol = &wg_libc_mc_##impl,
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
};

}  // namespace wasmgrind
