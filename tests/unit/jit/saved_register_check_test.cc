// Every callee-saved register a function's code uses is saved by its prologue
// (saved_register_check.h). asmjit 1.9 can move a live value into a callee-saved register
// without saving it; the caller then loses the value it kept there across the call. The pass
// must see such a use (here); the module compiler then compiles the function again saving it
// (tests/unit/codegen/unsaved_callee_saved_test.cc).
#include <asmjit/x86.h>

#include <gtest/gtest.h>

#include "vm/jit/abi.h"
#include "vm/jit/saved_register_check.h"

namespace wasmgrind::test {
namespace {

namespace x86 = asmjit::x86;

constexpr uint32_t kR10 = 1u << x86::Gp::kIdR10;

// A wasm-convention function that writes r10 behind the allocator's back: the same shape as
// asmjit's unsaved move (a register in the code, not in the frame's dirty set).
struct UnsavedR10Function {
  asmjit::JitRuntime runtime;
  asmjit::CodeHolder code;
  x86::Compiler* cc = nullptr;
  asmjit::FuncNode* func = nullptr;

  explicit UnsavedR10Function(uint32_t saved_up_front) {
    code.init(runtime.environment());
    cc = new x86::Compiler(&code);
    func = cc->newFunc(asmjit::FuncSignatureT<uint32_t>());
    jit::UseWasmCallConv(func->detail());
    func->frame().init(func->detail());
    func->frame().addDirtyRegs(asmjit::RegGroup::kGp, saved_up_front);
    cc->addFunc(func);
    x86::Gp v = cc->newGpd();
    cc->mov(v, 7);
    cc->mov(x86::r10d, 5);
    cc->add(v, x86::r10d);
    cc->ret(v);
    cc->endFunc();
  }
  ~UnsavedR10Function() { delete cc; }
};

TEST(SavedRegisterCheckTest, FindsACalleeSavedRegisterTheFrameDoesNotSave) {
  UnsavedR10Function f(/*saved_up_front=*/0);
  jit::SavedRegisterCheckPass& check = jit::SavedRegisterCheckPass::Of(*f.cc);
  ASSERT_EQ(f.cc->runPasses(), asmjit::kErrorOk);
  ASSERT_EQ(check.findings().size(), 1u);
  EXPECT_EQ(check.findings()[0].func, f.func);
  EXPECT_EQ(check.findings()[0].unsaved_gp, kR10);
}

TEST(SavedRegisterCheckTest, ARegisterMarkedDirtyUpFrontIsSaved) {
  UnsavedR10Function f(/*saved_up_front=*/kR10);
  jit::SavedRegisterCheckPass& check = jit::SavedRegisterCheckPass::Of(*f.cc);
  ASSERT_EQ(f.cc->runPasses(), asmjit::kErrorOk);
  EXPECT_TRUE(check.findings().empty());
  EXPECT_NE(f.func->frame().savedRegs(asmjit::RegGroup::kGp) & kR10, 0u);
}

TEST(SavedRegisterCheckTest, CountsMemoryOperandsAndNarrowRegisters) {
  asmjit::JitRuntime runtime;
  asmjit::CodeHolder code;
  code.init(runtime.environment());
  x86::Compiler cc(&code);
  cc.mov(x86::r11b, x86::byte_ptr(x86::r12, x86::r13));
  cc.mov(x86::word_ptr(x86::r14), x86::ax);
  auto* load = cc.cursor()->prev()->as<asmjit::InstNode>();
  auto* store = cc.cursor()->as<asmjit::InstNode>();
  EXPECT_EQ(jit::GpRegistersOf(*load), (1u << 11) | (1u << 12) | (1u << 13));
  EXPECT_EQ(jit::GpRegistersOf(*store), (1u << 14) | 1u);
}

}  // namespace
}  // namespace wasmgrind::test
