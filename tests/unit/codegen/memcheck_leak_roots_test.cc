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

// "run": twelve 16-byte blocks, their addresses in locals only; a leak search; one more block
// whose address is dropped (lost); COUNT_LEAKS into 0x100..0x110 and COUNT_LEAK_BLOCKS into
// 0x110..0x120; the twelve are freed. Returns the sum of the twelve addresses (kept live).
constexpr const char* kLocalsHoldTheBlocks = R"((module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (func $malloc (param i32) (result i32) (i32.const 0))
  (func $free (param i32))
  (func $wasmgrind_client_do_leak_check (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func $wasmgrind_client_count_leaks (param i32 i32 i32 i32) (result i32) (i32.const 0))
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
constexpr const char* kOneLocal = R"((module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (func $malloc (param i32) (result i32) (i32.const 0))
  (func $free (param i32))
  (func $wasmgrind_client_do_leak_check (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func (export "run") (result i32) (local $a i32)
    (local.set $a (call $malloc (i32.const 16)))
    (drop (call $wasmgrind_client_do_leak_check (i32.const 0) (i32.const 0) (i32.const 0)
                                                (i32.const 0)))
    (call $free (local.get $a))
    (local.get $a)))
)";

TEST(MemcheckLeakRootsTest, ALocalIsARoot) {
  test::MemcheckReport report;
  Engine engine(EngineOptions{.memcheck = true});
  Store store(engine);
  store.SetMemcheckFactory(report.Factory([] { return memcheck::MemcheckOptions{}; }));
  auto module = Module::Compile(engine, test::Wat2Wasm(kOneLocal, /*names=*/true));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  Linker linker;
  auto instance = linker.Instantiate(store, *module);
  ASSERT_TRUE(instance.ok()) << instance.error().ToString();
  ASSERT_TRUE(store.Call((*instance)->GetFunction("run"), {}).ok());
  const memcheck::MemoryChecker& checker = *Store::MemcheckOf(**instance);
  EXPECT_EQ(checker.LastLeaks().of(memcheck::LeakKind::Reachable).blocks, 1u) << report.Text();
  EXPECT_EQ(checker.ErrorCount(), 0u) << report.Text();
}

TEST(MemcheckLeakRootsTest, LocalsLiveAcrossTheRequestAreRoots) {
  test::MemcheckReport report;  // outlives the store, whose checker writes to it
  Engine engine(EngineOptions{.memcheck = true});
  Store store(engine);
  store.SetMemcheckFactory(report.Factory([] { return memcheck::MemcheckOptions{}; }));
  auto module = Module::Compile(engine, test::Wat2Wasm(kLocalsHoldTheBlocks, /*names=*/true));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  Linker linker;
  auto instance = linker.Instantiate(store, *module);
  ASSERT_TRUE(instance.ok()) << instance.error().ToString();
  auto r = store.Call((*instance)->GetFunction("run"), {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();

  const memcheck::MemoryChecker& checker = *Store::MemcheckOf(**instance);
  using memcheck::LeakKind;
  EXPECT_EQ(checker.LastLeaks().of(LeakKind::Reachable).blocks, 12u) << report.Text();
  EXPECT_EQ(checker.LastLeaks().of(LeakKind::Definite).bytes, 40u) << report.Text();
  EXPECT_EQ(checker.ErrorCount(), 1u) << "the lost block\n" << report.Text();

  // COUNT_LEAKS' words: leaked, dubious, reachable, suppressed; then the blocks.
  const LinearMemory* memory = (*instance)->memory(0);
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
