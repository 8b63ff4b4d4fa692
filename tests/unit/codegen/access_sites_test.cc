// The JIT records every instruction that accesses linear memory (access_site_assembler.h): the
// signal handler turns a fault into a trap only at one of these, so a missing site would turn
// a guest's out-of-bounds access into an internal error, and a wrong one would let a JIT bug
// pass as the guest's fault.
#include <set>

#include "jit_test_util.h"
#include "vm/jit/compiled_code.h"
#include "vm/trap_info.h"

namespace wasmgrind::test {
namespace {

TEST_F(JitTest, EveryLoadAndStoreIsOneAccessSite) {
  auto module = CompileWat(R"(
    (module
      (memory 1)
      (func (export "f") (param i32 i64) (result i64)
        (i32.store8 (local.get 0) (i32.const 7))
        (i64.store offset=8 (local.get 0) (local.get 1))
        (drop (f32.load offset=4 (local.get 0)))
        (i64.add (i64.load16_s (i32.const 100)) (i64.load (local.get 0))))
      (func (export "g") (param i32) (result f64)
        (loop $l
          (f64.store (local.get 0) (f64.const 1))
          (br_if $l (i32.load (local.get 0))))
        (f64.load offset=0x7ffffff0 (local.get 0))))
  )");
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  const CompiledCode& code = (*module)->code();
  ASSERT_EQ(code.num_access_sites(), 8u);

  // Walk every byte of both functions: each site is found from each of its own bytes, sites
  // do not overlap, and each names a load or store of the right size and direction.
  struct Seen {
    uint32_t size;
    bool is_store;
  };
  std::vector<Seen> seen;
  std::set<const signals::AccessSite*> distinct;
  for (uint32_t f = 0; f < code.num_functions(); ++f) {
    auto entry = reinterpret_cast<uintptr_t>(code.FunctionEntry(f));
    for (uint32_t i = 0; i < code.function(f).code_size; ++i) {
      const signals::AccessSite* site = code.AccessSiteAt(entry + i);
      if (site == nullptr || !distinct.insert(site).second) continue;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(code.CodeBase(f)) + site->begin, entry + i)
          << "a site is found only from its own bytes, starting at its first";
      EXPECT_GT(site->end, site->begin);
      EXPECT_LE(site->end - site->begin, 15u) << "one instruction";
      seen.push_back({site->size, site->is_store});
    }
  }
  ASSERT_EQ(seen.size(), 8u);
  std::multiset<std::pair<uint32_t, bool>> got,
      want = {{1, true}, {8, true},  {4, false}, {2, false}, {8, false},  // f
              {8, true}, {4, false}, {8, false}};                         // g
  for (const Seen& s : seen) got.insert({s.size, s.is_store});
  EXPECT_EQ(got, want);
}

TEST_F(JitTest, OutOfBoundsAccessesTrapAtTheirSites) {
  Instance* inst = Load(R"(
    (module
      (memory 1)
      (func (export "store") (param i32) (i64.store (local.get 0) (i64.const 1)))
      (func (export "load") (param i32) (result i32) (i32.load16_u offset=10 (local.get 0))))
  )");
  ASSERT_NE(inst, nullptr);
  for (auto [name, is_store, size] :
       {std::tuple{"store", true, 8u}, std::tuple{"load", false, 2u}}) {
    auto r = Call(inst, name, {Value::I32(65535)});
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
    ASSERT_NE(r.error().trap_info, nullptr);
    ASSERT_TRUE(r.error().trap_info->memory_fault.has_value());
    EXPECT_EQ(r.error().trap_info->memory_fault->is_store, is_store) << name;
    EXPECT_EQ(r.error().trap_info->memory_fault->access_size, size) << name;
  }
}

}  // namespace
}  // namespace wasmgrind::test
