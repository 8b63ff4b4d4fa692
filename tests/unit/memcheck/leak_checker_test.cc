// LeakChecker: each of Valgrind's leak kinds, cliques, chains through possible blocks, cycles,
// roots of every sort, and the grouping and order of loss records.
#include "memcheck/leak_checker.h"

#include <gtest/gtest.h>

#include <cstring>

namespace wasmgrind::memcheck {
namespace {

class LeakCheckerTest : public ::testing::Test {
 protected:
  LeakCheckerTest() : memory_(1 << 16, 0) {}

  // A live block at `begin` (user bytes) of `size`, allocated at `site`.
  size_t Block(uint32_t begin, uint32_t size, BacktraceId site = 1) {
    HeapBlock b;
    b.raw_begin = begin - 16;
    b.raw_end = begin + size + 16;
    b.user_begin = begin;
    b.user_size = size;
    b.alloc_site = site;
    blocks_.push_back(b);
    return blocks_.size() - 1;
  }
  void Poke(uint32_t address, uint32_t value) { memcpy(&memory_[address], &value, 4); }

  LeakResult Run(LeakHeuristicSet heuristics = LeakHeuristicSet::All()) {
    std::sort(blocks_.begin(), blocks_.end(),
              [](const HeapBlock& a, const HeapBlock& b) { return a.user_begin < b.user_begin; });
    return FindLeaks(memory_, roots_, blocks_, heuristics);
  }
  LeakKind KindAt(const LeakResult& r, uint32_t begin) {
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (blocks_[i].user_begin == begin) return r.block_kinds[i];
    }
    ADD_FAILURE() << "no block at " << begin;
    return LeakKind::Reachable;
  }

  std::vector<uint8_t> memory_;
  std::vector<HeapBlock> blocks_;
  LeakRoots roots_{{{0x100, 0x200}}, {}};  // "data" is 0x100..0x200
};

TEST_F(LeakCheckerTest, StartPointerFromARootIsStillReachable) {
  Block(0x1000, 16);
  Poke(0x104, 0x1000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(r.total(LeakKind::Reachable).bytes, 16u);
}

TEST_F(LeakCheckerTest, NoPointerIsDefinitelyLost) {
  Block(0x1000, 16);
  Poke(0x104, 0x0fff);  // one before: not into the block
  Poke(0x108, 0x1010);  // one past the end: not into the block either
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Definite);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].bytes, 16u);
  EXPECT_EQ(r.records[0].blocks, 1u);
}

TEST_F(LeakCheckerTest, InteriorPointerOnlyIsPossiblyLost) {
  Block(0x1000, 16);
  Poke(0x104, 0x1008);
  EXPECT_EQ(KindAt(Run(), 0x1000), LeakKind::Possible);
}

TEST_F(LeakCheckerTest, UnalignedWordsAreNotPointers) {
  Block(0x1000, 16);
  memcpy(&memory_[0x105], "\x00\x10\x00\x00", 4);  // 0x1000 at an odd address
  EXPECT_EQ(KindAt(Run(), 0x1000), LeakKind::Definite);
}

TEST_F(LeakCheckerTest, ChildOfLostBlockIsIndirectlyLostAndCountedInTheParent) {
  Block(0x1000, 8, 1);   // the list head nobody points to
  Block(0x2000, 16, 2);  // pointed to by the head only
  Poke(0x1000, 0x2000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Definite);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Indirect);
  EXPECT_EQ(r.total(LeakKind::Definite).bytes, 8u);
  EXPECT_EQ(r.total(LeakKind::Indirect).bytes, 16u);
  // Valgrind: "16 bytes ... indirectly lost in loss record 1 of 2",
  // "24 (8 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 2 of 2".
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].kind, LeakKind::Indirect);
  EXPECT_EQ(r.records[1].kind, LeakKind::Definite);
  EXPECT_EQ(r.records[1].bytes, 8u);
  EXPECT_EQ(r.records[1].indirect_bytes, 16u);
}

TEST_F(LeakCheckerTest, LostCycleHasOneLeader) {
  Block(0x1000, 8);
  Block(0x2000, 8);
  Block(0x3000, 8);
  Poke(0x1000, 0x2000);
  Poke(0x2000, 0x3000);
  Poke(0x3000, 0x1000);
  LeakResult r = Run();
  EXPECT_EQ(r.total(LeakKind::Definite).blocks, 1u);
  EXPECT_EQ(r.total(LeakKind::Indirect).blocks, 2u);
  EXPECT_EQ(r.total(LeakKind::Definite).bytes + r.total(LeakKind::Indirect).bytes, 24u);
}

