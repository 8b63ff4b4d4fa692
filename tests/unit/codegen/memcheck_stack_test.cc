// The C stack pointer under --memcheck (jit/emit_memcheck_stack.cc): a small move repaints
// the frame's shadow inline and updates the checker's stack state itself; everything else
// calls MemoryChecker::OnStackPointerMove. Either way the shadow, the state and the reports
// must be exactly what the checker alone makes of the same events: each case runs the JIT
// and a model checker (made from the same layout, driven by direct calls) side by side and
// compares every shadow byte of the memory. Leaf frames (functions that read the pointer and
// never write it) are decided by the JIT (McAccessInfo's leaf_frame): their accesses below
// the pointer are their frame, anyone else's are errors.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "codegen/memcheck_report.h"
#include "common/wat2wasm.h"
#include "memcheck/memory_checker.h"
#include "memcheck/shadow_layout.h"
#include "vm/jit/engine.h"
#include "vm/memcheck_calls.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using memcheck::ShadowState;
using memcheck::StackShadowState;

// The JIT writes these states and this state block itself.
static_assert(memcheck::ToByte(ShadowState::BelowStackPointer) == kMcShadowBelowStackPointer);
static_assert(kMcStackPointerOffset == -static_cast<int32_t>(memcheck::kStackStateOffset));
static_assert(offsetof(StackShadowState, stack_pointer) == 0);
static_assert(offsetof(StackShadowState, leaf_frames_begin) ==
              kMcLeafFramesBeginOffset - kMcStackPointerOffset);
static_assert(offsetof(StackShadowState, fresh_pattern) ==
              kMcFreshPatternOffset - kMcStackPointerOffset);

// Data at 1024..1040, the stack [1040, 8192]. "set" moves the pointer to its argument (a
// value in a register: the inline path's case), "push"/"pop" by a constant-free delta; "leaf"
// stores at the pointer minus its argument without moving it (a leaf frame); "leaf32" is a
// leaf of clang's shape, a 32-byte frame below the pointer it read, written at its top, and
// "leaf32_o0" the same in clang's -O0 shape (the pointer and the size pass through locals);
// "peek" and "poke" access any address from a function that never reads the pointer.
constexpr const char* kModule = R"((module
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 8192))
  (data (i32.const 1024) "0123456789abcdef")
  (func (export "set") (param i32) (global.set $__stack_pointer (local.get 0)))
  (func (export "set_const") (global.set $__stack_pointer (i32.const 4096)))
  (func (export "leaf") (param i32)
    (i32.store8 (i32.sub (global.get $__stack_pointer) (local.get 0)) (i32.const 7)))
  (func (export "leaf32") (local i32)
    global.get $__stack_pointer
    i32.const 32
    i32.sub
    local.tee 0
    i64.const 0
    i64.store offset=24)
  (func (export "leaf32_o0") (local i32 i32 i32)
    global.get $__stack_pointer
    local.set 0
    i32.const 32
    local.set 1
    local.get 0
    local.get 1
    i32.sub
    local.set 2
    local.get 2
    i64.const 0
    i64.store offset=24)
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1))))
)";
constexpr uint32_t kBottom = 1040, kTop = 8192;

class MemcheckStackTest : public ::testing::TestWithParam<bool> {
 protected:
  MemcheckStackTest()
      : engine_(
            EngineOptions{.check_c_stack = false, .memcheck = true, .memcheck_values = GetParam()}),
        store_(engine_) {
    store_.SetMemcheckFactory([this](const Module& m, const memcheck::MemoryLayout& layout) {
      layout_ = layout;
      return report_.Factory([this] { return Options(); })(m, layout);
    });
    auto module = Module::Compile(engine_, test::Wat2Wasm(kModule, /*names=*/true));
    EXPECT_TRUE(module.ok()) << module.error().ToString();
    if (!module.ok()) return;
    Linker linker;
    auto instance = linker.Instantiate(store_, *module);
    EXPECT_TRUE(instance.ok()) << instance.error().ToString();
    if (!instance.ok()) return;
    instance_ = *instance;
    auto model = memcheck::MemoryChecker::Create(Options(), *layout_, symbolizer_, {},
                                                 fileno(model_report_));
    EXPECT_TRUE(static_cast<bool>(model));
    if (model) model_ = std::move(model).value();
  }
  ~MemcheckStackTest() override {
    model_.reset();
    std::fclose(model_report_);
  }

