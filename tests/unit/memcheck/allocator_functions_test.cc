// AllocatorFunctions: Valgrind's malloc replacements over the GuestAllocator, driving the
// MemoryChecker: blocks get redzones and addressable contents, calloc zeroes reused memory,
// realloc moves and keeps the old bytes, bad frees are reported and change nothing, freed
// memory waits in the quarantine, and the heap grows memory through the callback.
#include "memcheck/allocator_functions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "fake_symbolizer.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

constexpr uint32_t kPage = GuestAllocator::kPageBytes;
constexpr uint32_t kHeapBase = 0x11000;

class AllocatorFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = ::testing::TempDir() + "/allocfn-" + std::to_string(getpid()) + ".log";
    // Garbage: nothing may rely on fresh memory being zero. Its base never moves, as a linear
    // memory's (AllocatorFunctions::MemoryView; the heap keeps slot hints there): room for
    // every page the grow callback allows.
    memory_.reserve(size_t{max_pages_} * kPage);
    memory_.assign(size_t{2} * kPage, 0xAB);
    MemcheckOptions options;
    options.log_file = log_;
    options.freelist_vol = 4096;
    options.track_definedness = track_definedness_;
    options.malloc_fill = malloc_fill_;
    options.free_fill = free_fill_;
    options.alignment = alignment_;
    MemoryLayout layout;
    layout.memory_size = memory_.size();
    layout.heap_base = kHeapBase;
    layout.stack = AddressRange{0x1000, 0x11000};
    layout.initial_stack_pointer = 0x11000;
    auto checker = MemoryChecker::Create(options, layout, symbolizer_,
                                         RunInfo{getpid(), 1, "test", {"wasmgrind"}, {"p.wasm"}});
    ASSERT_TRUE(checker.ok()) << checker.error();
    checker_ = std::move(checker).value();
    functions_.emplace(
        *checker_, kHeapBase, [this] { return std::span<uint8_t>(memory_); },
        [this](uint32_t pages) -> std::optional<uint32_t> {
          uint32_t old = static_cast<uint32_t>(memory_.size() / kPage);
          if (old + pages > max_pages_) return std::nullopt;
          const uint8_t* base = memory_.data();
          memory_.resize(memory_.size() + uint64_t{pages} * kPage, 0xCD);
          EXPECT_EQ(memory_.data(), base);
          return old;
        });
  }
  void TearDown() override { unlink(log_.c_str()); }

  std::string Log() const { return ReadFile(log_); }
  ShadowState State(uint64_t a) const { return checker_->shadow().Get(a); }

  FakeSymbolizer symbolizer_;
  std::string log_;
  std::vector<uint8_t> memory_;
  uint32_t max_pages_ = 64;
  bool track_definedness_ = false;                  // set in a derived fixture's constructor
  std::optional<uint8_t> malloc_fill_, free_fill_;  // likewise
  uint32_t alignment_ = 16;                         // likewise
  std::unique_ptr<MemoryChecker> checker_;
  std::optional<AllocatorFunctions> functions_;
};

TEST_F(AllocatorFunctionsTest, MallocGivesAnAddressableBlockBetweenRedzones) {
  uint32_t p = functions_->Malloc(10, AllocFamily::Malloc, At(5));
  ASSERT_NE(p, 0u);
  EXPECT_GE(p, kHeapBase);
  EXPECT_EQ(p % 16, 0u);
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(State(p + i), ShadowState::Defined) << i;
  EXPECT_EQ(State(p + 10), ShadowState::HeapRedzone);
  EXPECT_EQ(State(p - 1), ShadowState::HeapRedzone);
  EXPECT_EQ(functions_->UsableSize(p), 10u);
}

TEST_F(AllocatorFunctionsTest, CallocZeroesReusedMemory) {
  uint32_t a = functions_->Calloc(4, 8, At(3));
  ASSERT_NE(a, 0u);
  for (uint32_t i = 0; i < 32; ++i) EXPECT_EQ(memory_[a + i], 0) << i;
  EXPECT_EQ(functions_->Calloc(UINT32_MAX, 2, At(4)), 0u);  // the product overflows
}

