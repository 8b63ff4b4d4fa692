// ReturnAddressDepot: a chain of return addresses (code offsets) maps to the id made for it
// the first time, and only to that: chains differing in one address, in length, or colliding
// in the table's slots stay apart, across the table's growth, also past the offsets an entry
// holds itself.
#include "memcheck/return_address_depot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace wasmgrind::memcheck {
namespace {

TEST(ReturnAddressDepotTest, AChainKeepsTheIdMadeForItFirst) {
  ReturnAddressDepot depot;
  int made = 0;
  const std::vector<uint32_t> chain = {0x1234, 0x5678, 0xabcd};
  EXPECT_EQ(depot.FindOrInsert(chain,
                               [&] {
                                 ++made;
                                 return BacktraceId{7};
                               }),
            7u);
  EXPECT_EQ(depot.FindOrInsert(chain,
                               [&] {
                                 ++made;
                                 return BacktraceId{8};
                               }),
            7u);
  EXPECT_EQ(made, 1);
  EXPECT_EQ(depot.size(), 1u);
}

TEST(ReturnAddressDepotTest, ChainsDifferingInOneAddressOrInLengthStayApart) {
  ReturnAddressDepot depot;
  const std::vector<uint32_t> a = {0x1000, 0x2000, 0x3000};
  const std::vector<uint32_t> b = {0x1000, 0x2001, 0x3000};
  const std::vector<uint32_t> prefix = {0x1000, 0x2000};
  EXPECT_EQ(depot.FindOrInsert(a, [] { return BacktraceId{1}; }), 1u);
  EXPECT_EQ(depot.FindOrInsert(b, [] { return BacktraceId{2}; }), 2u);
  EXPECT_EQ(depot.FindOrInsert(prefix, [] { return BacktraceId{3}; }), 3u);
  EXPECT_EQ(depot.FindOrInsert(a, [] { return BacktraceId{9}; }), 1u);
  EXPECT_EQ(depot.FindOrInsert(b, [] { return BacktraceId{9}; }), 2u);
  EXPECT_EQ(depot.FindOrInsert(prefix, [] { return BacktraceId{9}; }), 3u);
}

TEST(ReturnAddressDepotTest, AnEmptyChainIsAskedForEveryTimeAndNeverStored) {
  // The walk found no frame of the module: the caller decides (kNoBacktrace), nothing to key.
  ReturnAddressDepot depot;
  int made = 0;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(depot.FindOrInsert(std::span<const uint32_t>(),
                                 [&] {
                                   ++made;
                                   return kNoBacktrace;
                                 }),
              kNoBacktrace);
  }
  EXPECT_EQ(made, 2);
  EXPECT_EQ(depot.size(), 0u);
}

// Looks up `count` chains from `make_chain` in a depot and in a map side by side: each must
// be made exactly when the map has not seen it, and found with the map's id after.
template <typename MakeChain>
void ExpectAgreesWithAMap(int count, MakeChain make_chain) {
  ReturnAddressDepot depot;
  std::map<std::vector<uint32_t>, BacktraceId> model;
  for (int i = 0; i < count; ++i) {
    const std::vector<uint32_t> chain = make_chain();
    const auto fresh = static_cast<BacktraceId>(model.size() + 1);
    auto [it, inserted] = model.emplace(chain, fresh);
    bool made = false;
    BacktraceId id = depot.FindOrInsert(chain, [&] {
      made = true;
      return fresh;
    });
    ASSERT_EQ(made, inserted) << "chain " << i;
    ASSERT_EQ(id, it->second) << "chain " << i;
  }
  EXPECT_EQ(depot.size(), model.size());
  EXPECT_GT(depot.size(), 2048u);  // enough to grow the table past its first size
}

TEST(ReturnAddressDepotTest, AgreesWithAMapAcrossGrowth) {
  // Many chains sharing most of their addresses (a recursion's call sites), as binarytrees'
  // allocations do; the table doubles several times on the way.
  std::mt19937 rng(5);
  const uint32_t sites[] = {0x10a0, 0x10c8, 0x2040};
  ExpectAgreesWithAMap(60000, [&] {
    std::vector<uint32_t> chain(1 + rng() % 12);
    for (uint32_t& pc : chain) pc = sites[rng() % 3];
    return chain;
  });
}

TEST(ReturnAddressDepotTest, ChainsLongerThanAnEntryHoldsCompareTheirWholeLength) {
  // --num-callers above kInline: the rest of the chain lives outside the entry.
  constexpr size_t kInline = ReturnAddressDepot::kInline;
  ReturnAddressDepot depot;
  std::vector<uint32_t> exact(kInline, 0x40);
  std::vector<uint32_t> longer = exact;
  longer.push_back(0x44);
  std::vector<uint32_t> longer_other = exact;
  longer_other.push_back(0x48);
  std::vector<uint32_t> longest = longer;
  longest.push_back(0x44);
  EXPECT_EQ(depot.FindOrInsert(exact, [] { return BacktraceId{1}; }), 1u);
  EXPECT_EQ(depot.FindOrInsert(longer, [] { return BacktraceId{2}; }), 2u);
  EXPECT_EQ(depot.FindOrInsert(longer_other, [] { return BacktraceId{3}; }), 3u);
  EXPECT_EQ(depot.FindOrInsert(longest, [] { return BacktraceId{4}; }), 4u);
  EXPECT_EQ(depot.FindOrInsert(exact, [] { return BacktraceId{9}; }), 1u);
  EXPECT_EQ(depot.FindOrInsert(longer, [] { return BacktraceId{9}; }), 2u);
  EXPECT_EQ(depot.FindOrInsert(longer_other, [] { return BacktraceId{9}; }), 3u);
  EXPECT_EQ(depot.FindOrInsert(longest, [] { return BacktraceId{9}; }), 4u);
  EXPECT_EQ(depot.size(), 4u);
}

TEST(ReturnAddressDepotTest, AChainInItsOwnPaddedBufferFindsTheSameEntry) {
  // The runtime's form: its own zero-padded buffer, the lookup begun, then finished.
  ReturnAddressDepot depot;
  const std::vector<uint32_t> offsets = {0x10a0, 0x10c8, 0x2040};
  EXPECT_EQ(depot.FindOrInsert(offsets, [] { return BacktraceId{5}; }), 5u);
  std::vector<uint32_t> buffer(ReturnAddressDepot::kInline, 0);
  std::copy(offsets.begin(), offsets.end(), buffer.begin());
  ReturnAddressDepot::Pending pending =
      depot.Begin(ReturnAddressDepot::Chain{buffer.data(), offsets.size()});
  EXPECT_EQ(depot.Finish(pending, [] { return BacktraceId{6}; }), 5u);
  EXPECT_EQ(depot.size(), 1u);
}

TEST(ReturnAddressDepotTest, LongChainsAgreeWithAMapAcrossGrowth) {
  // Chains past an entry's kInline offsets too.
  std::mt19937 rng(7);
  ExpectAgreesWithAMap(20000, [&] {
    std::vector<uint32_t> chain(1 + rng() % 30);
    for (uint32_t& pc : chain) pc = 1 + rng() % 2;
    return chain;
  });
}

}  // namespace
}  // namespace wasmgrind::memcheck
