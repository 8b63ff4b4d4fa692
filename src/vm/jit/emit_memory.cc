// Linear memory: loads, stores, memory.size/grow, and the bulk operations (EmitBulkMemory).
//
// Addressing: host address = memory base + zero-extended i32 index + static offset, one
// [base + index + disp] operand (the index register's upper half is already zero). The base of
// memory 0 is loaded once per function, in the prologue, and copied once before each loop that
// touches memory (it never moves: the whole 32-bit space plus guard is reserved; see
// MemoryBase for why the copies). There are no bounds checks: an out-of-bounds access hits
// PROT_NONE pages and the signal handler turns the fault into a trap, finding the wasm
// instruction through the PC map entry recorded at the start of the access. Each access
// instruction is also recorded as an access site (access_site_assembler.h): the handler
// claims faults only there.
//
// Hook points for the memory checker: every load and store goes through EmitMemoryAccess, every
// bulk operation through EmitBulkMemoryAccess; this is where shadow-memory checks are emitted.
#include <array>

#include "vm/jit/access_site_assembler.h"
#include "vm/jit/function_compiler.h"
#include "vm/runtime_calls.h"

namespace wasmgrind::jit {

// asmjit's allocator does not weigh uses by loop depth: a memory base live through a whole big
// function (matmul's main) loses its register to values used once, and then every access in the
// hottest loop reloads it from the stack. So each loop that touches memory gets its own copy,
// made once before its header (a short live range with dense uses, which the allocator keeps in
// a register); the copy is inserted when the loop's first access is compiled.
x86::Gp FunctionCompiler::MemoryBase() {
  if (loop_frames_.empty()) return FunctionMemoryBase();
  Frame& loop = frames_[loop_frames_.back()];
  if (loop.memory_base.isValid()) return loop.memory_base;
  // Copy from the nearest enclosing loop's copy, else the function's base: whichever is live at
  // this loop's pre-header. Loops in between get no copy of their own (it would only add to
  // their register pressure).
  x86::Gp source;
  for (size_t p = loop_frames_.size() - 1; p-- > 0 && !source.isValid();) {
    source = frames_[loop_frames_[p]].memory_base;
  }
  if (!source.isValid()) source = FunctionMemoryBase();
  x86::Gp copy = cc_.newGpq("loopbase");
  asmjit::BaseNode* resume = cc_.setCursor(loop.pre_header);
  cc_.mov(copy, source);
  cc_.setCursor(resume == loop.pre_header ? cc_.cursor() : resume);
  loop.memory_base = copy;
  return copy;
}

x86::Gp FunctionCompiler::FunctionMemoryBase() {
  if (!memory_base_loaded_) {
    // Insert the load at the end of the prologue so that it dominates every use.
    memory_base_ = cc_.newGpq("membase");
    // The VMContext's copy of the base (it never moves): one load, not two.
    EmitInPrologue([&] {
      cc_.mov(memory_base_,
              x86::qword_ptr(vmctx_, static_cast<int32_t>(env_.offsets.MemoryBase(0))));
    });
    memory_base_loaded_ = true;
  }
  return memory_base_;
}

x86::Mem FunctionCompiler::EffectiveAddress(const JitValue& index, uint64_t offset, uint32_t size) {
  x86::Gp base = MemoryBase();
  if (index.is_const()) {
    uint64_t address = static_cast<uint32_t>(index.bits) + offset;
    if (address <= INT32_MAX) return x86::ptr(base, static_cast<int32_t>(address), size);
    x86::Gp a = cc_.newGpq();
    cc_.mov(a, asmjit::imm(address));
    return x86::ptr(base, a, 0, 0, size);
  }
  // The index register's 64-bit view is used as is: every i32 the JIT produces has its upper
  // half zero (function_compiler.h's invariant: 32-bit ops, 32-bit loads and 32-bit moves all
  // zero-extend, and so do asmjit's spill reloads of a 32-bit virtual register). Copying the
  // index with `mov r32, r32` first cost an instruction on every access and a register.
  x86::Gp idx = ToGp(index).r64();
  VerifyUpperHalfZero(idx);
  if (offset <= INT32_MAX) return x86::ptr(base, idx, 0, static_cast<int32_t>(offset), size);
  x86::Gp a = cc_.newGpq("addr");
  cc_.mov(a, asmjit::imm(offset));
  cc_.add(a, idx);
  return x86::ptr(base, a, 0, 0, size);
}

void FunctionCompiler::EmitMemoryAccess(AccessKind kind, const JitValue& index, uint64_t offset,
                                        uint32_t size,
                                        const std::function<void(const x86::Mem&)>& access) {
  x86::Mem address = EffectiveAddress(index, offset, size);
  if (env_.memcheck) EmitShadowCheck(address, size, kind == AccessKind::Store);
  access(address);
  // `access` emitted exactly the one instruction that touches memory: record it as an access
  // site (a fault there is a wasm trap; anywhere else in JIT code it is our bug).
  MarkAccess(cc_, cc_.cursor(),
             AccessMark{.wasm_offset = current_offset_,
                        .memory = 0,
                        .size = static_cast<uint8_t>(size),
                        .is_store = kind == AccessKind::Store});
}

void FunctionCompiler::EmitBulkMemoryAccess(Opcode, std::span<const JitValue>) {
  // memcheck: bulk operations are checked (and shadow state copied/filled) here; the runtime
  // call that follows does the bounds check and the work.
}

bool FunctionCompiler::EmitMemory(const Instr& instr) {
  if (IsLoad(instr.op)) {
    EmitLoad(instr);
    return true;
  }
  if (IsStore(instr.op)) {
    EmitStore(instr);
    return true;
  }
  switch (instr.op) {
    case Opcode::MemorySize: {
      x86::Gp def = VmctxField(env_.offsets.Memory(instr.index));
      x86::Gp bytes = cc_.newGpq();
      cc_.mov(bytes, x86::qword_ptr(def, offsetof(VMMemoryDefinition, current_length)));
      cc_.shr(bytes, 16);
      x86::Gp pages = cc_.newGpd();
      cc_.mov(pages, bytes.r32());
      PushTemp(ValType::I32, pages);
      return true;
    }
    case Opcode::MemoryGrow:
      PushTemp(ValType::I32, EmitRuntimeCall<RuntimeCall::MemoryGrow>(
                                 {JitValue::Const(ValType::I32, instr.index), Pop()}));
      return true;
    default: return false;
  }
}

bool FunctionCompiler::EmitBulkMemory(const Instr& instr) {
  auto index_const = [](uint32_t i) { return JitValue::Const(ValType::I32, i); };
  switch (instr.op) {
    case Opcode::MemoryFill: {
      JitValue len = Pop(), value = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, value, len};
      EmitBulkMemoryAccess(instr.op, operands);
      EmitRuntimeCall<RuntimeCall::MemoryFill>({index_const(instr.index), dst, value, len});
      return true;
    }
    case Opcode::MemoryCopy: {
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, src, len};
      EmitBulkMemoryAccess(instr.op, operands);
      EmitRuntimeCall<RuntimeCall::MemoryCopy>(
          {index_const(instr.index), index_const(instr.index2), dst, src, len});
      return true;
    }
    case Opcode::MemoryInit: {  // index: data segment, index2: memory
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, src, len};
      EmitBulkMemoryAccess(instr.op, operands);
      EmitRuntimeCall<RuntimeCall::MemoryInit>(
          {index_const(instr.index2), index_const(instr.index), dst, src, len});
      return true;
    }
    case Opcode::DataDrop:
      EmitRuntimeCall<RuntimeCall::DataDrop>({index_const(instr.index)});
      return true;
    default: return false;
  }
}

