// The C stack check (emit_c_stack.cc): every global.set of clang's `__stack_pointer` traps with
// CStackOverflow, before the store, when the new value leaves [bottom, top] (c_stack.h): a
// frame pushed below the bottom (into the data, or wrapped past 0) and a pointer set above the
// top; both layouts (the stack above the data, and -Wl,--stack-first). And the check's cost:
// its out-of-line stub must not lengthen other values' live ranges (asmjit saw the stub fall
// through into the next out-of-line code, which cost hash 11%: bench/notes.md).
#include <cstdlib>
#include <string>
#include <vector>

#include "jit_test_util.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/native_disassembler.h"
#include "vm/trap_info.h"

namespace wasmgrind::test {
namespace {

// clang's default layout: data at 1024..1040, the stack [1040, 4096] above it. `frame` is what
// clang emits for a function with `n` bytes of locals: move the pointer down, write the frame,
// move it back up.
constexpr const char* kDataBelow = R"((module
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (data (i32.const 1024) "0123456789abcdef")
  (func (export "frame") (param $n i32) (local $sp i32)
    (global.set $__stack_pointer (local.tee $sp (i32.sub (global.get $__stack_pointer) (local.get $n))))
    (i32.store (local.get $sp) (i32.const 0x5a5a5a5a))
    (global.set $__stack_pointer (i32.add (local.get $sp) (local.get $n))))
  (func (export "set") (param i32) (global.set $__stack_pointer (local.get 0)))
  (func (export "sp") (result i32) (global.get $__stack_pointer))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
)";

// -Wl,--stack-first: the stack [0, 1024] below the data.
constexpr const char* kStackFirst = R"((module
  (memory 1)
  (global $__stack_pointer (mut i32) (i32.const 1024))
  (data (i32.const 1024) "0123456789abcdef")
  (func (export "push") (param i32)
    (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (local.get 0))))
  (func (export "set") (param i32) (global.set $__stack_pointer (local.get 0))))
)";

uint32_t Le32(const char* s) {
  return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 | uint32_t(uint8_t(s[2])) << 16 |
         uint32_t(uint8_t(s[3])) << 24;
}

TEST_F(JitTest, CStackFramesInsideTheStackRun) {
  Instance* inst = Load(kDataBelow, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "frame", {Value::I32(256)}), TrapKind::None);
  EXPECT_EQ(TrapOf(inst, "frame", {Value::I32(4096 - 1040)}), TrapKind::None)
      << "down to the bottom";
  EXPECT_EQ(Bits(inst, "sp"), 4096u);
  EXPECT_EQ(TrapOf(inst, "set", {Value::I32(4096)}), TrapKind::None) << "the top: the empty stack";
}

TEST_F(JitTest, CStackOverflowIntoTheDataTrapsBeforeTheFrameIsWritten) {
  Instance* inst = Load(kDataBelow, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  // One byte too deep: the frame at 1039 would overwrite the data's last word.
  EXPECT_EQ(TrapOf(inst, "frame", {Value::I32(4096 - 1039)}), TrapKind::CStackOverflow);
  EXPECT_EQ(Bits(inst, "peek", {Value::I32(1036)}), Le32("cdef")) << "the data is intact";
  EXPECT_EQ(Bits(inst, "sp"), 4096u) << "the bad pointer was not stored";
  // A frame bigger than the pointer: wraps past 0 (an out-of-bounds store without the check).
  EXPECT_EQ(TrapOf(inst, "frame", {Value::I32(5000)}), TrapKind::CStackOverflow);
}

TEST_F(JitTest, CStackPointerAboveTheTopTraps) {
  Instance* inst = Load(kDataBelow, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "set", {Value::I32(4097)}), TrapKind::CStackOverflow);
  EXPECT_EQ(TrapOf(inst, "set", {Value::I32(1039)}), TrapKind::CStackOverflow);
  EXPECT_EQ(Bits(inst, "sp"), 4096u);
}