  memcheck::MemcheckOptions Options() const {
    memcheck::MemcheckOptions o;
    o.track_definedness = GetParam();
    o.undef_value_errors = GetParam();
    o.quiet = true;
    return o;
  }
  memcheck::MemoryChecker& Jit() { return *Store::MemcheckOf(*instance_); }
  void Call(const char* name, std::optional<uint32_t> arg = std::nullopt) {
    std::vector<Value> args;
    if (arg) args.push_back(Value::I32(*arg));
    auto r = store_.Call(instance_->GetFunction(name), args);
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().ToString();
  }
  uint32_t Sp() const { return model_->shadow().stack_state().stack_pointer; }

  // The same event on both sides. The model does what wg_mc_Access and wg_mc_StackPointer do.
  void Set(uint32_t sp) {
    Call("set", sp);
    model_->OnStackPointerMove(sp);
  }
  void Leaf(uint32_t below) {
    Call("leaf", below);
    uint32_t address = Sp() - below;
    if (model_->shadow().Get(address) == ShadowState::BelowStackPointer) {
      model_->OnLeafFrame(address);
    }
    model_->CheckAccess(memcheck::AccessKind::Write, address, 1, memcheck::kNoBacktrace);
    model_->StoreVBits(address, 1, 0);
  }
  // Reading the pointer makes a constant-size leaf frame fresh at once (EmitLeafFrameEntered),
  // as the slow path would at the frame's first byte, where the frame lies in the region and
  // its new part is 8 bytes or more; else the store's slow path finds it as for "leaf".
  void Leaf32(const char* function = "leaf32") {
    Call(function);
    const uint32_t frame = Sp() - 32;
    const uint32_t leaf = model_->shadow().stack_state().leaf_frames_begin;
    if (frame >= kBottom && frame + 8 <= leaf) {
      model_->OnLeafFrame(frame);
    } else if (model_->shadow().Get(frame + 24) == ShadowState::BelowStackPointer) {
      model_->OnLeafFrame(frame + 24);
    }
    model_->CheckAccess(memcheck::AccessKind::Write, frame + 24, 8, memcheck::kNoBacktrace);
    model_->StoreVBits(frame + 24, 8, 0);
  }
  void Peek(uint32_t address) {
    Call("peek", address);
    model_->CheckAccess(memcheck::AccessKind::Read, address, 1, memcheck::kNoBacktrace);
  }

  // Every shadow byte, the stack state and the error count agree.
  void ExpectSameAsModel(const std::string& when) {
    const memcheck::ShadowMemory& jit = Jit().shadow();
    const memcheck::ShadowMemory& model = model_->shadow();
    ASSERT_EQ(jit.size(), model.size());
    if (std::memcmp(jit.base(), model.base(), jit.size()) != 0) {
      for (uint64_t a = 0; a < jit.size(); ++a) {
        ASSERT_EQ(static_cast<int>(jit.Get(a)), static_cast<int>(model.Get(a)))
            << "shadow of " << a << " " << when;
      }
    }
    EXPECT_EQ(jit.stack_state().stack_pointer, model.stack_state().stack_pointer) << when;
    EXPECT_EQ(jit.stack_state().leaf_frames_begin, model.stack_state().leaf_frames_begin) << when;
    EXPECT_EQ(Jit().ErrorCount(), model_->ErrorCount()) << when << "\n" << report_.Text();
  }
  ShadowState Fresh() const { return GetParam() ? ShadowState::Undefined : ShadowState::Defined; }

  test::MemcheckReport report_;  // outlives the store, whose checker writes to it
  test::IndexSymbolizer symbolizer_;
  FILE* model_report_ = std::tmpfile();
  std::optional<memcheck::MemoryLayout> layout_;
  Engine engine_;
  Store store_;
  Instance* instance_ = nullptr;
  std::unique_ptr<memcheck::MemoryChecker> model_;
};

TEST_P(MemcheckStackTest, TheLayoutIsTheModulesStack) {
  ASSERT_NE(instance_, nullptr);
  ASSERT_TRUE(layout_ && layout_->stack);
  EXPECT_EQ(layout_->stack->begin, kBottom);
  EXPECT_EQ(layout_->stack->end, kTop);
  EXPECT_EQ(Jit().shadow().stack_state().stack_pointer, kTop);
}

