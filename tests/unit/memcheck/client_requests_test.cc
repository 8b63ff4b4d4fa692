// MemoryChecker's client requests (client_requests.cc, ClientBlocks): memory pools,
// MALLOCLIKE blocks nested in heap blocks, and what the leak check makes of them, with the
// wording valgrind 3.19 printed for the same requests on a native build.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "fake_symbolizer.h"
#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

class ClientRequestsTest : public ::testing::Test {
 protected:
  // Memory: 0..0x1000 data, stack 0x1000..0x11000, heap from 0x11000 to 0x20000.
  void SetUp() override {
    log_ = ::testing::TempDir() + "/client-requests-" + std::to_string(getpid()) + ".log";
    MemcheckOptions options;
    options.log_file = log_;
    options.leak_check = LeakCheck::Full;
    MemoryLayout layout;
    layout.memory_size = kMemorySize;
    layout.heap_base = 0x11000;
    layout.stack = AddressRange{0x1000, 0x11000};
    layout.initial_stack_pointer = 0x11000;
    auto checker = MemoryChecker::Create(options, layout, symbolizer_,
                                         RunInfo{getpid(), 1, "test", {"wasmgrind"}, {"p.wasm"}});
    ASSERT_TRUE(checker.ok()) << checker.error();
    checker_ = std::move(checker).value();
  }
  void TearDown() override { unlink(log_.c_str()); }

  std::string Log() const { return ReadFile(log_); }
  bool Logged(const std::string& text) const { return Log().find(text) != std::string::npos; }
  // A malloc'd arena of `size` bytes, made no-access as a pool allocator leaves it.
  uint32_t Arena(uint32_t size, uint32_t raw) {
    auto plan = checker_->PlanAllocation(size, 0);
    uint32_t arena = checker_->OnAllocated(raw, *plan, size, AllocFamily::Malloc, false, At(1));
    checker_->MakeMemNoAccess(arena, size);
    return arena;
  }
  uint64_t Errors() const { return checker_->ErrorCount(); }

  static constexpr uint32_t kMemorySize = 0x20000;
  FakeSymbolizer symbolizer_;
  std::string log_;
  std::unique_ptr<MemoryChecker> checker_;
};

TEST_F(ClientRequestsTest, PoolChunksAreCheckedAndDescribedAsClientDefined) {
  uint32_t pool = Arena(1024, 0x12000);
  checker_->CreateMempool(pool, 16, false, 0);
  EXPECT_TRUE(checker_->MempoolExists(pool));
  EXPECT_FALSE(checker_->MempoolExists(pool + 1));
  const uint32_t chunk = pool + 16;
  checker_->MempoolAlloc(pool, chunk, 40, At(3));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, chunk, 8, At(4)));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, chunk + 36, 4, At(4)));
  EXPECT_EQ(checker_->shadow().Get(chunk - 1), ShadowState::HeapRedzone);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, chunk + 40, 4, At(5)));
  EXPECT_TRUE(Logged("is 0 bytes after a block of size 40 client-defined")) << Log();
  EXPECT_EQ(Errors(), 1u);

  // Freed: no-access, and described by the arena around it (Valgrind forgets the chunk).
  checker_->MempoolFree(pool, chunk, At(6));
  EXPECT_EQ(checker_->shadow().Get(chunk), ShadowState::NoAccess);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, chunk, 1, At(7)));
  EXPECT_TRUE(Logged("is 16 bytes inside a block of size 1024 alloc'd")) << Log();
  checker_->MempoolFree(pool, chunk, At(8));  // twice
  EXPECT_TRUE(Logged("Invalid free() / delete / delete[] / realloc()")) << Log();
  EXPECT_EQ(Errors(), 3u);

  checker_->MempoolAlloc(pool + 1, chunk, 8, At(9));  // no such pool
  EXPECT_TRUE(Logged("Illegal memory pool address")) << Log();
  EXPECT_EQ(Errors(), 4u);

  checker_->MempoolAlloc(pool, chunk, 8, At(10));
  checker_->DestroyMempool(pool, At(11));
  EXPECT_FALSE(checker_->MempoolExists(pool));
  EXPECT_EQ(checker_->shadow().Get(chunk), ShadowState::NoAccess);
  checker_->DestroyMempool(pool, At(12));  // gone
  EXPECT_EQ(Errors(), 5u);
}

