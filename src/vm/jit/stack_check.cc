// Stack checks before the frame (see stack_check.h), and the asmjit pass that completes them
// once register allocation has fixed every frame.
#include "vm/jit/stack_check.h"

#include <vector>

#include "vm/runtime_calls.h"
#include "vm/trap.h"
#include "vm/vmcontext.h"

namespace wasmgrind::jit {
namespace {

// Any displacement that needs 32 bits, so that the instruction's shape does not depend on the
// patched value (the assembler picks the encoding only when it serializes, after the patch).
constexpr int32_t kUnpatchedFrame = -0x7fff0000;

// Runs after asmjit's register allocation pass (passes run in the order they were added, and
// x86::Compiler adds its allocator when it is created): each registered function's FuncFrame
// is final by then.
class StackCheckPass : public asmjit::Pass {
 public:
  static constexpr const char* kName = "wasmgrind-stack-check";

  StackCheckPass() : Pass(kName) {}

  static StackCheckPass& Of(x86::Compiler& cc) {
    if (auto* pass = static_cast<StackCheckPass*>(cc.passByName(kName))) return *pass;
    auto* pass = cc.newPassT<StackCheckPass>();
    cc.addPass(pass);
    return *pass;
  }

  // `lea` null: the function has no check, verify that its frame is small enough.
  void Add(asmjit::FuncNode* func, asmjit::InstNode* lea) { entries_.push_back({func, lea}); }

  asmjit::Error run(asmjit::Zone*, asmjit::Logger*) override {
    asmjit::Error result = asmjit::kErrorOk;
    for (const Entry& e : entries_) {
      uint32_t frame = FrameBytes(e.func->frame());
      if (e.lea == nullptr) {
        // A leaf was judged small before allocation (function_compiler.cc); this proves it.
        if (frame > kUncheckedFrameMax) result = asmjit::kErrorInvalidState;
        continue;
      }
      if (frame > static_cast<uint32_t>(INT32_MAX)) {
        result = asmjit::kErrorInvalidDisplacement;
        continue;
      }
      x86::Mem m = e.lea->op(1).as<x86::Mem>();
      m.setOffset(-static_cast<int64_t>(frame));
      e.lea->setOp(1, m);
    }
    entries_.clear();  // a Compiler may be finalized again with new functions
    if (result != asmjit::kErrorOk) return _cb->reportError(result, "wasm frame stack check");
    return asmjit::kErrorOk;
  }

 private:
  struct Entry {
    asmjit::FuncNode* func;
    asmjit::InstNode* lea;
  };
  std::vector<Entry> entries_;
};

}  // namespace

uint32_t FrameBytes(const asmjit::FuncFrame& frame) {
  // finalStackSize: the pushes (rbp, preserved registers) and the `sub rsp`. Dynamic alignment
  // (never requested by our code) could drop rsp by up to the alignment more.
  uint32_t bytes = frame.finalStackSize();
  if (frame.hasDynamicAlignment()) bytes += frame.finalStackAlignment();
  return bytes;
}

StackCheck EmitStackCheck(x86::Compiler& cc, const asmjit::Operand& limit) {
  StackCheck check;
  check.exhausted = cc.newLabel();
  cc.lea(x86::rax, x86::ptr(x86::rsp, kUnpatchedFrame));
  check.lea = cc.cursor()->as<asmjit::InstNode>();
  if (limit.isMem()) {
    cc.cmp(x86::rax, limit.as<x86::Mem>());
  } else {
    cc.cmp(x86::rax, limit.as<x86::Gp>());
  }
  check.cmp = cc.cursor()->as<asmjit::InstNode>();
  cc.jb(check.exhausted);
  check.jump = cc.cursor()->as<asmjit::InstNode>();
  return check;
}

asmjit::Label FinishStackCheck(x86::Compiler& cc, asmjit::FuncNode* func, const StackCheck& check) {
  cc.bind(check.exhausted);
  cc.push(x86::rbp);
  cc.mov(x86::rbp, x86::rsp);
  cc.mov(x86::esi, asmjit::imm(static_cast<uint32_t>(TrapKind::CallStackExhausted)));
  // rdi still holds the vmctx, whose first word is the runtime-call table.
  cc.mov(x86::rax, x86::ptr(x86::rdi, VMOffsets::RuntimeCalls()));
  cc.call(x86::ptr(x86::rax, RuntimeCallOffset(RuntimeCall::Trap)));
  asmjit::Label after = cc.newLabel();
  cc.bind(after);
  cc.ud2();  // wg_rt_Trap never returns
  StackCheckPass::Of(cc).Add(func, check.lea);
  return after;
}

void DropStackCheck(x86::Compiler& cc, asmjit::FuncNode* func, const StackCheck& check) {
  cc.removeNode(check.lea);
  cc.removeNode(check.cmp);
  cc.removeNode(check.jump);
  StackCheckPass::Of(cc).Add(func, nullptr);
}

}  // namespace wasmgrind::jit
