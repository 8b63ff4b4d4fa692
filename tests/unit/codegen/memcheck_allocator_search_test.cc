// Under --memcheck the runtime finds the module's allocation functions by name and replaces
// them (memcheck_calls.h, FindMcAllocator: the name section's name, else DWARF's, else an
// export's; the corpus runs its C programs without their name section, for DWARF). A module
// in which it finds none runs with heap blocks untracked; where some function has no name, the
// report says so once, at the start, instead of staying silent about the heap bugs it cannot
// see (a stripped module's malloc is still there, unnamed). A module whose functions all have
// names and none is an allocator never allocates: nothing is said.
#include <gtest/gtest.h>

#include <string>

#include "codegen/memcheck_report.h"
#include "common/wat2wasm.h"
#include "memcheck/memory_checker.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

constexpr const char* kWarning = "Warning: no allocation function (malloc, free, operator new";

// "alloc" allocates 10 bytes through whatever "malloc" is, and writes the byte after them.
constexpr const char* kWithMalloc = R"((module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (func $malloc (param i32) (result i32) (i32.const 0))
  (func $free (param i32))
  (func (export "alloc") (local i32)
    (local.set 0 (call $malloc (i32.const 10)))
    (i32.store8 offset=10 (local.get 0) (i32.const 1))
    (call $free (local.get 0))))
)";
// The same with the functions' names gone.
constexpr const char* kUnnamed = R"((module
  (memory (export "memory") 2)
  (global (mut i32) (i32.const 4096))
  (func (param i32) (result i32) (i32.const 0))
  (func (param i32))
  (func (export "alloc") (local i32)
    (local.set 0 (call 0 (i32.const 10)))
    (i32.store8 offset=10 (local.get 0) (i32.const 1))
    (call 1 (local.get 0))))
)";

// The same, stripped, but for the allocator's exports (a module may export its malloc).
constexpr const char* kExported = R"((module
  (memory (export "memory") 2)
  (global (mut i32) (i32.const 4096))
  (func (export "malloc") (param i32) (result i32) (i32.const 0))
  (func (export "free") (param i32))
  (func (export "alloc") (local i32)
    (local.set 0 (call 0 (i32.const 10)))
    (i32.store8 offset=10 (local.get 0) (i32.const 1))
    (call 1 (local.get 0))))
)";
// A program that never allocates: every function named, none an allocator.
constexpr const char* kNoAllocator = R"((module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (func $sum (param i32) (result i32) (i32.add (i32.load (local.get 0)) (i32.const 1)))
  (func (export "alloc") (drop (call $sum (i32.const 64)))))
)";

class MemcheckAllocatorSearchTest : public ::testing::Test {
 protected:
  MemcheckAllocatorSearchTest() : engine_(EngineOptions{.memcheck = true}), store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([] { return memcheck::MemcheckOptions{}; }));
  }
  // Runs "alloc" of `wat` (with or without its name section); the checker's error count.
  uint64_t Run(const char* wat, bool names) {
    auto module = Module::Compile(engine_, test::Wat2Wasm(wat, names));
    EXPECT_TRUE(module.ok()) << module.error().ToString();
    if (!module.ok()) return 0;
    Linker linker;
    auto instance = linker.Instantiate(store_, *module);
    EXPECT_TRUE(instance.ok()) << instance.error().ToString();
    if (!instance.ok()) return 0;
    auto r = store_.Call((*instance)->GetFunction("alloc"), {});
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return Store::MemcheckOf(**instance)->ErrorCount();
  }
  size_t Warnings() const {
    const std::string text = report_.Text();
    size_t n = 0;
    for (size_t at = text.find(kWarning); at != std::string::npos; at = text.find(kWarning, at + 1))
      ++n;
    return n;
  }

  test::MemcheckReport report_;  // outlives the store, whose checker writes to it
  Engine engine_;
  Store store_;
};

TEST_F(MemcheckAllocatorSearchTest, AFoundMallocIsReplacedAndNothingIsSaid) {
  EXPECT_EQ(Run(kWithMalloc, /*names=*/true), 1u) << "the write past the block\n" << report_.Text();
  EXPECT_NE(report_.Text().find("Invalid write of size 1"), std::string::npos) << report_.Text();
  EXPECT_EQ(Warnings(), 0u) << report_.Text();
}

TEST_F(MemcheckAllocatorSearchTest, WithoutOneTheReportSaysTheHeapIsNotChecked) {
  EXPECT_EQ(Run(kUnnamed, /*names=*/false), 0u) << report_.Text();
  EXPECT_EQ(Warnings(), 1u) << report_.Text();
}

TEST_F(MemcheckAllocatorSearchTest, AStrippedModulesExportedMallocIsFound) {
  EXPECT_EQ(Run(kExported, /*names=*/false), 1u) << "the write past the block\n" << report_.Text();
  EXPECT_EQ(Warnings(), 0u) << report_.Text();
}

TEST_F(MemcheckAllocatorSearchTest, AProgramWithNamesAndNoAllocatorHasNoHeapToWarnAbout) {
  EXPECT_EQ(Run(kNoAllocator, /*names=*/true), 0u) << report_.Text();
  EXPECT_EQ(Warnings(), 0u) << report_.Text();
  // Stripped, the same module may hide a malloc: the warning is due.
  EXPECT_EQ(Run(kNoAllocator, /*names=*/false), 0u) << report_.Text();
  EXPECT_EQ(Warnings(), 1u) << report_.Text();
}

}  // namespace
}  // namespace wasmgrind