TEST_F(ClientRequestsTest, TrimKeepsTheRangeAndChangeMovesAChunk) {
  uint32_t pool = Arena(512, 0x12000);
  checker_->CreateMempool(pool, 0, false, 0);
  checker_->MempoolAlloc(pool, pool, 64, At(2));
  checker_->MempoolAlloc(pool, pool + 64, 64, At(3));
  checker_->MempoolAlloc(pool + 0, pool + 256, 64, At(4));
  checker_->MempoolTrim(pool, pool + 32, 64, At(5));  // cuts the first two, frees the third
  EXPECT_EQ(checker_->shadow().Get(pool + 31), ShadowState::NoAccess);
  EXPECT_EQ(checker_->shadow().Get(pool + 32), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(pool + 95), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(pool + 96), ShadowState::NoAccess);
  EXPECT_EQ(checker_->shadow().Get(pool + 256), ShadowState::NoAccess);
  checker_->MempoolChange(pool, pool + 64, pool + 300, 16, At(6));
  EXPECT_EQ(checker_->shadow().Get(pool + 64), ShadowState::NoAccess);
  EXPECT_EQ(checker_->shadow().Get(pool + 300), ShadowState::Defined);
  EXPECT_EQ(Errors(), 0u);
  checker_->MempoolChange(pool, pool + 64, pool, 16, At(7));  // no chunk there any more
  EXPECT_EQ(Errors(), 1u);
  checker_->MoveMempool(pool, pool + 8, At(8));
  EXPECT_TRUE(checker_->MempoolExists(pool + 8));
  EXPECT_FALSE(checker_->MempoolExists(pool));
  checker_->MoveMempool(pool, pool + 16, At(9));  // no such pool
  EXPECT_TRUE(Logged("Illegal memory pool address")) << Log();
}

TEST_F(ClientRequestsTest, MallocLikeBlocksNestInTheHeapAndResizeInPlace) {
  uint32_t arena = Arena(256, 0x12000);
  const uint32_t block = arena + 8;
  checker_->MallocLikeBlock(block, 32, 8, false, At(2));
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, block + 32, 1, At(3)));
  EXPECT_TRUE(Logged("is 0 bytes after a block of size 32 alloc'd")) << Log();
  checker_->ResizeInPlaceBlock(block, 32, 64, 8, At(4));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, block + 32, 32, At(5)));
  checker_->ResizeInPlaceBlock(block, 64, 16, 8, At(6));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, block + 15, 1, At(7)));
  EXPECT_EQ(checker_->shadow().Get(block + 16), ShadowState::HeapRedzone);
  EXPECT_EQ(checker_->shadow().Get(block + 63), ShadowState::NoAccess);
  EXPECT_EQ(Errors(), 1u);
  checker_->ResizeInPlaceBlock(block, 64, 8, 8, At(8));  // its size is 16: a bad request
  EXPECT_EQ(Errors(), 2u);
  // The arena itself is freed as it was allocated; the block inside is no concern of free().
  FreeOutcome out = checker_->OnFree(arena, Deallocator::Free, At(9));
  EXPECT_EQ(out.verdict, FreeVerdict::Freed);
  // FREELIKE of a malloc'd block: a mismatch, as under Valgrind.
  auto plan = checker_->PlanAllocation(8, 0);
  uint32_t p = checker_->OnAllocated(0x13000, *plan, 8, AllocFamily::Malloc, false, At(10));
  checker_->FreeLikeBlock(p, At(11));
  EXPECT_TRUE(Logged("Mismatched free() / delete / delete []")) << Log();
}

TEST_F(ClientRequestsTest, LeakCheckCountsTheBlocksInsideAnArenaNotTheArena) {
  uint32_t arena = Arena(256, 0x12000);
  checker_->MallocLikeBlock(arena + 16, 48, 0, true, At(2));  // kept: a root points at it
  checker_->MallocLikeBlock(arena + 96, 24, 0, true, At(3));  // lost
  std::vector<uint8_t> memory(kMemorySize);
  const uint32_t kept = arena + 16;
  memcpy(&memory[0x100], &kept, 4);
  LeakRoots roots;
  roots.memory.push_back({0, 0x1000});
  roots.values.push_back(arena);  // the arena is reachable too, but is not a block here
  checker_->Finish(0, memory, roots);
  std::string log = Log();
  EXPECT_NE(log.find("24 bytes in 1 blocks are definitely lost"), std::string::npos) << log;
  EXPECT_EQ(log.find("256 bytes"), std::string::npos) << log;
  EXPECT_NE(log.find("in use at exit: 328 bytes in 3 blocks"), std::string::npos) << log;
}

TEST_F(ClientRequestsTest, DefinedIfAddressableKeepsNoAccessBytes) {
  checker_->MakeMemNoAccess(0x200, 4);
  checker_->MakeMemDefinedIfAddressable(0x1fe, 8);
  EXPECT_EQ(checker_->shadow().Get(0x1fe), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(0x200), ShadowState::NoAccess);
  EXPECT_EQ(checker_->CheckMemIsDefined(0x1fe, 8, At(2)), 0x200u);
  EXPECT_TRUE(Logged("Unaddressable byte(s) found during client check request")) << Log();
}

}  // namespace
}  // namespace wasmgrind::memcheck
