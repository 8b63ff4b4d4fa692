// The trap boundary on its own, with tiny hand-assembled "wasm" functions placed in registered
// JIT code memory (so these tests do not depend on the function compiler): a fault at a
// recorded memory-access site inside a linear memory's reservation becomes a trap, any other
// fault in JIT code is an internal error that kills the process, faults elsewhere and signals
// sent by kill() are not ours, runtime calls and host stubs unwind, and repeated unwinding
// leaks nothing.
#include <asmjit/x86.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <thread>

#include "common/heap_growth.h"
#include "signals/code_sites.h"
#include "signals/jump_target.h"
#include "signals/memory_registry.h"
#include "vm/jit/code_memory.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"
#include "vm/runtime/runtime_call_impls.h"
#include "vm/runtime/trap_boundary.h"

namespace wasmgrind {
namespace {

namespace x86 = asmjit::x86;

// A PROT_NONE stand-in for a linear memory's guard region, registered as a memory reservation.
class FakeReservation {
 public:
  FakeReservation() {
    base_ = mmap(nullptr, kSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    signals::RegisterMemoryRange({address(), address() + kSize, this, &length_});
  }
  ~FakeReservation() {
    signals::UnregisterMemoryRange(address());
    munmap(base_, kSize);
  }
  uintptr_t address() const { return reinterpret_cast<uintptr_t>(base_); }

 private:
  static constexpr size_t kSize = 1 << 16;
  void* base_ = nullptr;
  uint64_t length_ = 0;
};

class TrapBoundaryTest : public testing::Test {
 protected:
  // Assembles `emit` into code memory; registered as JIT code iff `registered`, with `sites`.
  template <typename Emit>
  const void* Assemble(Emit emit, bool registered = true,
                       const signals::CodeSites* sites = nullptr) {
    asmjit::CodeHolder code;
    code.init(engine_.code_memory().environment());
    x86::Assembler a(&code);
    emit(a);
    auto block = engine_.code_memory().Add(code, registered ? this : nullptr, sites);
    EXPECT_TRUE(block.ok());
    blocks_.push_back(std::move(*block));
    return blocks_.back().code();
  }

  // A () -> i32 function that loads from `address`; with `access_site`, the load is recorded
  // as a memory-access site, as the JIT records every wasm load and store.
  const void* LoadFrom(uintptr_t address, bool registered = true, bool access_site = false) {
    auto emit = [&](x86::Assembler& a) {
      a.mov(x86::rax, address);
      access_.begin = static_cast<uint32_t>(a.offset());
      a.mov(x86::eax, x86::dword_ptr(x86::rax));
      access_.end = static_cast<uint32_t>(a.offset());
      a.ret();
    };
    access_.size = 4;
    sites_ = {&access_, 1, nullptr, 0};
    return Assemble(emit, registered, access_site ? &sites_ : nullptr);
  }

  // A load at an access site that faults inside a linear memory's reservation: a wasm trap.
  const void* OutOfBoundsLoad(uintptr_t offset) {
    return LoadFrom(reservation_.address() + offset, true, /*access_site=*/true);
  }

  Result<uint32_t> Run(const void* code, VMContext* vmctx = nullptr) {
    uint32_t type_id = engine_.InternType(FuncType{{}, {ValType::I32}});
    auto trampoline = engine_.EntryTrampolineFor(type_id);
    EXPECT_TRUE(trampoline.ok());
    VMVal values[1];
    TRY(CallWasm(&store_context_, *trampoline, vmctx, code, values));
    uint32_t result;
    std::memcpy(&result, values[0].bytes, 4);
    return result;
  }

