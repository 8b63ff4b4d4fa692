// GranuleSet and GranuleTable: the heap tracker's index of block starts. Nearest-member
// searches agree with an ordered set on random contents, across words and summary words.
#include "memcheck/granule_set.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <set>

namespace wasmgrind::memcheck {
namespace {

TEST(GranuleSetTest, EmptySetHasNoMembers) {
  GranuleSet s;
  EXPECT_EQ(s.AtOrBelow(0), std::nullopt);
  EXPECT_EQ(s.AtOrBelow(uint64_t{1} << 33), std::nullopt);
  EXPECT_EQ(s.FirstIn(0, uint64_t{1} << 32), std::nullopt);
}

TEST(GranuleSetTest, NearestMembersAcrossWordsAndSummaries) {
  GranuleSet s;
  s.Insert(0);
  s.Insert(16 * 64 * 64 * 3 + 48);  // three summary words up
  EXPECT_EQ(s.AtOrBelow(15), 0u);
  EXPECT_EQ(s.AtOrBelow(16 * 64 * 64 * 3 + 47), 0u);
  EXPECT_EQ(s.AtOrBelow(16 * 64 * 64 * 3 + 48), 16u * 64 * 64 * 3 + 48);
  EXPECT_EQ(s.AtOrBelow(uint64_t{1} << 32), 16u * 64 * 64 * 3 + 48);  // past the end: the last
  EXPECT_EQ(s.FirstIn(1, 16 * 64 * 64 * 3 + 48), std::nullopt);       // end is exclusive
  EXPECT_EQ(s.FirstIn(1, 16 * 64 * 64 * 3 + 49), 16u * 64 * 64 * 3 + 48);
  s.Erase(0);
  EXPECT_EQ(s.AtOrBelow(uint64_t{16} * 64 * 64 * 3), std::nullopt);
}

TEST(GranuleSetTest, AgreesWithAnOrderedSet) {
  GranuleSet s;
  std::set<uint32_t> model;
  std::mt19937 rng(11);
  const uint32_t span = 16 * 64 * 64 * 8;  // eight summary words
  for (int i = 0; i < 20000; ++i) {
    uint32_t a = (rng() % span) & ~15u;
    if (rng() % 3 == 0) {
      s.Erase(a);
      model.erase(a);
    } else {
      s.Insert(a);
      model.insert(a);
    }
    uint64_t q = rng() % (span + 4096);
    auto up = model.upper_bound(static_cast<uint32_t>(q));
    std::optional<uint32_t> below;
    if (up != model.begin()) below = *std::prev(up);
    ASSERT_EQ(s.AtOrBelow(q), below) << q;
    uint64_t end = q + rng() % 70000;
    auto first = model.lower_bound(static_cast<uint32_t>(q));
    std::optional<uint32_t> in;
    if (first != model.end() && *first < end) in = *first;
    ASSERT_EQ(s.FirstIn(q, end), in) << q << " " << end;
  }
}

TEST(GranuleTableTest, ValuesStartAtZeroAndStayPerGranule) {
  GranuleTable t;
  EXPECT_EQ(t.Get(0xFFFFFFF0u), 0u);
  t.Set(0x10, 7);
  t.Set(0xFFFFFFF0u, 9);
  EXPECT_EQ(t.Get(0x10), 7u);
  EXPECT_EQ(t.Get(0x20), 0u);
  EXPECT_EQ(t.Get(0xFFFFFFF0u), 9u);
}

}  // namespace
}  // namespace wasmgrind::memcheck
