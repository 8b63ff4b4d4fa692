// The containment of asmjit's debug build (asmjit_shim.h): asmjit's register allocator calls
// our replacement of RAAssignment::verify (were its mangled name wrong, asmjit would call its
// own inline check and the count would stay 0), and AsmjitCompiler's registers get the names
// they are given, copied and never formatted.
#include <gtest/gtest.h>

#include <asmjit/x86.h>

#include <string>

#include "vm/jit/asmjit_shim.h"

namespace wasmgrind::jit {
namespace {

namespace x86 = asmjit::x86;

TEST(AsmjitShimTest, RegisterAllocationCallsTheReplacedVerify) {
  asmjit::JitRuntime runtime;
  asmjit::CodeHolder code;
  code.init(runtime.environment());
  AsmjitCompiler cc(&code);
  asmjit::FuncNode* func = cc.addFunc(asmjit::FuncSignatureT<uint32_t, uint32_t, uint32_t>());
  x86::Gp a = cc.newGpd();
  x86::Gp b = cc.newGpd();
  func->setArg(0, a);
  func->setArg(1, b);
  cc.add(a, b);
  cc.ret(a);
  cc.endFunc();

  const uint64_t before = AsmjitVerifyCallsOnThisThread();
  ASSERT_EQ(cc.finalize(), asmjit::kErrorOk);  // runs the register allocator on this thread
  EXPECT_GT(AsmjitVerifyCallsOnThisThread(), before);

  // And the code it made is right: the replacement skips a check, nothing else.
  using Fn = uint32_t (*)(uint32_t, uint32_t);
  Fn fn = nullptr;
  ASSERT_EQ(runtime.add(&fn, &code), asmjit::kErrorOk);
  EXPECT_EQ(fn(40, 2), 42u);
  runtime.release(fn);
}

TEST(AsmjitShimTest, RegistersKeepTheGivenNameUnformatted) {
  asmjit::JitRuntime runtime;
  asmjit::CodeHolder code;
  code.init(runtime.environment());
  AsmjitCompiler cc(&code);
  const auto name = [&](const asmjit::BaseReg& reg) {
    return std::string(cc.virtRegByReg(reg)->name());
  };
  EXPECT_EQ(name(cc.newGpd()), "i32");
  EXPECT_EQ(name(cc.newGpq()), "i64");
  EXPECT_EQ(name(cc.newXmmSs()), "f32");
  EXPECT_EQ(name(cc.newXmmSd()), "f64");
  // asmjit's own newGpq(name) runs the name through vsnprintf as a format.
  EXPECT_EQ(name(cc.newGpq("base%d")), "base%d");
  EXPECT_EQ(cc.virtRegByReg(cc.newGpq())->typeId(), asmjit::TypeId::kUInt64);
  EXPECT_EQ(cc.virtRegByReg(cc.newXmmSd())->typeId(), asmjit::TypeId::kFloat64x1);
}

}  // namespace
}  // namespace wasmgrind::jit