  Engine engine_;
  Store store_{engine_};  // installs the signal handlers
  VMStoreContext store_context_;
  signals::AccessSite access_;  // LoadFrom's code is always the same: one site serves them all
  signals::CodeSites sites_;
  FakeReservation reservation_;
  std::vector<CodeBlock> blocks_;
};

TEST_F(TrapBoundaryTest, ReturnsNormallyAndSetsTheStackLimit) {
  static uint32_t cell = 1234;
  auto r = Run(LoadFrom(reinterpret_cast<uintptr_t>(&cell)));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, 1234u);
  // max_wasm_stack below CallWasm's frame, which is a little below this one.
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  EXPECT_LT(store_context_.stack_limit, here - store_context_.max_wasm_stack);
  EXPECT_GT(store_context_.stack_limit, here - store_context_.max_wasm_stack - (64u << 10));
  EXPECT_GE(store_context_.stack_limit,
            signals::CurrentThreadStack().lo + signals::kHostStackReserve);
  EXPECT_FALSE(InWasmActivation());
}

TEST_F(TrapBoundaryTest, FaultAtAnAccessSiteInsideAReservationIsAnOutOfBoundsTrap) {
  const void* code = OutOfBoundsLoad(0x10);
  for (int i = 0; i < 3; ++i) {
    auto r = Run(code);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Trap);
    EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(r.error().message, "out of bounds memory access");
    EXPECT_FALSE(InWasmActivation());
  }
}

// A JIT bug (a load through a bad pointer) is not the guest's out-of-bounds access: wasmgrind
// says it is its own fault and dies of the signal, whether or not the instruction is an access
// site.
TEST_F(TrapBoundaryTest, FaultInJitCodeOutsideAnAccessSiteIsAnInternalError) {
  const void* code = LoadFrom(0x10);
  EXPECT_EXIT((void)Run(code), testing::KilledBySignal(SIGSEGV),
              "wasmgrind: internal error: fault in JIT code at 0x[0-9a-f]+ \\(JIT stub \\+0x7\\)\n"
              "  SIGSEGV at address 0x10: not a wasm memory access or stack overflow");
}

TEST_F(TrapBoundaryTest, FaultAtAnAccessSiteOutsideEveryReservationIsAnInternalError) {
  const void* code = LoadFrom(0x10, true, /*access_site=*/true);
  EXPECT_EXIT((void)Run(code), testing::KilledBySignal(SIGSEGV),
              "internal error: fault in JIT code");
}

// SIGSEGV sent by another thread while JIT code runs is not a fault of that code: the process
// dies of it as it would without wasmgrind, instead of the signal becoming a wasm trap.
TEST_F(TrapBoundaryTest, SignalSentWhileInJitCodeIsNotATrap) {
  const void* spin = Assemble([](x86::Assembler& a) {
    asmjit::Label self = a.newLabel();
    a.bind(self);
    a.jmp(self);
  });
  EXPECT_EXIT(
      {
        pthread_t wasm_thread = pthread_self();
        std::thread killer([wasm_thread] {
          usleep(100 * 1000);
          pthread_kill(wasm_thread, SIGSEGV);
        });
        killer.detach();
        (void)Run(spin);
        std::exit(0);  // a trap came back: wrong
      },
      testing::KilledBySignal(SIGSEGV), "");
}

TEST_F(TrapBoundaryTest, FaultInUnregisteredCodeIsNotOurs) {
  const void* code = LoadFrom(0x10, /*registered=*/false);
  EXPECT_EXIT((void)Run(code), testing::KilledBySignal(SIGSEGV), "");
}

void CallTrap(VMContext* vmctx) {
  wg_rt_Trap(vmctx, static_cast<uint32_t>(TrapKind::IntegerOverflow));
}

TEST_F(TrapBoundaryTest, RuntimeCallTrapUnwinds) {
  const void* code = Assemble([](x86::Assembler& a) {
    a.sub(x86::rsp, 8);  // keep the call site 16-byte aligned
    a.mov(x86::rax, reinterpret_cast<uint64_t>(&CallTrap));
    a.call(x86::rax);
    a.add(x86::rsp, 8);
    a.ret();
  });
  auto r = Run(code);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::IntegerOverflow);
  EXPECT_EQ(r.error().message, "integer overflow");
}

TEST_F(TrapBoundaryTest, StackOverflowInJitCodeIsCallStackExhausted) {
  const void* code = Assemble([](x86::Assembler& a) {
    asmjit::Label self = a.newLabel();
    a.bind(self);
    a.call(self);  // unbounded recursion, no stack check: faults on the guard
    a.ret();
  });
  for (int i = 0; i < 2; ++i) {
    auto r = Run(code);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted);
  }
}

TEST_F(TrapBoundaryTest, HostErrorUnwindsThroughTheHostStub) {
  Function* f = store_.CreateHostFunction(FuncType{{}, {ValType::I32}}, [](auto, auto) {
    return Result<void>(Error::FromTrap(TrapKind::HostTrap, "a host error with a long message"));
  });
  const VMFuncRef* ref = f->func_ref();
  auto r = Run(ref->code, ref->vmctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "a host error with a long message");
}

TEST_F(TrapBoundaryTest, HostResultsComeBackThroughTheHostStub) {
  Function* f = store_.CreateHostFunction(FuncType{{}, {ValType::I32}}, [](auto, auto results) {
    results[0] = Value::I32(77);
    return Ok();
  });
  auto r = Run(f->func_ref()->code, f->func_ref()->vmctx);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, 77u);
}

TEST_F(TrapBoundaryTest, NestedActivationsUnwindToTheInnermost) {
  const void* faulting = OutOfBoundsLoad(0x20);
  Function* f = store_.CreateHostFunction(FuncType{{}, {ValType::I32}}, [&](auto, auto results) {
    auto inner = Run(faulting);
    EXPECT_TRUE(InWasmActivation());  // still inside the outer activation
    results[0] = Value::I32(inner.ok() ? 0 : static_cast<uint32_t>(inner.error().trap));
    return Ok();
  });
  auto r = Run(f->func_ref()->code, f->func_ref()->vmctx);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, static_cast<uint32_t>(TrapKind::MemoryOutOfBounds));
  EXPECT_FALSE(InWasmActivation());
}

TEST_F(TrapBoundaryTest, HundredThousandUnwindsLeakNothing) {
  const void* faulting = OutOfBoundsLoad(0x30);
  Function* host = store_.CreateHostFunction(FuncType{{}, {ValType::I32}}, [](auto, auto) {
    return Result<void>(Error::FromTrap(TrapKind::HostTrap, "a message too long for SSO storage"));
  });
  test::ExpectNoHeapGrowth([&](int n) {
    for (int i = 0; i < n; ++i) {
      auto r = (i % 2 == 0) ? Run(faulting) : Run(host->func_ref()->code, host->func_ref()->vmctx);
      ASSERT_FALSE(r.ok());
    }
  });
}

}  // namespace
}  // namespace wasmgrind
