// A leak search the program requests mid-run (VALGRIND_DO_LEAK_CHECK) takes the running
// functions' wasm locals for roots, as Valgrind takes a native program's registers and stack
// (memcheck_leak_search.cc): JIT code keeps locals live across the request's call in its frames
// (and may keep some in callee-saved registers, which the search also takes; in these modules
// the JIT spills them all), so a block whose address only a local holds is still reachable.
// Without the JIT frames' words both tests fail. COUNT_LEAKS then writes the search's totals
// into memory.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "codegen/memcheck_report.h"
#include "common/wat2wasm.h"
#include "memcheck/memory_checker.h"
#include "vm/jit/engine.h"
#include "vm/runtime/linear_memory.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

// Both modules': memory, the stack pointer, the allocator and the leak search request.
constexpr const char* kPrelude = R"((module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (func $malloc (param i32) (result i32) (i32.const 0))
  (func $free (param i32))
  (func $wasmgrind_client_do_leak_check (param i32 i32 i32 i32) (result i32) (i32.const 0))
)";

// "run": twelve 16-byte blocks, their addresses in locals only; a leak search; one more block
// whose address is dropped (lost); COUNT_LEAKS into 0x100..0x110 and COUNT_LEAK_BLOCKS into
// 0x110..0x120; the twelve are freed. Returns the sum of the twelve addresses (kept live).
const std::string kLocalsHoldTheBlocks =
    std::string(kPrelude) +
    R"(  (func $wasmgrind_client_count_leaks (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func $wasmgrind_client_count_leak_blocks (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func (export "run") (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local $g i32) (local $h i32) (local $i i32) (local $j i32) (local $k i32) (local $l i32)
    (local.set $a (call $malloc (i32.const 16)))
    (local.set $b (call $malloc (i32.const 16)))
    (local.set $c (call $malloc (i32.const 16)))
    (local.set $d (call $malloc (i32.const 16)))
    (local.set $e (call $malloc (i32.const 16)))
    (local.set $f (call $malloc (i32.const 16)))
    (local.set $g (call $malloc (i32.const 16)))
    (local.set $h (call $malloc (i32.const 16)))
    (local.set $i (call $malloc (i32.const 16)))
    (local.set $j (call $malloc (i32.const 16)))
    (local.set $k (call $malloc (i32.const 16)))
    (local.set $l (call $malloc (i32.const 16)))
    (drop (call $malloc (i32.const 40)))
    (drop (call $wasmgrind_client_do_leak_check (i32.const 0) (i32.const 0) (i32.const 0)
                                                (i32.const 0)))
    (drop (call $wasmgrind_client_count_leaks (i32.const 0x100) (i32.const 0x104)
                                              (i32.const 0x108) (i32.const 0x10c)))
    (drop (call $wasmgrind_client_count_leak_blocks (i32.const 0x110) (i32.const 0x114)
                                                    (i32.const 0x118) (i32.const 0x11c)))
    (call $free (local.get $a)) (call $free (local.get $b)) (call $free (local.get $c))
    (call $free (local.get $d)) (call $free (local.get $e)) (call $free (local.get $f))
    (call $free (local.get $g)) (call $free (local.get $h)) (call $free (local.get $i))
    (call $free (local.get $j)) (call $free (local.get $k)) (call $free (local.get $l))
    (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
      (i32.add (i32.add (i32.add (local.get $e) (local.get $f)) (i32.add (local.get $g) (local.get $h)))
        (i32.add (i32.add (local.get $i) (local.get $j)) (i32.add (local.get $k) (local.get $l)))))))
)";

// "run": one block whose address a local holds across the search.
const std::string kOneLocal =
    std::string(kPrelude) + R"(  (func (export "run") (result i32) (local $a i32)
    (local.set $a (call $malloc (i32.const 16)))
    (drop (call $wasmgrind_client_do_leak_check (i32.const 0) (i32.const 0) (i32.const 0)
                                                (i32.const 0)))
    (call $free (local.get $a))
    (local.get $a)))
)";

class MemcheckLeakRootsTest : public ::testing::Test {
 protected:
  MemcheckLeakRootsTest() : engine_(EngineOptions{.memcheck = true}), store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([] { return memcheck::MemcheckOptions{}; }));
  }
  // Instantiates `wat` and calls its "run": the instance, or null after a failure.
  Instance* Run(const std::string& wat) {
    auto module = Module::Compile(engine_, test::Wat2Wasm(wat, /*names=*/true));
    EXPECT_TRUE(module.ok()) << module.error().ToString();
    if (!module.ok()) return nullptr;
    Linker linker;
    auto instance = linker.Instantiate(store_, *module);
    EXPECT_TRUE(instance.ok()) << instance.error().ToString();
    if (!instance.ok()) return nullptr;
    auto r = store_.Call((*instance)->GetFunction("run"), {});
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *instance : nullptr;
  }

  test::MemcheckReport report_;  // outlives the store, whose checker writes to it
  Engine engine_;
  Store store_;
};

TEST_F(MemcheckLeakRootsTest, ALocalIsARoot) {
  Instance* instance = Run(kOneLocal);
  ASSERT_NE(instance, nullptr);
  const memcheck::MemoryChecker& checker = *Store::MemcheckOf(*instance);
  EXPECT_EQ(checker.LastLeaks().of(memcheck::LeakKind::Reachable).blocks, 1u) << report_.Text();
  EXPECT_EQ(checker.ErrorCount(), 0u) << report_.Text();
}

TEST_F(MemcheckLeakRootsTest, LocalsLiveAcrossTheRequestAreRoots) {
  Instance* instance = Run(kLocalsHoldTheBlocks);
  ASSERT_NE(instance, nullptr);
  const memcheck::MemoryChecker& checker = *Store::MemcheckOf(*instance);
  using memcheck::LeakKind;
  EXPECT_EQ(checker.LastLeaks().of(LeakKind::Reachable).blocks, 12u) << report_.Text();
  EXPECT_EQ(checker.LastLeaks().of(LeakKind::Definite).bytes, 40u) << report_.Text();
  EXPECT_EQ(checker.ErrorCount(), 1u) << "the lost block\n" << report_.Text();

  // COUNT_LEAKS' words: leaked, dubious, reachable, suppressed; then the blocks.
  const LinearMemory* memory = instance->memory(0);
  ASSERT_NE(memory, nullptr);
  auto word = [memory](uint32_t at) {
    uint32_t v;
    std::memcpy(&v, memory->data() + at, sizeof v);
    return v;
  };
  EXPECT_EQ(word(0x100), 40u);
  EXPECT_EQ(word(0x104), 0u);
  EXPECT_EQ(word(0x108), 12u * 16);
  EXPECT_EQ(word(0x10c), 0u);
  EXPECT_EQ(word(0x110), 1u);
  EXPECT_EQ(word(0x118), 12u);
}

}  // namespace
}  // namespace wasmgrind