TEST_F(AllocatorFunctionsTest, ReallocMovesKeepsTheBytesAndFreesTheOldBlock) {
  uint32_t p = functions_->Malloc(4, AllocFamily::Malloc, At(1));
  std::memcpy(memory_.data() + p, "abcd", 4);
  uint32_t q = functions_->Realloc(p, 100, At(2));
  ASSERT_NE(q, 0u);
  EXPECT_NE(q, p);
  EXPECT_EQ(std::memcmp(memory_.data() + q, "abcd", 4), 0);
  EXPECT_EQ(State(p), ShadowState::HeapFreed);
  EXPECT_EQ(functions_->Realloc(q, 0, At(3)), 0u);  // frees, as Valgrind's realloc(p, 0)
  EXPECT_EQ(State(q), ShadowState::HeapFreed);
  EXPECT_EQ(checker_->errors().counts().errors, 0u);
}

// --malloc-fill and --free-fill: a new block's bytes (calloc's stay zero), a freed block's.
class AllocatorFillTest : public AllocatorFunctionsTest {
 protected:
  AllocatorFillTest() {
    malloc_fill_ = 0x5a;
    free_fill_ = 0xdd;
  }
};

TEST_F(AllocatorFillTest, FillsNewAndFreedBlocks) {
  uint32_t p = functions_->Malloc(10, AllocFamily::Malloc, At(1));
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(memory_[p + i], 0x5a) << i;
  EXPECT_EQ(State(p), ShadowState::Defined);  // without V bits here; undefined with them
  uint32_t c = functions_->Calloc(2, 4, At(2));
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(memory_[c + i], 0) << i;
  functions_->Free(p, Deallocator::Free, At(3));
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(memory_[p + i], 0xdd) << i;
  // A bad free fills nothing.
  memory_[c + 1] = 0x11;
  functions_->Free(c + 1, Deallocator::Free, At(4));
  EXPECT_EQ(memory_[c + 1], 0x11);
}

// --alignment=64: every block is 64-byte aligned (malloc, calloc, realloc, new, and an
// aligned_alloc asking for less), its redzones still around it.
class AllocatorAlignmentTest : public AllocatorFunctionsTest {
 protected:
  AllocatorAlignmentTest() { alignment_ = 64; }
};

TEST_F(AllocatorAlignmentTest, EveryBlockHasTheLeastAlignment) {
  std::vector<uint32_t> blocks;
  for (uint32_t size : {1u, 10u, 100u}) {
    blocks.push_back(functions_->Malloc(size, AllocFamily::Malloc, At(1)));
    blocks.push_back(functions_->Malloc(size, AllocFamily::New, At(2)));
    blocks.push_back(functions_->Calloc(1, size, At(3)));
    blocks.push_back(functions_->AlignedAlloc(32, size, AllocFamily::Malloc, At(4)));
  }
  blocks.push_back(functions_->Realloc(blocks[0], 50, At(5)));
  for (uint32_t p : blocks) {
    ASSERT_NE(p, 0u);
    EXPECT_EQ(p % 64, 0u) << p;
    EXPECT_EQ(State(p - 1), ShadowState::HeapRedzone) << p;
  }
  EXPECT_EQ(State(blocks[1] + 1), ShadowState::HeapRedzone);  // new(1)'s end
}

// With definedness tracked (part 2): new blocks are undefined but calloc's, and realloc keeps
// the old bytes' state while its growth is undefined.
class AllocatorDefinednessTest : public AllocatorFunctionsTest {
 protected:
  AllocatorDefinednessTest() { track_definedness_ = true; }
};

TEST_F(AllocatorDefinednessTest, NewBytesAreUndefinedAndReallocKeepsTheOldState) {
  uint32_t p = functions_->Malloc(8, AllocFamily::Malloc, At(1));
  EXPECT_EQ(checker_->LoadVBits(p, 8), ~uint64_t{0});
  uint32_t c = functions_->Calloc(2, 4, At(2));
  EXPECT_EQ(checker_->LoadVBits(c, 8), 0u);
  checker_->StoreVBits(p, 4, 0);
  checker_->StoreVBits(p + 4, 1, 0x80);  // one bit of a bit-field still undefined
  uint32_t q = functions_->Realloc(p, 16, At(3));
  ASSERT_NE(q, 0u);
  EXPECT_EQ(checker_->LoadVBits(q, 8), 0xffffff8000000000u);
  EXPECT_EQ(checker_->LoadVBits(q + 8, 8), ~uint64_t{0});
  uint32_t r = functions_->Realloc(q, 2, At(4));  // shrinking keeps what is left
  EXPECT_EQ(checker_->LoadVBits(r, 2), 0u);
  EXPECT_EQ(checker_->errors().counts().errors, 0u);
}