TEST_F(LeakCheckerTest, LaterLeaderPointingAtEarlierOneAdoptsItsClique) {
  // 0x1000 -> 0x2000 is processed first; then 0x3000 -> 0x1000 makes 0x1000 indirect too.
  Block(0x1000, 8, 1);
  Block(0x2000, 8, 2);
  Block(0x3000, 8, 3);
  Poke(0x1000, 0x2000);
  Poke(0x3000, 0x1000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Indirect);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Indirect);
  EXPECT_EQ(KindAt(r, 0x3000), LeakKind::Definite);
  const LossRecord& top = r.records.back();
  EXPECT_EQ(top.kind, LeakKind::Definite);
  EXPECT_EQ(top.alloc_site, 3u);
  EXPECT_EQ(top.indirect_bytes, 16u);
}

TEST_F(LeakCheckerTest, StartPointerFromAPossibleBlockIsPossible) {
  // Valgrind's chain rule: root -?-> A -> B leaves both possibly lost.
  Block(0x1000, 16);
  Block(0x2000, 16);
  Poke(0x104, 0x1004);
  Poke(0x1000, 0x2000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Possible);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
}

TEST_F(LeakCheckerTest, PossibleBlockReachedLaterByStartPointerIsUpgradedWithItsChildren) {
  Block(0x1000, 16);
  Block(0x2000, 16);
  Poke(0x104, 0x1004);  // first an interior pointer ...
  Poke(0x108, 0x1000);  // ... then a start pointer
  Poke(0x1000, 0x2000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Reachable);
}

TEST_F(LeakCheckerTest, ValueRootsAndSeveralRanges) {
  Block(0x1000, 8);
  Block(0x2000, 8);
  Block(0x3000, 8);
  roots_.values = {0x1000};
  roots_.memory.push_back({0x8000, 0x8010});  // "stack"
  Poke(0x800c, 0x2000);
  Poke(0x8010, 0x3000);  // just past the stack range: not a root
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x3000), LeakKind::Definite);
}

TEST_F(LeakCheckerTest, ZeroSizeBlockIsReachedByItsStart) {
  Block(0x1000, 0);
  Poke(0x104, 0x1000);
  EXPECT_EQ(KindAt(Run(), 0x1000), LeakKind::Reachable);
}

TEST_F(LeakCheckerTest, RootRangePastTheMemoryIsClipped) {
  Block(0x1000, 8);
  roots_.memory.push_back({0xfff0, 0xffffffff});
  Poke(0xfffc, 0x1000);
  EXPECT_EQ(KindAt(Run(), 0x1000), LeakKind::Reachable);
}

TEST_F(LeakCheckerTest, RecordsGroupBySiteAndKindInValgrindsOrder) {
  Block(0x1000, 10, 7);  // two lost blocks from site 7: one record, 20 bytes
  Block(0x1100, 10, 7);
  Block(0x1200, 5, 8);   // lost, site 8: 5 bytes
  Block(0x1300, 30, 7);  // reachable from site 7: its own record
  Poke(0x100, 0x1300);
  LeakResult r = Run();
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].alloc_site, 8u);
  EXPECT_EQ(r.records[0].bytes, 5u);
  EXPECT_EQ(r.records[1].alloc_site, 7u);
  EXPECT_EQ(r.records[1].kind, LeakKind::Definite);
  EXPECT_EQ(r.records[1].blocks, 2u);
  EXPECT_EQ(r.records[1].bytes, 20u);
  EXPECT_EQ(r.records[2].kind, LeakKind::Reachable);
  EXPECT_EQ(r.records[2].bytes, 30u);
}

TEST_F(LeakCheckerTest, NoBlocksNoRecords) {
  LeakResult r = Run();
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(r.total(LeakKind::Definite).blocks, 0u);
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

class NewArrayCookieTest : public LeakCheckerTest {
 protected:
  size_t Array(uint32_t begin, uint32_t size, uint32_t count, uint32_t cookie = 4) {
    size_t i = Block(begin, size);
    blocks_[i].family = AllocFamily::NewArray;
    Poke(begin + cookie - 4, count);
    return i;
  }
};

TEST_F(NewArrayCookieTest, PointerPastTheCountKeepsTheArrayReachable) {
  Array(0x1000, 4 + 3 * 8, 3);  // new T[3], sizeof(T) == 8, with a destructor
  Poke(0x104, 0x1004);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(r.reachable_via[static_cast<int>(LeakHeuristic::NewArray)].blocks, 1u);
  EXPECT_EQ(r.reachable_via[static_cast<int>(LeakHeuristic::NewArray)].bytes, 28u);
}

TEST_F(NewArrayCookieTest, EightByteCookieForOverAlignedElements) {
  Array(0x1000, 8 + 2 * 16, 2, /*cookie=*/8);
  Poke(0x104, 0x1008);
  EXPECT_EQ(KindAt(Run(), 0x1000), LeakKind::Reachable);
}

TEST_F(NewArrayCookieTest, ImplausibleCountOrNotNewArrayStaysPossible) {
  Array(0x1000, 4 + 3 * 8, 5);  // 24 bytes are not 5 elements
  Poke(0x104, 0x1004);
  size_t plain = Block(0x2000, 28);  // malloc'd: no cookie heuristic
  (void)plain;
  Poke(0x2000, 3);
  Poke(0x108, 0x2004);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Possible);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
  EXPECT_EQ(r.reachable_via[static_cast<int>(LeakHeuristic::NewArray)].blocks, 0u);
}

