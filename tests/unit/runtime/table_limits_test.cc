// The limit on table elements per Store (kMaxStoreTableElements, table.h): it counts all the
// tables of the store together, whether a module declares them, table.grow grows them or the
// embedder creates them. Instantiation over the limit fails with an error naming it and
// creates none of the module's tables; table.grow over it returns -1 and changes nothing.
#include "runtime_test_util.h"
#include "vm/runtime/table.h"

namespace wasmgrind::test {
namespace {

constexpr uint32_t kLimit = static_cast<uint32_t>(kMaxStoreTableElements);
constexpr uint32_t kSixtyPercent = kLimit / 10 * 6;

class TableLimitsTest : public RuntimeTest {
 protected:
  // A module with `mins.size()` tables of those minimums, exporting grow_<i> (delta) -> old
  // size and size_<i>.
  static WasmModuleBuilder TablesModule(const std::vector<uint32_t>& mins) {
    WasmModuleBuilder b;
    uint32_t i_i = b.AddType({kI32}, {kI32});
    uint32_t v_i = b.AddType({}, {kI32});
    for (uint32_t i = 0; i < mins.size(); ++i) {
      b.AddTable(mins[i]);
      std::string n = std::to_string(i);
      b.Export("grow_" + n, ExternKind::Func,
               b.AddFunc(i_i, Cat({Op(Opcode::RefNull, {kFuncRef}), LocalGet(0),
                                   Op(Opcode::TableGrow, {i})})));
      b.Export("size_" + n, ExternKind::Func, b.AddFunc(v_i, Op(Opcode::TableSize, {i})));
    }
    return b;
  }
  uint32_t RunI32(Instance* inst, std::string_view name, std::vector<Value> args = {}) {
    auto r = Call(inst, name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().ToString();
    return r.ok() ? (*r)[0].i32() : 0xdeadbeef;
  }
};

TEST_F(TableLimitsTest, DeclaredMinimumsCountTogether) {
  // Each table alone is under the limit; the two together are not.
  auto module = Compile(TablesModule({kSixtyPercent, kSixtyPercent}));
  ASSERT_NE(module, nullptr);
  auto inst = linker_.Instantiate(store_, module);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Unsupported);
  EXPECT_NE(inst.error().message.find("the module's tables need 12000000 elements, over the "
                                      "limit of 10000000 table elements per store"),
            std::string::npos)
      << inst.error().message;
  // The failed instantiation took nothing: one such table still fits.
  Instance* one = Instantiate(TablesModule({kSixtyPercent}));
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(RunI32(one, "size_0"), kSixtyPercent);
  // ... and a second instance's table counts against the same store.
  auto again = linker_.Instantiate(store_, Compile(TablesModule({kSixtyPercent})));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("(6000000 in use)"), std::string::npos)
      << again.error().message;
}

TEST_F(TableLimitsTest, GrowPastTheStoreLimitReturnsMinusOne) {
  Instance* inst = Instantiate(TablesModule({0, 0}));
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(RunI32(inst, "grow_0", {Value::I32(kSixtyPercent)}), 0u);
  // Table 1 has no maximum of its own: the store's limit stops it.
  EXPECT_EQ(RunI32(inst, "grow_1", {Value::I32(kSixtyPercent)}), 0xffffffffu);
  EXPECT_EQ(RunI32(inst, "size_1"), 0u);
  // Exactly up to the limit succeeds, one more element does not.
  EXPECT_EQ(RunI32(inst, "grow_1", {Value::I32(kLimit - kSixtyPercent)}), 0u);
  EXPECT_EQ(RunI32(inst, "size_1"), kLimit - kSixtyPercent);
  EXPECT_EQ(RunI32(inst, "grow_0", {Value::I32(1)}), 0xffffffffu);
  EXPECT_EQ(RunI32(inst, "size_0"), kSixtyPercent);
  EXPECT_EQ(RunI32(inst, "grow_0", {Value::I32(0)}), kSixtyPercent);  // growing by 0 still works
}

TEST_F(TableLimitsTest, EmbedderTablesCountToo) {
  const Value null = Value::Null(ValType::FuncRef);
  auto big = store_.CreateTable(TableType{ValType::FuncRef, Limits{kSixtyPercent, {}}}, null);
  ASSERT_TRUE(big.ok()) << big.error().ToString();
  auto over = store_.CreateTable(TableType{ValType::FuncRef, Limits{kSixtyPercent, {}}}, null);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::Unsupported);
  auto grown = (*big)->Grow(kLimit - kSixtyPercent + 1, null);
  ASSERT_FALSE(grown.ok());
  EXPECT_NE(grown.error().message.find("per store"), std::string::npos) << grown.error().message;
  EXPECT_EQ((*big)->size(), kSixtyPercent);
  // The module's tables see what the embedder's took.
  auto inst = linker_.Instantiate(store_, Compile(TablesModule({kLimit - kSixtyPercent + 1})));
  EXPECT_FALSE(inst.ok());
  // A separate store has its own limit.
  Store other(engine_);
  EXPECT_TRUE(other.CreateTable(TableType{ValType::FuncRef, Limits{kSixtyPercent, {}}}, null).ok());
}

}  // namespace
}  // namespace wasmgrind::test