TEST_P(MemcheckStackTest, AFrameIsFreshThenDead) {
  ASSERT_NE(instance_, nullptr);
  Set(kTop - 64);  // inline: 64 bytes down
  const memcheck::ShadowMemory& shadow = Jit().shadow();
  EXPECT_EQ(shadow.Get(kTop - 64), Fresh());
  EXPECT_EQ(shadow.Get(kTop - 1), Fresh());
  EXPECT_EQ(shadow.Get(kTop - 65), ShadowState::Defined) << "below the frame: untouched";
  EXPECT_EQ(shadow.stack_state().stack_pointer, kTop - 64);
  Set(kTop);  // and back up
  EXPECT_EQ(shadow.Get(kTop - 64), ShadowState::BelowStackPointer);
  EXPECT_EQ(shadow.Get(kTop - 1), ShadowState::BelowStackPointer);
  EXPECT_EQ(shadow.Get(kTop - 65), ShadowState::Defined);
  EXPECT_EQ(shadow.stack_state().leaf_frames_begin, kTop);
  ExpectSameAsModel("after a frame");
  Peek(kTop - 8);  // a dead frame's byte, by a function that is no leaf
  EXPECT_EQ(Jit().ErrorCount(), 1u);
  EXPECT_NE(report_.Text().find("Invalid read of size 1"), std::string::npos) << report_.Text();
  ExpectSameAsModel("after the dead read");
}

TEST_P(MemcheckStackTest, LeafFramesLiveUntilThePointerMovesUpPastThem) {
  ASSERT_NE(instance_, nullptr);
  Set(kTop - 32);
  Set(kTop - 16);  // the inner frame is dead below kTop - 16
  Leaf(8);         // a leaf's frame: no error, addressable again
  EXPECT_EQ(Jit().ErrorCount(), 0u) << report_.Text();
  EXPECT_EQ(Jit().shadow().stack_state().leaf_frames_begin, kTop - 24);
  Leaf(13);
  EXPECT_EQ(Jit().shadow().stack_state().leaf_frames_begin, kTop - 29);
  ExpectSameAsModel("after the leaf frames");
  Set(kTop - 48);  // a new frame below the leaf's: its bytes stay fresh
  Set(kTop - 16);
  Set(kTop);  // the leaf frames die with the frame that called the leaf: from an odd address
  EXPECT_EQ(Jit().shadow().Get(kTop - 29), ShadowState::BelowStackPointer);
  ExpectSameAsModel("after the pops");
  Peek(kTop - 29);
  EXPECT_EQ(Jit().ErrorCount(), 1u);
  ExpectSameAsModel("after the dead read");
}

// A leaf of constant frame size has its whole frame the moment it reads the pointer, not only
// the bytes from its first access down: here the store at the frame's top would have left the
// 24 bytes below it dead, so that a later access there (by the leaf, or a callee of it)
// would have taken the slow path, or been reported by a function that is no leaf.
TEST_P(MemcheckStackTest, AConstantLeafFrameIsFreshFromItsEntry) {
  ASSERT_NE(instance_, nullptr);
  Set(kTop - 64);
  Set(kTop - 16);  // dead below kTop - 16
  Leaf32();
  EXPECT_EQ(Jit().shadow().stack_state().leaf_frames_begin, kTop - 48);
  EXPECT_EQ(Jit().shadow().Get(kTop - 48), Fresh());
  EXPECT_EQ(Jit().shadow().Get(kTop - 17), ShadowState::Defined);
  ExpectSameAsModel("after the leaf");
  Peek(kTop - 48);
  EXPECT_EQ(Jit().ErrorCount(), 0u) << report_.Text();
  Leaf32();  // the frame is there already: nothing changes
  ExpectSameAsModel("after the second call");
  Set(kTop);
  EXPECT_EQ(Jit().shadow().Get(kTop - 48), ShadowState::BelowStackPointer);
  ExpectSameAsModel("after the pop");
  Set(kBottom + 20);  // the frame would begin below the region: the slow path's case
  Leaf32();
  ExpectSameAsModel("at the bottom");
}

