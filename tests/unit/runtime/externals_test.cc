// Tests of the store-owned externals on their own: LinearMemory (reservation, commit, grow,
// limits, guard pages), Table and Global, created through the Store.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "vm/jit/engine.h"
#include "vm/runtime/api.h"
#include "vm/runtime/linear_memory.h"

namespace wasmgrind {
namespace {

// Protection string ("rw-p", "---p") of the mapping containing `addr`, from /proc/self/maps.
std::string ProtectionAt(const void* addr) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto a = reinterpret_cast<uintptr_t>(addr);
  while (std::getline(maps, line)) {
    uintptr_t lo = 0, hi = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) == 3 && a >= lo && a < hi)
      return perms;
  }
  return "unmapped";
}

class ExternalsTest : public testing::Test {
 protected:
  Engine engine_;
  Store store_{engine_};
};

TEST_F(ExternalsTest, MemoryReservesCommitsAndGrows) {
  auto mem = store_.CreateMemory(MemoryType{Limits{1, 3}});
  ASSERT_TRUE(mem.ok()) << mem.error().ToString();
  LinearMemory* m = *mem;
  EXPECT_EQ(m->pages(), 1u);
  EXPECT_EQ(m->size_bytes(), kWasmPageSize);
  EXPECT_EQ(m->reserved_bytes(), kMemoryReservationBytes);
  EXPECT_EQ(m->definition()->base, m->data());
  EXPECT_EQ(m->definition()->current_length, kWasmPageSize);
  // Committed pages are zero and writable; the rest of the reservation is PROT_NONE.
  EXPECT_EQ(m->data()[kWasmPageSize - 1], 0);
  m->data()[kWasmPageSize - 1] = 7;
  EXPECT_EQ(ProtectionAt(m->data()), "rw-p");
  EXPECT_EQ(ProtectionAt(m->data() + kWasmPageSize), "---p");
  EXPECT_EQ(ProtectionAt(m->data() + kMemoryReservationBytes - 1), "---p");

  uint8_t* base = m->data();
  auto old = m->Grow(2);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, 1u);
  EXPECT_EQ(m->pages(), 3u);
  EXPECT_EQ(m->data(), base);  // the base never moves
  EXPECT_EQ(m->definition()->current_length, 3 * kWasmPageSize);
  EXPECT_EQ(m->data()[kWasmPageSize - 1], 7);
  EXPECT_EQ(m->data()[3 * kWasmPageSize - 1], 0);
  EXPECT_EQ(ProtectionAt(m->data() + 3 * kWasmPageSize), "---p");

  EXPECT_FALSE(m->Grow(1).ok());  // past the declared max
  EXPECT_EQ(m->pages(), 3u);
  auto zero = m->Grow(0);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(*zero, 3u);
  EXPECT_EQ(m->type().limits.min, 3u);
  EXPECT_EQ(m->type().limits.max, std::optional<uint64_t>(3));
}

TEST_F(ExternalsTest, MemoryWithoutMaxStopsAt4GiB) {
  auto mem = store_.CreateMemory(MemoryType{Limits{0, std::nullopt}});
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ((*mem)->pages(), 0u);
  EXPECT_FALSE((*mem)->Grow(kMaxMemory32Pages + 1).ok());
  EXPECT_TRUE((*mem)->Grow(1).ok());
  EXPECT_FALSE((*mem)->Grow(kMaxMemory32Pages).ok());
}

TEST_F(ExternalsTest, MemoryRejectsMinAboveMax) {
  EXPECT_FALSE(store_.CreateMemory(MemoryType{Limits{kMaxMemory32Pages + 1, std::nullopt}}).ok());
}

TEST_F(ExternalsTest, GuardPagesFault) {
  auto mem = store_.CreateMemory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(mem.ok());
  volatile uint8_t* past_end = (*mem)->data() + kWasmPageSize;
  EXPECT_EXIT(*past_end = 1, testing::KilledBySignal(SIGSEGV), "");
}

TEST_F(ExternalsTest, ManyMemoriesReleaseTheirReservations) {
  // 8 GiB each: without munmap in the destructor this would exhaust the address space.
  for (int i = 0; i < 200; ++i) {
    Store store(engine_);
    ASSERT_TRUE(store.CreateMemory(MemoryType{Limits{1, std::nullopt}}).ok()) << i;
  }
}

TEST_F(ExternalsTest, TableGetSetGrow) {
  auto table =
      store_.CreateTable(TableType{ValType::ExternRef, Limits{2, 4}}, Value::ExternRef(0x55));
  ASSERT_TRUE(table.ok());
  Table* t = *table;
  EXPECT_EQ(t->size(), 2u);
  EXPECT_EQ(t->definition()->size, 2u);
  EXPECT_EQ(t->Get(1)->bits, 0x55u);
  EXPECT_TRUE(t->Set(0, Value::Null(ValType::ExternRef)).ok());
  EXPECT_TRUE(t->Get(0)->is_null());
  auto oob = t->Get(2);
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().trap, TrapKind::TableOutOfBounds);
  EXPECT_FALSE(t->Set(0, Value::I32(1)).ok());  // wrong type

  auto old = t->Grow(2, Value::ExternRef(0x77));
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, 2u);
  EXPECT_EQ(t->size(), 4u);
  EXPECT_EQ(t->definition()->size, 4u);
  EXPECT_EQ(t->definition()->elements[3], 0x77u);
  EXPECT_FALSE(t->Grow(1, Value::Null(ValType::ExternRef)).ok());  // past max
  EXPECT_EQ(t->type().limits.min, 4u);
}

TEST_F(ExternalsTest, TableRejectsMistypedInit) {
  EXPECT_FALSE(store_.CreateTable(TableType{ValType::FuncRef, Limits{1, {}}}, Value::I32(0)).ok());
}

TEST_F(ExternalsTest, GlobalsGetAndSet) {
  auto g = store_.CreateGlobal(GlobalType{ValType::F64, true}, Value::F64(1.5));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)->Get().f64(), 1.5);
  ASSERT_TRUE((*g)->Set(Value::F64(-2.0)).ok());
  EXPECT_EQ((*g)->Get().f64(), -2.0);
  double raw;
  std::memcpy(&raw, (*g)->definition()->bytes, 8);
  EXPECT_EQ(raw, -2.0);  // compiled code reads the cell directly
  EXPECT_FALSE((*g)->Set(Value::I32(1)).ok());

  auto c = store_.CreateGlobal(GlobalType{ValType::I32, false}, Value::I32(42));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->Get().i32(), 42u);
  EXPECT_FALSE((*c)->Set(Value::I32(1)).ok());  // immutable
  EXPECT_FALSE(store_.CreateGlobal(GlobalType{ValType::I64, false}, Value::I32(1)).ok());
}

}  // namespace
}  // namespace wasmgrind
