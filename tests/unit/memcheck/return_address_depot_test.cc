// ReturnAddressDepot: a chain of return addresses maps to the id made for it the first time,
// and only to that: chains differing in one address, in length, or colliding in the table's
// slots stay apart, across the table's growth.
#include "memcheck/return_address_depot.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace wasmgrind::memcheck {
namespace {

TEST(ReturnAddressDepotTest, AChainKeepsTheIdMadeForItFirst) {
  ReturnAddressDepot depot;
  int made = 0;
  const std::vector<uint64_t> chain = {0x7f0000001234, 0x7f0000005678, 0x7f000000abcd};
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
  const std::vector<uint64_t> a = {0x1000, 0x2000, 0x3000};
  const std::vector<uint64_t> b = {0x1000, 0x2001, 0x3000};
  const std::vector<uint64_t> prefix = {0x1000, 0x2000};
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
    EXPECT_EQ(depot.FindOrInsert({},
                                 [&] {
                                   ++made;
                                   return kNoBacktrace;
                                 }),
              kNoBacktrace);
  }
  EXPECT_EQ(made, 2);
  EXPECT_EQ(depot.size(), 0u);
}

TEST(ReturnAddressDepotTest, AgreesWithAMapAcrossGrowth) {
  // Many chains sharing most of their addresses (a recursion's call sites), as binarytrees'
  // allocations do; the table doubles several times on the way.
  ReturnAddressDepot depot;
  std::map<std::vector<uint64_t>, BacktraceId> model;
  std::mt19937 rng(5);
  const uint64_t sites[] = {0x7f00000010a0, 0x7f00000010c8, 0x7f0000002040};
  for (int i = 0; i < 60000; ++i) {
    std::vector<uint64_t> chain(1 + rng() % 12);
    for (uint64_t& pc : chain) pc = sites[rng() % 3];
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

}  // namespace
}  // namespace wasmgrind::memcheck