// A frame pushed while leaf frames lie below the pointer ends them: a leaf the new frame
// calls must find its own frame's bytes fresh, not the values an earlier leaf left there
// (which nothing else would repaint: the slow path acts only on dead bytes).
TEST_P(MemcheckStackTest, LeafFramesDieWhenAFrameIsPushed) {
  ASSERT_NE(instance_, nullptr);
  Set(kTop - 64);
  Set(kTop - 16);  // dead below kTop - 16
  Leaf(40);        // a leaf's frame down to kTop - 56
  ExpectSameAsModel("after the leaf");
  Set(kTop - 32);  // inline: the leaf frames below the new frame die
  EXPECT_EQ(Jit().shadow().stack_state().leaf_frames_begin, kTop - 32);
  EXPECT_EQ(Jit().shadow().Get(kTop - 56), ShadowState::BelowStackPointer);
  EXPECT_EQ(Jit().shadow().Get(kTop - 33), ShadowState::BelowStackPointer);
  EXPECT_EQ(Jit().shadow().Get(kTop - 32), Fresh());
  ExpectSameAsModel("after the push");
  Leaf32();  // the callee's frame, [kTop - 64, kTop - 32), is fresh from its entry
  EXPECT_EQ(Jit().shadow().Get(kTop - 64), Fresh());
  ExpectSameAsModel("after the second leaf");
  // Too many stale bytes to repaint inline, and a frame too big for it: the checker's paths.
  Set(kTop - 1600);
  Set(kTop - 16);  // dead down to kTop - 1600
  Leaf(1000);
  Set(kTop - 32);  // 984 stale bytes
  EXPECT_EQ(Jit().shadow().Get(kTop - 1016), ShadowState::BelowStackPointer);
  ExpectSameAsModel("after the long stale range");
  Leaf(1000);
  Set(kTop - 632);  // a 600-byte frame over 400 stale bytes
  EXPECT_EQ(Jit().shadow().Get(kTop - 1032), ShadowState::BelowStackPointer);
  EXPECT_EQ(Jit().shadow().Get(kTop - 632), Fresh());
  ExpectSameAsModel("after the big frame");
  Peek(kTop - 1032);  // by a function that is no leaf: an error
  EXPECT_EQ(Jit().ErrorCount(), 1u) << report_.Text();
  ExpectSameAsModel("after the dead read");
}

// The stack is not dead up front (MemoryChecker::Create): deeper than the pointer has been,
// its bytes are in their first state, and only a leaf's frame made fresh at its entry makes
// its unwritten locals undefined. clang's -O0 shape, through locals, is a constant frame too.
TEST_P(MemcheckStackTest, ALeafFrameDeeperThanThePointerEverWasIsFresh) {
  ASSERT_NE(instance_, nullptr);
  EXPECT_EQ(Jit().shadow().Get(kTop - 32), ShadowState::Defined) << "the first state";
  Leaf32("leaf32_o0");
  EXPECT_EQ(Jit().shadow().stack_state().leaf_frames_begin, kTop - 32);
  EXPECT_EQ(Jit().shadow().Get(kTop - 32), Fresh());
  EXPECT_EQ(Jit().shadow().Get(kTop - 9), Fresh());
  EXPECT_EQ(Jit().shadow().Get(kTop - 8), ShadowState::Defined) << "the store's";
  ExpectSameAsModel("after the -O0 leaf");
}

// 8 to 512 bytes are repainted inline; fewer, more, a constant and a move out of the stack
// region call the checker. The results must not tell them apart.
TEST_P(MemcheckStackTest, TheInlineLimitsChangeNothing) {
  ASSERT_NE(instance_, nullptr);
  for (uint32_t delta : {1u, 7u, 8u, 9u, 16u, 504u, 511u, 512u, 513u, 520u, 4000u}) {
    Set(kTop - delta);
    ExpectSameAsModel("down by " + std::to_string(delta));
    Leaf(5);
    Set(kTop);
    ExpectSameAsModel("up by " + std::to_string(delta));
  }
  Set(kBottom - 100);  // clamped to the bottom
  ExpectSameAsModel("below the bottom");
  Set(kTop + 64);  // clamped to the top
  ExpectSameAsModel("above the top");
  Call("set_const");
  model_->OnStackPointerMove(4096);
  ExpectSameAsModel("a constant");
}

TEST_P(MemcheckStackTest, RandomMovesMatchTheChecker) {
  ASSERT_NE(instance_, nullptr);
  std::minstd_rand rng(GetParam() ? 1234 : 4321);
  for (int step = 0; step < 400; ++step) {
    uint32_t sp = Sp();
    auto random = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    switch (random(6)) {
      case 0:
      case 1: Set(sp - std::min(sp - kBottom, 8 + random(200))); break;  // push
      case 2: Set(std::min(kTop, sp + 8 + random(300))); break;          // pop
      case 3: Set(kBottom + random(kTop - kBottom + 1)); break;          // anywhere
      case 4:
        if (sp - kBottom > 140) {
          switch (random(3)) {
            case 0: Leaf(1 + random(128)); break;
            case 1: Leaf32(); break;
            default: Leaf32("leaf32_o0"); break;
          }
        }
        break;
      default: Peek(kBottom + random(kTop - kBottom)); break;
    }
    ExpectSameAsModel("step " + std::to_string(step));
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Definedness, MemcheckStackTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "VBits" : "NoVBits"; });

}  // namespace
}  // namespace wasmgrind
