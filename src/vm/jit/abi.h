// How wasm values and function types map onto native registers and the SysV calling
// convention described in vmcontext.h. Shared by the function compiler and the trampolines so
// that callers and callees agree by construction.
//
// Value classes: i32 lives in a 32-bit GP register (upper half zero), i64 and references in a
// 64-bit GP register, f32/f64 in the low lane of an XMM register.
#pragma once

#include <asmjit/x86.h>

#include <string>

#include "result.h"
#include "value_type.h"
#include "vmcontext.h"

namespace wasmgrind::jit {

namespace x86 = asmjit::x86;

asmjit::TypeId NativeType(ValType t);

// Fills `sig` (not copyable: it points into itself) with the native signature of a wasm
// function of `type`: Register ABI (vmctx, params...) -> result, or Buffer ABI (vmctx, io).
void BuildWasmSignature(const FuncType& type, asmjit::FuncSignatureBuilder& sig);

// A fresh virtual register of the class that holds values of type `t`.
x86::Reg NewValueReg(x86::Compiler& cc, ValType t);

// One value to or from a VMVal slot. Integers are written zero-extended to 8 bytes so that
// the low 8 bytes of a slot are always fully defined.
void LoadSlot(x86::Compiler& cc, const x86::Reg& dst, ValType t, const x86::Mem& slot);
void StoreSlot(x86::Compiler& cc, const x86::Mem& slot, const x86::Reg& src, ValType t);

// Captures the first asmjit error so that code generation failures become Error values.
class ErrorCapture : public asmjit::ErrorHandler {
 public:
  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override {
    if (error_ == asmjit::kErrorOk) {
      error_ = err;
      message_ = message;
    }
  }
  bool failed() const { return error_ != asmjit::kErrorOk; }
  Error ToError(std::string_view what) const;

 private:
  asmjit::Error error_ = asmjit::kErrorOk;
  std::string message_;
};

}  // namespace wasmgrind::jit