void FunctionCompiler::EmitLoad(const Instr& instr) {
  const OpcodeInfo& info = Info(instr.op);
  ValType type = SigLetterType(info.signature.back());
  JitValue index = Pop();
  load_op_ = instr.op;
  x86::Reg r = NewValueReg(cc_, type);
  x86::Gp g = r.isGp() ? r.as<x86::Gp>() : x86::Gp();
  EmitMemoryAccess(AccessKind::Load, index, instr.mem.offset, info.access_bytes,
                   [&](const x86::Mem& m) {
                     switch (instr.op) {
                       case Opcode::I32Load: cc_.mov(g.r32(), m); break;
                       case Opcode::I64Load: cc_.mov(g.r64(), m); break;
                       case Opcode::F32Load: cc_.movss(r.as<x86::Xmm>(), m); break;
                       case Opcode::F64Load: cc_.movsd(r.as<x86::Xmm>(), m); break;
                       case Opcode::I32Load8S: cc_.movsx(g.r32(), m); break;
                       case Opcode::I32Load8U: cc_.movzx(g.r32(), m); break;
                       case Opcode::I32Load16S: cc_.movsx(g.r32(), m); break;
                       case Opcode::I32Load16U: cc_.movzx(g.r32(), m); break;
                       case Opcode::I64Load8S: cc_.movsx(g.r64(), m); break;
                       case Opcode::I64Load8U: cc_.movzx(g.r32(), m); break;
                       case Opcode::I64Load16S: cc_.movsx(g.r64(), m); break;
                       case Opcode::I64Load16U: cc_.movzx(g.r32(), m); break;
                       case Opcode::I64Load32S: cc_.movsxd(g.r64(), m); break;
                       case Opcode::I64Load32U: cc_.mov(g.r32(), m); break;
                       default: break;
                     }
                   });
  PushTemp(type, r);
}

void FunctionCompiler::EmitStore(const Instr& instr) {
  const OpcodeInfo& info = Info(instr.op);
  uint32_t size = info.access_bytes;
  JitValue value = Pop();
  JitValue index = Pop();
  bool imm_ok = value.is_const() &&
                (size < 8 || static_cast<int64_t>(value.bits) == static_cast<int32_t>(value.bits));
  x86::Reg r;
  if (!imm_ok) r = ToReg(value);
  EmitMemoryAccess(AccessKind::Store, index, instr.mem.offset, size, [&](const x86::Mem& m) {
    if (imm_ok) {
      switch (size) {
        case 1: cc_.mov(m, asmjit::imm(static_cast<int8_t>(value.bits))); break;
        case 2: cc_.mov(m, asmjit::imm(static_cast<int16_t>(value.bits))); break;
        default: cc_.mov(m, asmjit::imm(static_cast<int32_t>(value.bits))); break;
      }
      return;
    }
    if (r.isXmm()) {
      if (size == 4) {
        cc_.movss(m, r.as<x86::Xmm>());
      } else {
        cc_.movsd(m, r.as<x86::Xmm>());
      }
      return;
    }
    x86::Gp g = r.as<x86::Gp>();
    switch (size) {
      case 1: cc_.mov(m, g.r8()); break;
      case 2: cc_.mov(m, g.r16()); break;
      case 4: cc_.mov(m, g.r32()); break;
      default: cc_.mov(m, g.r64()); break;
    }
  });
}

}  // namespace wasmgrind::jit