TEST_F(JitTest, CStackOverflowDetailSaysHowDeepOrHowHigh) {
  Instance* inst = Load(kDataBelow, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  auto detail = [&](const char* name, uint32_t arg) -> std::string {
    std::vector<Value> args = {Value::I32(arg)};
    auto r = store_.Call(inst->GetFunction(name), args);
    if (r.ok() || r.error().trap_info == nullptr) return "(no trap info)";
    return r.error().trap_info->detail;
  };
  EXPECT_EQ(detail("frame", 3100),
            "stack overflow: func[0] needs the C stack 3100 bytes deep, but it is 3056 bytes "
            "(0x410..0x1000, the __stack_pointer global, above the data)");
  EXPECT_EQ(detail("frame", 5000),
            "stack overflow: func[0] needs the C stack 5000 bytes deep, but it is 3056 bytes "
            "(0x410..0x1000, the __stack_pointer global, above the data)")
      << "wrapped past 0";
  EXPECT_EQ(detail("set", 0x1010),
            "stack overflow: func[1] set the C stack pointer to 0x1010, above the top of the stack "
            "(0x410..0x1000, the __stack_pointer global, above the data)");
}

TEST_F(JitTest, CStackFirstLayoutTrapsOnTheWrapPastZero) {
  Instance* inst = Load(kStackFirst, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "push", {Value::I32(1024)}), TrapKind::None) << "down to 0";
  EXPECT_EQ(TrapOf(inst, "push", {Value::I32(1)}), TrapKind::CStackOverflow) << "0 - 1";
  EXPECT_EQ(TrapOf(inst, "set", {Value::I32(1024)}), TrapKind::None);
  EXPECT_EQ(TrapOf(inst, "set", {Value::I32(1025)}), TrapKind::CStackOverflow) << "into the data";
}

// `bytes` with a custom section appended.
std::vector<uint8_t> WithCustomSection(std::vector<uint8_t> bytes, const std::string& name,
                                       const std::string& payload) {
  std::string body = char(name.size()) + name + payload;  // names and payloads here are short
  bytes.push_back(0);                                     // custom section id
  for (size_t size = body.size();; size >>= 7) {          // LEB128 size
    bytes.push_back(static_cast<uint8_t>((size & 0x7f) | (size >= 0x80 ? 0x80 : 0)));
    if (size < 0x80) break;
  }
  bytes.insert(bytes.end(), body.begin(), body.end());
  return bytes;
}

// What clang 14 writes: processed-by: clang 14.0.6.
const std::string kClangProducers =
    std::string("\x01\x0cprocessed-by\x01\x05") + "clang" + "\x06" + "14.0.6";

