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
  void SetUp() override { Start(); }
  // `definedness`: V bits tracked (the JIT's memcheck_values), as --memcheck's default.
  void Start(bool definedness = false) {
    log_ = ::testing::TempDir() + "/client-requests-" + std::to_string(getpid()) + ".log";
    MemcheckOptions options;
    options.log_file = log_;
    options.leak_check = LeakCheck::Full;
    options.track_definedness = definedness;
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
  // The chunk moves; the shadow stays as it was (valgrind 3.19 on a native build: the old
  // place stays addressable, the new one no-access until the program says otherwise).
  checker_->MempoolChange(pool, pool + 64, pool + 300, 16, At(6));
  EXPECT_EQ(checker_->shadow().Get(pool + 64), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(pool + 300), ShadowState::NoAccess);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, pool + 300, 1, At(6)));  // the chunk's
  EXPECT_TRUE(Logged("is 0 bytes inside a block of size 16 client-defined")) << Log();
  EXPECT_EQ(Errors(), 1u);
  checker_->MempoolChange(pool, pool + 64, pool, 16, At(7));  // no chunk there any more
  EXPECT_EQ(Errors(), 2u);
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

// Valgrind's resize in place changes only what lies past the smaller end: the bytes kept keep
// their state (valgrind 3.19, native: an undefined byte stays undefined, the others defined),
// the growth is undefined and addressable.
TEST_F(ClientRequestsTest, ResizeInPlaceKeepsTheKeptBytesState) {
  Start(/*definedness=*/true);
  uint32_t arena = Arena(256, 0x12000);
  const uint32_t block = arena + 16;
  checker_->MallocLikeBlock(block, 16, 8, /*zeroed=*/true, At(2));
  checker_->MakeMemUndefined(block + 2, 1);
  std::vector<uint8_t> memory(kMemorySize);
  memory[0x900] = 0x0f;
  ASSERT_EQ(checker_->SetVBits(memory, block + 3, 0x900, 1), 1u);
  checker_->MakeMemNoAccess(block + 4, 1);
  checker_->ResizeInPlaceBlock(block, 16, 32, 8, At(3));
  EXPECT_EQ(checker_->shadow().Get(block + 1), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(block + 2), ShadowState::Undefined);
  EXPECT_EQ(checker_->shadow().Get(block + 3), ShadowState::PartlyDefined);
  EXPECT_EQ(checker_->shadow().LoadVBits(block + 3, 1), 0x0fu);
  EXPECT_EQ(checker_->shadow().Get(block + 4), ShadowState::NoAccess);
  EXPECT_EQ(checker_->shadow().Get(block + 16), ShadowState::Undefined);  // grown
  EXPECT_EQ(checker_->shadow().Get(block + 31), ShadowState::Undefined);
  EXPECT_FALSE(checker_->shadow().Get(block + 32) == ShadowState::Defined);
  checker_->ResizeInPlaceBlock(block, 32, 4, 8, At(4));
  EXPECT_EQ(checker_->shadow().Get(block + 2), ShadowState::Undefined);
  EXPECT_EQ(checker_->shadow().Get(block + 3), ShadowState::PartlyDefined);
  EXPECT_EQ(checker_->shadow().Get(block + 4), ShadowState::HeapRedzone);  // past the end
  EXPECT_EQ(checker_->shadow().Get(block + 20), ShadowState::NoAccess);
  EXPECT_EQ(Errors(), 0u);
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

TEST_F(ClientRequestsTest, VBitsAreReadAndWrittenAByteOfBitsPerByte) {
  Start(/*definedness=*/true);
  std::vector<uint8_t> memory(kMemorySize);
  checker_->MakeMemUndefined(0x300, 2);
  memory[0x900] = 0x0f;
  EXPECT_EQ(checker_->SetVBits(memory, 0x302, 0x900, 1), 1u);  // a partly defined byte
  EXPECT_EQ(checker_->GetVBits(memory, 0x300, 0x400, 4), 1u);
  EXPECT_EQ(memory[0x400], 0xff);
  EXPECT_EQ(memory[0x401], 0xff);
  EXPECT_EQ(memory[0x402], 0x0f);
  EXPECT_EQ(memory[0x403], 0x00);
  // What GET wrote is defined, as Valgrind makes it.
  EXPECT_EQ(checker_->shadow().Get(0x400), ShadowState::Defined);

  // SET gives the bits to other bytes: whole, none and some bits undefined.
  memory[0x500] = 0x00;
  memory[0x501] = 0xff;
  memory[0x502] = 0x80;
  EXPECT_EQ(checker_->SetVBits(memory, 0x600, 0x500, 3), 1u);
  EXPECT_EQ(checker_->shadow().Get(0x600), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(0x601), ShadowState::Undefined);
  EXPECT_EQ(checker_->shadow().Get(0x602), ShadowState::PartlyDefined);
  EXPECT_EQ(checker_->shadow().LoadVBits(0x602, 1), 0x80u);

  // A byte of either range not addressable: 3, nothing copied, nothing reported.
  checker_->MakeMemNoAccess(0x700, 1);
  memory[0x800] = 0xaa;
  EXPECT_EQ(checker_->GetVBits(memory, 0x6ff, 0x800, 2), 3u);
  EXPECT_EQ(memory[0x800], 0xaa);
  EXPECT_EQ(checker_->SetVBits(memory, 0x600, 0x6ff, 2), 3u);
  EXPECT_EQ(checker_->shadow().Get(0x600), ShadowState::Defined);
  EXPECT_EQ(checker_->GetVBits(memory, kMemorySize - 1, 0x800, 2), 3u);  // past the memory
  EXPECT_EQ(Errors(), 0u);
}

TEST_F(ClientRequestsTest, VBitsWithoutDefinednessAreAllDefined) {
  std::vector<uint8_t> memory(kMemorySize, 0x5a);
  checker_->MakeMemUndefined(0x300, 2);  // only addressable: definedness is not tracked
  EXPECT_EQ(checker_->GetVBits(memory, 0x300, 0x400, 2), 1u);
  EXPECT_EQ(memory[0x400], 0x00);
  EXPECT_EQ(memory[0x401], 0x00);
  EXPECT_EQ(checker_->SetVBits(memory, 0x600, 0x500, 2), 1u);  // 0x5a: would be partial
  EXPECT_EQ(checker_->shadow().Get(0x600), ShadowState::Defined);
}

TEST_F(ClientRequestsTest, DescribedBlocksTakeTheFirstFreeHandle) {
  EXPECT_EQ(checker_->CreateBlock(0x300, 16, "table", At(1)), 0u);
  EXPECT_EQ(checker_->CreateBlock(0x400, 16, "row", At(2)), 1u);
  EXPECT_TRUE(checker_->DiscardBlock(0));
  EXPECT_FALSE(checker_->DiscardBlock(0));
  EXPECT_FALSE(checker_->DiscardBlock(7));
  EXPECT_EQ(checker_->CreateBlock(0x500, 4, "cell", At(3)), 0u);  // the discarded one's
  checker_->MakeMemNoAccess(0x500, 4);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, 0x502, 1, At(4)));
  EXPECT_TRUE(Logged("Address 0x502 is 2 bytes inside a cell of size 4 client-defined\n")) << Log();
  EXPECT_TRUE(Logged("   at 0x30: main (bug.c:3)")) << Log();
}

}  // namespace
}  // namespace wasmgrind::memcheck