TEST_F(AllocatorFunctionsTest, BadFreesAreReportedAndFreeNothing) {
  uint32_t p = functions_->Malloc(8, AllocFamily::Malloc, At(1));
  functions_->Free(p + 4, Deallocator::Free, At(2));  // interior pointer
  EXPECT_EQ(State(p), ShadowState::Defined);
  functions_->Free(p, Deallocator::Free, At(3));
  functions_->Free(p, Deallocator::Free, At(4));     // double free
  EXPECT_EQ(functions_->Realloc(p, 16, At(5)), 0u);  // realloc of a freed block
  EXPECT_EQ(checker_->errors().counts().errors, 3u);
  std::string log = Log();
  EXPECT_NE(log.find("Invalid free() / delete / delete[] / realloc()"), std::string::npos) << log;
}

TEST_F(AllocatorFunctionsTest, MismatchedDeallocatorIsReported) {
  uint32_t p = functions_->Malloc(8, AllocFamily::NewArray, At(1));
  functions_->Free(p, Deallocator::Delete, At(2));
  EXPECT_EQ(checker_->errors().counts().errors, 1u);
  EXPECT_NE(Log().find("Mismatched free() / delete / delete []"), std::string::npos) << Log();
}

TEST_F(AllocatorFunctionsTest, QuarantineDelaysReuse) {
  uint32_t p = functions_->Malloc(64, AllocFamily::Malloc, At(1));
  functions_->Free(p, Deallocator::Free, At(2));
  uint32_t q = functions_->Malloc(64, AllocFamily::Malloc, At(3));
  EXPECT_NE(q, p);  // p waits in the quarantine (4096 bytes here)
  // Enough frees push p out of the quarantine; its memory is then reused.
  std::vector<uint32_t> blocks;
  for (int i = 0; i < 100; ++i)
    blocks.push_back(functions_->Malloc(64, AllocFamily::Malloc, At(4)));
  for (uint32_t b : blocks) functions_->Free(b, Deallocator::Free, At(5));
  EXPECT_NE(State(p), ShadowState::HeapFreed);
}

TEST_F(AllocatorFunctionsTest, AlignedAndPosixMemalign) {
  uint32_t a = functions_->AlignedAlloc(256, 10, AllocFamily::Malloc, At(1));
  ASSERT_NE(a, 0u);
  EXPECT_EQ(a % 256, 0u);
  EXPECT_EQ(functions_->AlignedAlloc(24, 10, AllocFamily::Malloc, At(2)), 0u);
  uint32_t slot = functions_->Malloc(4, AllocFamily::Malloc, At(3));
  EXPECT_EQ(functions_->PosixMemalign(slot, 64, 100, At(4)), 0u);
  uint32_t result;
  std::memcpy(&result, memory_.data() + slot, 4);
  EXPECT_EQ(result % 64, 0u);
  EXPECT_EQ(State(result), ShadowState::Defined);
  EXPECT_EQ(functions_->PosixMemalign(slot, 3, 100, At(5)), 28u);  // EINVAL
}

TEST_F(AllocatorFunctionsTest, GrowsMemoryForLargeBlocksAndFailsCleanly) {
  uint64_t before = memory_.size();
  uint32_t big = functions_->Malloc(uint64_t{3} * kPage, AllocFamily::Malloc, At(1));
  ASSERT_NE(big, 0u);
  EXPECT_GT(memory_.size(), before);
  EXPECT_EQ(checker_->shadow().size(), memory_.size());
  EXPECT_EQ(State(big + 3 * kPage - 1), ShadowState::Defined);
  EXPECT_EQ(State(memory_.size() - 1), ShadowState::HeapUnallocated);
  max_pages_ = 0;
  EXPECT_EQ(functions_->Malloc(uint64_t{100} * kPage, AllocFamily::Malloc, At(2)), 0u);
}

}  // namespace
}  // namespace wasmgrind::memcheck
