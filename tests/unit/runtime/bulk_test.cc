// The runtime calls behind bulk memory and table instructions, driven from compiled code:
// memory.init / data.drop on passive data, table.get/set/grow/size/fill/copy/init, elem.drop,
// and call_indirect through a table the runtime calls filled. Bounds follow the spec.
#include "runtime_test_util.h"

namespace wasmgrind::test {
namespace {

class BulkTest : public RuntimeTest {
 protected:
  void SetUp() override {
    WasmModuleBuilder b;
    uint32_t v_i = b.AddType({}, {kI32});
    uint32_t iii_v = b.AddType({kI32, kI32, kI32}, {});
    uint32_t v_v = b.AddType({}, {});
    uint32_t i_i = b.AddType({kI32}, {kI32});
    uint32_t ii_v = b.AddType({kI32, kI32}, {});
    b.AddMemory(1);
    b.AddTable(2, 4);
    uint32_t seven = b.AddFunc(v_i, I32Const(7));
    b.AddPassiveData("xyz");
    b.AddPassiveElem({seven, seven});
    auto args3 = Cat({LocalGet(0), LocalGet(1), LocalGet(2)});
    b.Export("init", ExternKind::Func,
             b.AddFunc(iii_v, Cat({args3, Op(Opcode::MemoryInit, {0, 0})})));
    b.Export("ddrop", ExternKind::Func, b.AddFunc(v_v, Op(Opcode::DataDrop, {0})));
    b.Export("tinit", ExternKind::Func,
             b.AddFunc(iii_v, Cat({args3, Op(Opcode::TableInit, {0, 0})})));
    b.Export("edrop", ExternKind::Func, b.AddFunc(v_v, Op(Opcode::ElemDrop, {0})));
    b.Export("tgrow", ExternKind::Func,
             b.AddFunc(i_i, Cat({Op(Opcode::RefNull, {kFuncRef}), LocalGet(0),
                                 Op(Opcode::TableGrow, {0})})));
    b.Export("tsize", ExternKind::Func, b.AddFunc(v_i, Op(Opcode::TableSize, {0})));
    b.Export("tfill", ExternKind::Func,
             b.AddFunc(ii_v, Cat({LocalGet(0), Op(Opcode::RefFunc, {seven}), LocalGet(1),
                                  Op(Opcode::TableFill, {0})})));
    b.Export("tcopy", ExternKind::Func,
             b.AddFunc(iii_v, Cat({args3, Op(Opcode::TableCopy, {0, 0})})));
    b.Export("is_null", ExternKind::Func,
             b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::TableGet, {0}), Op(Opcode::RefIsNull)})));
    b.Export("tclear", ExternKind::Func,
             b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::RefNull, {kFuncRef}),
                                 Op(Opcode::TableSet, {0}), I32Const(0)})));
    b.Export("call", ExternKind::Func,
             b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::CallIndirect, {v_i, 0})})));
    b.Export("tab", ExternKind::Table, 0);
    inst_ = Instantiate(b);
    ASSERT_NE(inst_, nullptr);
  }
  Result<std::vector<Value>> Run(std::string_view name, std::vector<uint32_t> args = {}) {
    std::vector<Value> values;
    for (uint32_t a : args) values.push_back(Value::I32(a));
    return Call(inst_, name, values);
  }
  uint32_t RunI32(std::string_view name, std::vector<uint32_t> args = {}) {
    auto r = Run(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().ToString();
    return r.ok() ? (*r)[0].i32() : 0xdeadbeef;
  }
  void ExpectTrap(std::string_view name, std::vector<uint32_t> args, TrapKind kind) {
    auto r = Run(name, args);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().trap, kind) << name << ": " << r.error().ToString();
  }
  Instance* inst_ = nullptr;
};

TEST_F(BulkTest, MemoryInitAndDataDrop) {
  uint8_t* mem = inst_->memory(0)->data();
  ASSERT_TRUE(Run("init", {100, 1, 2}).ok());
  EXPECT_EQ(mem[100], 'y');
  EXPECT_EQ(mem[101], 'z');
  ExpectTrap("init", {100, 2, 2}, TrapKind::MemoryOutOfBounds);    // past the segment
  ExpectTrap("init", {65535, 0, 2}, TrapKind::MemoryOutOfBounds);  // past the memory
  ASSERT_TRUE(Run("init", {65536, 3, 0}).ok());                    // empty, at both ends
  ASSERT_TRUE(Run("ddrop").ok());
  ASSERT_TRUE(Run("init", {0, 0, 0}).ok());  // a dropped segment has length 0
  ExpectTrap("init", {0, 0, 1}, TrapKind::MemoryOutOfBounds);
}

TEST_F(BulkTest, TableInitCallIndirectAndElemDrop) {
  ExpectTrap("call", {0}, TrapKind::UninitializedElement);
  ExpectTrap("call", {5}, TrapKind::UndefinedElement);
  ASSERT_TRUE(Run("tinit", {0, 0, 2}).ok());
  EXPECT_EQ(RunI32("call", {1}), 7u);
  ExpectTrap("tinit", {1, 0, 2}, TrapKind::TableOutOfBounds);
  ASSERT_TRUE(Run("edrop").ok());
  ASSERT_TRUE(Run("tinit", {0, 0, 0}).ok());
  ExpectTrap("tinit", {0, 0, 1}, TrapKind::TableOutOfBounds);
}

TEST_F(BulkTest, TableGrowFillCopyGetSet) {
  EXPECT_EQ(RunI32("tsize"), 2u);
  EXPECT_EQ(RunI32("tgrow", {1}), 2u);
  EXPECT_EQ(RunI32("tgrow", {2}), 0xffffffffu);  // max 4
  EXPECT_EQ(RunI32("tsize"), 3u);
  EXPECT_EQ(RunI32("is_null", {2}), 1u);
  ASSERT_TRUE(Run("tfill", {1, 2}).ok());
  EXPECT_EQ(RunI32("is_null", {0}), 1u);
  EXPECT_EQ(RunI32("is_null", {2}), 0u);
  EXPECT_EQ(RunI32("call", {2}), 7u);
  ExpectTrap("tfill", {2, 2}, TrapKind::TableOutOfBounds);
  ExpectTrap("tfill", {4, 0}, TrapKind::TableOutOfBounds);
  ASSERT_TRUE(Run("tcopy", {0, 1, 2}).ok());  // overlapping
  EXPECT_EQ(RunI32("is_null", {0}), 0u);
  ExpectTrap("tcopy", {2, 0, 2}, TrapKind::TableOutOfBounds);
  ExpectTrap("is_null", {3}, TrapKind::TableOutOfBounds);
  EXPECT_EQ(RunI32("tclear", {0}), 0u);
  EXPECT_EQ(RunI32("is_null", {0}), 1u);
  ExpectTrap("tclear", {3}, TrapKind::TableOutOfBounds);
  // The host sees the same elements.
  Table* tab = std::get<Table*>(*inst_->GetExport("tab"));
  EXPECT_EQ(tab->size(), 3u);
  auto ref = tab->Get(1);
  ASSERT_TRUE(ref.ok());
  Function* f = store_.FunctionFromRef(reinterpret_cast<const VMFuncRef*>(ref->bits));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->instance(), inst_);
}

}  // namespace
}  // namespace wasmgrind::test
