// AttachTrapInfo (see trap_info_builder.h).
#include "vm/runtime/trap_info_builder.h"

#include <signal.h>

#include <fmt/format.h>

#include <algorithm>

#include "vm/c_stack.h"
#include "vm/debug/demangle.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/native_disassembler.h"
#include "vm/libc_replacements.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/linear_memory.h"
#include "vm/runtime/store.h"
#include "vm/runtime/table_trap_detail.h"
#include "vm/trap_info.h"

namespace wasmgrind {
namespace {

static_assert(kTrapRegisterCount == signals::kNumSavedRegisters);

// The instance whose module's code holds `pc`; for a memory fault prefer one that has the
// faulting memory (instances of one module share code).
const Instance* InstanceAt(const StoreImpl& store, uintptr_t pc, uintptr_t fault_memory_base) {
  const Instance* first = nullptr;
  for (const auto& instance : store.instances) {
    if (!instance->module().code().Contains(pc)) continue;
    if (first == nullptr) first = instance.get();
    if (fault_memory_base == 0 ||
        RuntimeAccess::State(*instance).MemoryAt(fault_memory_base).has_value())
      return instance.get();
  }
  return first;
}

// Frame `i` of the record as a TrapFrame; module null if no instance's code holds it.
TrapFrame MakeFrame(const StoreImpl& store, const TrapRecord& record, uint32_t i) {
  TrapFrame frame;
  frame.pc = record.frames[i];
  const Instance* instance = InstanceAt(store, frame.pc, 0);
  if (instance == nullptr) return frame;
  const CompiledCode& code = instance->module().code();
  std::optional<uint32_t> offset;
  if (i == 0 && record.signal != 0) {
    offset = code.WasmOffsetAt(frame.pc);  // the faulting instruction itself
  } else if (const TrapSite* site = i == 0 ? code.TrapSiteAt(frame.pc) : nullptr) {
    offset = site->wasm_offset;
  } else {
    offset = code.WasmOffsetAt(frame.pc - 1);  // a return address: the call's own bytes
  }
  std::optional<uint32_t> defined = code.FunctionAt(i == 0 ? frame.pc : frame.pc - 1);
  if (!offset || !defined) return frame;
  frame.module = RuntimeAccess::State(*instance).module;
  frame.func_index = instance->module().info().num_imported_funcs + *defined;
  frame.module_offset = *offset;
  return frame;
}

uint64_t RegisterValue(const TrapRecord& record, int reg, bool wide) {
  uint64_t v = record.registers[reg];
  return wide ? v : (v & 0xffffffffu);
}

// The effective address of the faulting instruction's memory operand, if it decodes.
// `code` holds the faulting PC (reads stay inside it).
std::optional<uintptr_t> EffectiveAddress(const TrapRecord& record, const CompiledCode& code) {
  if (!record.has_registers || !code.Contains(record.pc)) return std::nullopt;
  NativeDisassembler disassembler;
  size_t left = code.BytesFrom(record.pc);
  auto operand = disassembler.MemoryOperand(reinterpret_cast<const uint8_t*>(record.pc),
                                            std::min<size_t>(left, 15), record.pc);
  if (!operand) return std::nullopt;
  uint64_t ea = static_cast<uint64_t>(operand->disp);
  if (operand->base >= 0) ea += RegisterValue(record, operand->base, operand->base_wide);
  if (operand->index >= 0)
    ea += RegisterValue(record, operand->index, operand->index_wide) *
          static_cast<uint64_t>(operand->scale);
  return ea;
}

void FillMemoryFault(const InstanceImpl& inst, const TrapRecord& record, const TrapFrame& top,
                     TrapInfo& info) {
  if (record.memory_owner == nullptr) return;
  std::optional<uint32_t> index = inst.MemoryAt(record.memory_base);
  if (!index) return;
  MemoryFault fault;
  fault.memory_index = *index;
  fault.memory_size = record.memory_size;
  fault.wasm_address = record.fault_address - record.memory_base;
  // The handler claimed the fault at a recorded access site: it says what the access was.
  if (top.module) {
    if (const signals::AccessSite* site = top.module->code().AccessSiteAt(record.pc)) {
      fault.access_size = site->size;
      fault.is_store = site->is_store;
    }
  }
  // The kernel reports the first byte that faulted, which for an access straddling the end of
  // memory is past its start: prefer the instruction's own address when it covers that byte.
  std::optional<uintptr_t> ea;
  if (top.module) ea = EffectiveAddress(record, top.module->code());
  if (ea) {
    uint64_t span = fault.access_size != 0 ? fault.access_size : 16;
    if (*ea >= record.memory_base && *ea <= record.fault_address &&
        record.fault_address < *ea + span) {
      fault.wasm_address = *ea - record.memory_base;
      fault.effective_address = true;
    }
  }
  info.memory_fault = fault;
}

// A C stack overflow (c_stack.h): the function, how deep it needed the stack, the stack's size.
std::string CStackOverflowDetail(const TrapFrame& top, uint32_t stack_pointer) {
  if (!top.module) return "";
  const ModuleInfo& module = top.module->info();
  const std::optional<CStackRegion>& stack = top.module->c_stack();
  if (!stack) return "";
  const std::string where =
      fmt::format("0x{:x}..0x{:x}, the __stack_pointer global{}", stack->bottom, stack->top,
                  stack->bottom == 0 ? ", below the data" : ", above the data");
  const std::string function = Demangle(module.FunctionName(top.func_index));
  // Set above the top (a bad restore): a wrap past 0 lands 2 GiB or more above it instead.
  if (stack_pointer > stack->top && stack_pointer - stack->top < 0x80000000u) {
    return fmt::format(
        "stack overflow: {} set the C stack pointer to 0x{:x}, above the top of the stack ({})",
        function, stack_pointer, where);
  }
  // Below the top, or wrapped past 0: either way top - sp, modulo 2^32, is the depth.
  const uint32_t depth = stack->top - stack_pointer;
  return fmt::format("stack overflow: {} needs the C stack {} bytes deep, but it is {} bytes ({})",
                     function, depth, stack->size(), where);
}

// An explicit out-of-bounds trap of a native libc replacement: the access the C function would
// have made, as the replacement recorded it (libc_replacements.h).
void FillLibcMemoryFault(const InstanceImpl& inst, const TrapFrame& top, TrapInfo& info) {
  std::optional<LibcOutOfBoundsAccess> access = TakeLibcOutOfBoundsAccess();
  if (!access || !top.module || inst.memories.empty()) return;
  const uint32_t imported = top.module->info().num_imported_funcs;
  if (top.func_index < imported ||
      !top.module->code().function(top.func_index - imported).native_replacement) {
    return;
  }
  MemoryFault fault;
  fault.memory_index = 0;  // replacements work on memory 0
  fault.wasm_address = access->address;
  fault.memory_size = inst.memories[0]->size_bytes();
  fault.access_size = static_cast<uint32_t>(std::min<uint64_t>(access->size, UINT32_MAX));
  fault.is_store = access->is_store;
  fault.effective_address = true;
  info.memory_fault = fault;
}

}  // namespace

void AttachTrapInfo(const StoreImpl& store, const TrapRecord& record, Error& error) {
  if (error.kind != ErrorKind::Trap || error.trap_info) return;
  auto info = std::make_shared<TrapInfo>();
  info->kind = error.trap;
  info->signal = record.signal;
  info->pc = record.pc;
  info->fault_address = record.fault_address;
  info->has_registers = record.has_registers;
  for (size_t i = 0; i < kTrapRegisterCount; ++i) info->registers[i] = record.registers[i];

  const uint32_t gap = record.frames_skipped != 0
                           ? record.num_frames - signals::kMaxBacktraceFrames / 4
                           : UINT32_MAX;
  for (uint32_t i = 0; i < record.num_frames; ++i) {
    if (i == gap) {
      info->frames_omitted = record.frames_skipped;
      info->omitted_at = info->backtrace.size();
    }
    TrapFrame frame = MakeFrame(store, record, i);
    // Trampolines and host stubs carry no wasm position: leave them out.
    if (frame.module) info->backtrace.push_back(std::move(frame));
  }
  if (!error.offset && record.num_frames > 0 && !info->backtrace.empty() &&
      info->backtrace.front().pc == record.frames[0]) {
    error.offset = info->backtrace.front().module_offset;
  }

  const Instance* instance =
      record.pc != 0 ? InstanceAt(store, record.pc, record.memory_base) : nullptr;
  info->instance = instance;
  if (instance != nullptr) {
    const InstanceImpl& inst = RuntimeAccess::State(*instance);
    for (uint32_t i = 0; i < inst.memories.size(); ++i) {
      const LinearMemory& m = *inst.memories[i];
      TrapMemory tm;
      tm.index = i;
      tm.host_base = reinterpret_cast<uintptr_t>(m.data());
      tm.size = m.size_bytes();
      tm.reserved = m.reserved_bytes();
      tm.max_size = MaxPages(m.type()) * kWasmPageSize;
      tm.guard = tm.reserved - tm.max_size;
      info->memories.push_back(tm);
    }
    if (record.has_element && error.trap == TrapKind::CStackOverflow) {
      info->c_stack_pointer = static_cast<uint32_t>(record.element);
    }
    if (record.has_element && !info->backtrace.empty()) {
      info->detail = error.trap == TrapKind::CStackOverflow
                         ? CStackOverflowDetail(info->backtrace.front(), record.element)
                         : TableTrapDetail(inst, error.trap, info->backtrace.front().module_offset,
                                           record.element);
    }
    if (error.trap == TrapKind::MemoryOutOfBounds && record.signal == 0 &&
        !info->backtrace.empty()) {
      FillLibcMemoryFault(inst, info->backtrace.front(), *info);
    }
    if (error.trap == TrapKind::MemoryOutOfBounds && record.signal != 0 &&
        !info->backtrace.empty()) {
      FillMemoryFault(inst, record, info->backtrace.front(), *info);
    }
  }
  error.trap_info = std::move(info);
}

}  // namespace wasmgrind