TEST_F(NewArrayCookieTest, AStartPointerTooIsNotAHeuristicReach) {
  Array(0x1000, 4 + 3 * 8, 3);
  Poke(0x104, 0x1004);
  Poke(0x108, 0x1000);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(r.reachable_via[static_cast<int>(LeakHeuristic::NewArray)].blocks, 0u);
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

// The other heuristics of Valgrind's default set, each with a block of its shape reached only
// through its interior pointer, and the same block one detail off.
class LeakHeuristicsTest : public LeakCheckerTest {
 protected:
  static uint64_t Via(const LeakResult& r, LeakHeuristic h) {
    return r.reachable_via[static_cast<int>(h)].blocks;
  }
  // A C++ object at `object` of a class whose second base is `offset` bytes in, with its
  // vtables' address points at 0x600 and 0x680 (offset to top, then type info, before each).
  void TwoBaseObject(uint32_t object, uint32_t size, uint32_t offset) {
    Block(object, size);
    Poke(0x600 - 8, 0);
    Poke(0x600 - 4, 0x500);  // the type info
    Poke(0x680 - 8, 0u - offset);
    Poke(0x680 - 4, 0x500);
    Poke(object, 0x600);
    Poke(object + offset, 0x680);
  }
};

TEST_F(LeakHeuristicsTest, Length64) {
  Block(0x1000, 48);
  Poke(0x1000, 40);  // the rest's length, as a 64-bit number
  Poke(0x104, 0x1008);
  Block(0x2000, 48);
  Poke(0x2000, 41);
  Poke(0x108, 0x2008);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
  EXPECT_EQ(Via(r, LeakHeuristic::Length64), 1u);
}

TEST_F(LeakHeuristicsTest, StdString) {
  Block(0x1000, 12 + 20 + 1);  // length, capacity, refcount, 20 characters and the NUL
  Poke(0x1000, 5);
  Poke(0x1004, 20);
  Poke(0x104, 0x100c);
  Block(0x2000, 12 + 20 + 1);
  Poke(0x2000, 21);  // longer than its capacity
  Poke(0x2004, 20);
  Poke(0x108, 0x200c);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
  EXPECT_EQ(Via(r, LeakHeuristic::StdString), 1u);
}

TEST_F(LeakHeuristicsTest, MultipleInheritance) {
  TwoBaseObject(0x1000, 16, 8);
  Poke(0x104, 0x1008);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(Via(r, LeakHeuristic::MultipleInheritance), 1u);
}

TEST_F(LeakHeuristicsTest, MultipleInheritanceNeedsTheVtablesToAgree) {
  TwoBaseObject(0x1000, 16, 8);
  Poke(0x104, 0x1004);  // not at the base's vtable pointer
  TwoBaseObject(0x2000, 16, 8);
  Poke(0x2008, 0x700);  // the word there is no vtable of this object's (its offset is 0)
  Poke(0x108, 0x2008);
  LeakResult r = Run();
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Possible);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
  EXPECT_EQ(Via(r, LeakHeuristic::MultipleInheritance), 0u);
}

TEST_F(LeakHeuristicsTest, NoneLeavesInteriorPointersPossible) {
  Block(0x1000, 48);
  Poke(0x1000, 40);
  Poke(0x104, 0x1008);
  TwoBaseObject(0x2000, 16, 8);
  Poke(0x108, 0x2008);
  LeakResult r = Run(LeakHeuristicSet());
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Possible);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
  r = Run(LeakHeuristicSet().With(LeakHeuristic::Length64));
  EXPECT_EQ(KindAt(r, 0x1000), LeakKind::Reachable);
  EXPECT_EQ(KindAt(r, 0x2000), LeakKind::Possible);
}

}  // namespace
}  // namespace wasmgrind::memcheck
