// Native type mapping and VMVal slot access (see abi.h).
#include "vm/jit/abi.h"

#include <fmt/format.h>

#include "vm/jit/asmjit_shim.h"

namespace wasmgrind::jit {

asmjit::TypeId NativeType(ValType t) {
  switch (t) {
    case ValType::I32: return asmjit::TypeId::kUInt32;
    case ValType::I64: return asmjit::TypeId::kUInt64;
    case ValType::F32: return asmjit::TypeId::kFloat32;
    case ValType::F64: return asmjit::TypeId::kFloat64;
    default: return asmjit::TypeId::kUIntPtr;  // references (v128 is not compiled yet)
  }
}

void BuildWasmSignature(const FuncType& type, asmjit::FuncSignatureBuilder& sig) {
  sig.addArg(asmjit::TypeId::kUIntPtr);  // VMContext*
  if (AbiFor(type) == WasmAbi::Buffer) {
    sig.addArg(asmjit::TypeId::kUIntPtr);  // VMVal* io
    return;
  }
  for (ValType p : type.params) sig.addArg(NativeType(p));
  if (!type.results.empty()) sig.setRet(NativeType(type.results[0]));
}

// FuncDetail has no setter for its CallConv, but the member is public; a FuncNode's frame copies
// the preserved registers at creation, so callers re-init the frame after this.
void UseWasmCallConv(asmjit::FuncDetail& detail) {
  detail._callConv.setPreservedRegs(asmjit::RegGroup::kGp, kWasmPreservedGp);
}

void UseNoReturnCallConv(asmjit::FuncDetail& detail) {
  detail._callConv.setPreservedRegs(asmjit::RegGroup::kGp, 0xFFFFu);
  detail._callConv.setPreservedRegs(asmjit::RegGroup::kVec, 0xFFFFFFFFu);
}

x86::Mem RuntimeCallTarget(x86::Compiler& cc, const x86::Gp& vmctx, RuntimeCall fn) {
  x86::Gp table = cc.newGpq("runtime_calls");
  cc.mov(table, x86::ptr(vmctx, static_cast<int32_t>(VMOffsets::RuntimeCalls())));
  return x86::ptr(table, RuntimeCallOffset(fn));
}

x86::Reg NewValueReg(x86::Compiler& cc, ValType t) {
  switch (t) {
    case ValType::I32: return NewNamedReg<x86::Gp>(cc, asmjit::TypeId::kUInt32, "i32");
    case ValType::F32: return NewNamedReg<x86::Xmm>(cc, asmjit::TypeId::kFloat32x1, "f32");
    case ValType::F64: return NewNamedReg<x86::Xmm>(cc, asmjit::TypeId::kFloat64x1, "f64");
    default: return NewNamedReg<x86::Gp>(cc, asmjit::TypeId::kUInt64, "i64");
  }
}

void LoadSlot(x86::Compiler& cc, const x86::Reg& dst, ValType t, const x86::Mem& slot) {
  x86::Mem m = slot;
  switch (t) {
    case ValType::I32:
      m.setSize(4);
      cc.mov(dst.as<x86::Gp>().r32(), m);
      break;
    case ValType::F32:
      m.setSize(4);
      cc.movss(dst.as<x86::Xmm>(), m);
      break;
    case ValType::F64:
      m.setSize(8);
      cc.movsd(dst.as<x86::Xmm>(), m);
      break;
    default:
      m.setSize(8);
      cc.mov(dst.as<x86::Gp>().r64(), m);
      break;
  }
}

void StoreSlot(x86::Compiler& cc, const x86::Mem& slot, const x86::Reg& src, ValType t) {
  x86::Mem m = slot;
  m.setSize(8);
  switch (t) {
    case ValType::I32: {
      // The register's upper half is zero (abi.h), but a fresh copy keeps that local.
      x86::Gp tmp = cc.newGpq();
      cc.mov(tmp.r32(), src.as<x86::Gp>().r32());
      cc.mov(m, tmp);
      break;
    }
    case ValType::F32: {
      x86::Gp tmp = cc.newGpq();
      // pextrd, not movd: see the reinterpret cases in emit_conversion.cc.
      cc.pextrd(tmp.r32(), src.as<x86::Xmm>(), 0);
      cc.mov(m, tmp);
      break;
    }
    case ValType::F64: cc.movsd(m, src.as<x86::Xmm>()); break;
    default: cc.mov(m, src.as<x86::Gp>().r64()); break;
  }
}

Error ErrorCapture::ToError(std::string_view what) const {
  return Error::Make(ErrorKind::Internal,
                     fmt::format("code generation failed ({}): {} ({})", what,
                                 asmjit::DebugUtils::errorAsString(error_), message_));
}

}  // namespace wasmgrind::jit