TEST_F(JitTest, CStackPointerWithoutNamesIsClangsFirstGlobal) {
  // wasm-opt dropped the name section; the producers section still says clang.
  auto module = Module::Compile(
      engine_, WithCustomSection(Wat2Wasm(kDataBelow), "producers", kClangProducers));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  auto inst = linker_.Instantiate(store_, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ(TrapOf(*inst, "frame", {Value::I32(256)}), TrapKind::None);
  EXPECT_EQ(TrapOf(*inst, "frame", {Value::I32(4096 - 1039)}), TrapKind::CStackOverflow);
  EXPECT_EQ(TrapOf(*inst, "set", {Value::I32(4097)}), TrapKind::CStackOverflow);
  // Not laid out as wasm-ld lays out a stack (a top not aligned to 16): not taken for one.
  std::string unaligned = kDataBelow;
  unaligned.replace(unaligned.find("4096"), 4, "4092");
  module = Module::Compile(engine_,
                           WithCustomSection(Wat2Wasm(unaligned), "producers", kClangProducers));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  inst = linker_.Instantiate(store_, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  EXPECT_EQ(TrapOf(*inst, "set", {Value::I32(5000)}), TrapKind::None);
}

TEST_F(JitTest, CStackCheckOffOrNoStackPointerKnownDoesNotTrap) {
  // No name section and no producers section: nothing says a C compiler made the module.
  Instance* unnamed = Load(kDataBelow, /*names=*/false);
  ASSERT_NE(unnamed, nullptr);
  EXPECT_EQ(TrapOf(unnamed, "set", {Value::I32(4097)}), TrapKind::None);
  // EngineOptions::check_c_stack off (`run --no-stack-check`).
  EngineOptions options = TestEngineOptions();
  options.check_c_stack = false;
  Engine engine(options);
  Store store(engine);
  auto module = Module::Compile(engine, Wat2Wasm(kDataBelow, /*names=*/true));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  auto inst = Linker().Instantiate(store, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  std::vector<Value> args = {Value::I32(4097)};
  auto r = store.Call((*inst)->GetFunction("set"), args);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
}

// clang's shape: a frame at entry, an innermost loop that exits through a write-back stub of
// its local copies, the frame popped at the end. Few enough values that, with or without the
// check, none needs a stack slot; the regression gave the loop's values stack slots (the entry
// check's stub fell through into the loop exit's stub in asmjit's view, so the loop's copies
// were live from the entry on).
std::string FrameAndLoop(uint32_t stack_top) {
  return R"((module
  (memory 1)
  (global $__stack_pointer (mut i32) (i32.const )" +
         std::to_string(stack_top) + R"())
  (data (i32.const 1024) "0123456789abcdef")
  (func (export "rounds") (result i32)
    (local $sp i32) (local $i i32) (local $t i32) (local $a i32) (local $b i32) (local $c i32)
    (local $d i32)
    (global.set $__stack_pointer (local.tee $sp (i32.sub (global.get $__stack_pointer) (i32.const 256))))
    (local.set $a (i32.load (local.get $sp)))
    (local.set $b (i32.load offset=4 (local.get $sp)))
    (local.set $c (i32.load offset=8 (local.get $sp)))
    (local.set $d (i32.load offset=12 (local.get $sp)))
    (block $done
      (loop $next
        (local.set $t (i32.add (i32.xor (local.get $d) (i32.rotl (local.get $c) (i32.const 26)))
                               (i32.load offset=32 (i32.add (local.get $sp) (local.get $i)))))
        (br_if $done (i32.eq (local.get $i) (i32.const 252)))
        (local.set $d (local.get $c))
        (local.set $c (local.get $b))
        (local.set $b (local.get $a))
        (local.set $a (i32.add (local.get $t) (i32.rotl (local.get $a) (i32.const 30))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (global.set $__stack_pointer (i32.add (local.get $sp) (i32.const 256)))
    (i32.add (local.get $t) (i32.add (i32.add (local.get $a) (local.get $b))
                                     (i32.add (local.get $c) (local.get $d))))))
)";
}

// How many instructions of the module's only function address a stack slot.
int StackSlotAccesses(Engine& engine, const std::string& wat) {
  auto module = Module::Compile(engine, Wat2Wasm(wat, /*names=*/true));
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return -1;
  const CompiledCode& code = (*module)->code();
  NativeDisassembler dis;
  int count = 0;
  const auto* entry = static_cast<const uint8_t*>(code.FunctionEntry(0));
  for (const NativeInstr& n : dis.Disassemble(entry, code.function(0).code_size, 0)) {
    if (n.operands.find("[rsp") != std::string::npos) ++count;
  }
  return count;
}

TEST_F(JitTest, CStackCheckCostsNoStackSlots) {
  if (std::getenv("WASMGRIND_TEST_LARGE_FUNCTION_PATH") != nullptr) {
    GTEST_SKIP() << "locals live in stack slots on that path";
  }
  EngineOptions options = TestEngineOptions();
  options.check_c_stack = false;
  Engine unchecked(options);
  ASSERT_EQ(StackSlotAccesses(unchecked, FrameAndLoop(4096)), 0)
      << "the baseline no longer fits registers";
  EXPECT_EQ(StackSlotAccesses(engine_, FrameAndLoop(4096)), 0);
  // The check is there: with a stack of 60 bytes above the data, the 256-byte frame traps.
  Instance* inst = Load(FrameAndLoop(1100), /*names=*/true);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(TrapOf(inst, "rounds"), TrapKind::CStackOverflow);
}

}  // namespace
}  // namespace wasmgrind::test

namespace wasmgrind::test {
namespace {

// --memcheck knows where the .bss ends (data_end: its DWARF variables): the bottom moves past
// it, rounded up to 16 where wasm-ld starts the stack; an end below the segments' or at the top
// changes nothing.
TEST_F(JitTest, CStackBottomMovesPastAKnownDataEnd) {
  Instance* inst = Load(kDataBelow, /*names=*/true);
  ASSERT_NE(inst, nullptr);
  const ModuleInfo& info = inst->module().info();
  EXPECT_EQ(FindCStack(info)->bottom, 1040u);
  EXPECT_EQ(FindCStack(info, 2001)->bottom, 2016u);
  EXPECT_EQ(FindCStack(info, 2016)->bottom, 2016u);
  EXPECT_EQ(FindCStack(info, 1000)->bottom, 1040u);
  EXPECT_EQ(FindCStack(info, 4090)->bottom, 1040u);
  EXPECT_EQ(FindCStack(info, 2001)->top, 4096u);
}

}  // namespace
}  // namespace wasmgrind::test
