// Linear memory: loads, stores, memory.size/grow and the bulk operations.
//
// Addressing: host address = memory base + zero-extended i32 index + static offset. The base
// of memory 0 is loaded once per function, in the prologue (it never moves: the whole 32-bit
// space plus guard is reserved). There are no bounds checks: an out-of-bounds access hits
// PROT_NONE pages and the signal handler turns the fault into a trap, finding the wasm
// instruction through the PC map entry recorded at the start of the access.
//
// Hook points for the memory checker: every load and store goes through EmitMemoryAccess, every
// bulk operation through EmitBulkMemoryAccess; this is where shadow-memory checks are emitted.
#include <array>

#include "function_compiler.h"
#include "runtime_calls.h"

namespace wasmgrind::jit {

x86::Gp FunctionCompiler::MemoryBase() {
  if (!memory_base_loaded_) {
    // Insert the load at the end of the prologue so that it dominates every use.
    memory_base_ = cc_.newGpq("membase");
    asmjit::BaseNode* resume = cc_.setCursor(prologue_cursor_);
    bool resume_is_prologue = resume == prologue_cursor_;
    x86::Gp def = VmctxField(env_.offsets.Memory(0));
    cc_.mov(memory_base_, x86::qword_ptr(def, offsetof(VMMemoryDefinition, base)));
    prologue_cursor_ = cc_.cursor();
    cc_.setCursor(resume_is_prologue ? prologue_cursor_ : resume);
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
  // Zero-extend explicitly: the address must never depend on a register's upper half.
  x86::Gp a = cc_.newGpq("addr");
  cc_.mov(a.r32(), ToGp(index).r32());
  if (offset <= INT32_MAX) return x86::ptr(base, a, 0, static_cast<int32_t>(offset), size);
  x86::Gp o = cc_.newGpq();
  cc_.mov(o, asmjit::imm(offset));
  cc_.add(a, o);
  return x86::ptr(base, a, 0, 0, size);
}

void FunctionCompiler::EmitMemoryAccess(AccessKind, const JitValue& index, uint64_t offset,
                                        uint32_t size,
                                        const std::function<void(const x86::Mem&)>& access) {
  x86::Mem address = EffectiveAddress(index, offset, size);
  // memcheck: the shadow check for [address, address + size) goes here.
  access(address);
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
  using asmjit::TypeId;
  static constexpr TypeId kU32 = TypeId::kUInt32;
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
    case Opcode::MemoryGrow: {
      std::array<JitValue, 2> args = {JitValue::Const(ValType::I32, instr.index), Pop()};
      std::array<TypeId, 2> types = {kU32, kU32};
      PushTemp(ValType::I32, EmitRuntimeCall(reinterpret_cast<const void*>(&wg_rt_MemoryGrow),
                                             kU32, args, types));
      return true;
    }
    case Opcode::MemoryFill: {
      JitValue len = Pop(), value = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, value, len};
      EmitBulkMemoryAccess(instr.op, operands);
      std::array<JitValue, 4> args = {JitValue::Const(ValType::I32, instr.index), dst, value, len};
      std::array<TypeId, 4> types = {kU32, kU32, kU32, kU32};
      EmitRuntimeCall(reinterpret_cast<const void*>(&wg_rt_MemoryFill), TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::MemoryCopy: {
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, src, len};
      EmitBulkMemoryAccess(instr.op, operands);
      std::array<JitValue, 5> args = {JitValue::Const(ValType::I32, instr.index),
                                      JitValue::Const(ValType::I32, instr.index2), dst, src, len};
      std::array<TypeId, 5> types = {kU32, kU32, kU32, kU32, kU32};
      EmitRuntimeCall(reinterpret_cast<const void*>(&wg_rt_MemoryCopy), TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::MemoryInit: {
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 3> operands = {dst, src, len};
      EmitBulkMemoryAccess(instr.op, operands);
      std::array<JitValue, 5> args = {JitValue::Const(ValType::I32, instr.index2),
                                      JitValue::Const(ValType::I32, instr.index), dst, src, len};
      std::array<TypeId, 5> types = {kU32, kU32, kU32, kU32, kU32};
      EmitRuntimeCall(reinterpret_cast<const void*>(&wg_rt_MemoryInit), TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::DataDrop: {
      std::array<JitValue, 1> args = {JitValue::Const(ValType::I32, instr.index)};
      std::array<TypeId, 1> types = {kU32};
      EmitRuntimeCall(reinterpret_cast<const void*>(&wg_rt_DataDrop), TypeId::kVoid, args, types);
      return true;
    }
    default:
      return false;
  }
}

void FunctionCompiler::EmitLoad(const Instr& instr) {
  const OpcodeInfo& info = Info(instr.op);
  ValType type = SigLetterType(info.signature.back());
  JitValue index = Pop();
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
