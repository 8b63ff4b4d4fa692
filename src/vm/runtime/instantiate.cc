// Instantiation (spec 2.0, "instantiate"), after the Linker resolved the imports:
//   1. the instance and its VMContext are allocated and registered with the Store first, so
//      that whatever a failing step already published (functions written into a shared table)
//      stays valid;
//   2. function references (imported: the exporter's VMFuncRef; defined: this instance's);
//   3. globals (in order; initializers may read earlier globals and take ref.func), tables
//      (their minimums first checked together against the Store's limit on table elements),
//      memories, and the VMContext pointers to their definitions;
//   4. exports;
//   5. element segments in order: active ones are applied like table.init and dropped,
//      declarative ones dropped, passive ones kept; then data segments likewise. A segment
//      out of bounds traps, the module is uninstantiable, and earlier segments stay applied;
//      under --memcheck the checker is attached before the data segments, which it sees land;
//   6. the start function.
#include <fmt/format.h>

#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/runtime/global.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/memcheck_runtime.h"
#include "vm/runtime/store.h"
#include "vm/runtime/table.h"
#include "vm/runtime/trap_boundary.h"

namespace wasmgrind {
namespace {

// Evaluates a 2.0 constant expression (the last instruction gives the value).
Value EvalConst(const InstanceImpl& inst, const ConstExpr& expr, ValType type) {
  Value v = Value::Zero(type);
  for (const ConstInstr& ci : expr.instrs) {
    switch (ci.op) {
      case Opcode::I32Const: v = Value::I32(static_cast<uint32_t>(ci.bits)); break;
      case Opcode::I64Const: v = Value::I64(ci.bits); break;
      case Opcode::F32Const: v = Value::F32Bits(static_cast<uint32_t>(ci.bits)); break;
      case Opcode::F64Const: v = Value::F64Bits(ci.bits); break;
      case Opcode::RefNull: v = Value::Null(ci.type); break;
      case Opcode::RefFunc: v = Value::FuncRef(inst.functions[ci.index]->func_ref()); break;
      case Opcode::GlobalGet: v = inst.globals[ci.index]->Get(); break;
      default: break;  // the validator admits nothing else in 2.0
    }
  }
  return v;
}

void LinkFunctions(StoreImpl& store, Instance* instance, InstanceImpl& inst,
                   const std::vector<Extern>& imports) {
  const Module& module = *inst.module;
  const ModuleInfo& info = module.info();
  for (const Extern& e : imports)
    if (KindOf(e) == ExternKind::Func) inst.functions.push_back(std::get<Function*>(e));
  for (uint32_t i = 0; i < info.num_defined_funcs(); ++i) {
    uint32_t func_index = info.num_imported_funcs + i;
    uint32_t type_index = info.func_types[func_index];
    auto* ref = inst.At<VMFuncRef>(inst.offsets.DefinedFuncRef(i));
    ref->code = module.code().FunctionEntry(i);
    ref->vmctx = inst.vmctx();
    ref->type_id = module.type_id(type_index);
    inst.functions.push_back(store.AddFunction(RuntimeAccess::CreateFunction(
        &info.types[type_index], ref->type_id, ref, instance, func_index, nullptr)));
  }
  for (uint32_t i = 0; i < inst.functions.size(); ++i)
    *inst.At<const VMFuncRef*>(inst.offsets.FuncRef(i)) = inst.functions[i]->func_ref();
}

// The module's own tables must fit in what is left of the Store's table elements, all of
// them, before the first is created (so a failed instantiation takes none).
Result<void> CheckTableBudget(const TableElementBudget& budget, const ModuleInfo& info) {
  uint64_t needed = 0;  // at most 2^32 tables (a u32 count) of at most 2^32 - 1 elements
  for (size_t i = info.num_imported_tables; i < info.tables.size(); ++i)
    needed += info.tables[i].limits.min;
  if (needed <= budget.available()) return Ok();
  return Error::Make(ErrorKind::Unsupported,
                     fmt::format("the module's tables need {} elements, over the limit of {} "
                                 "table elements per store, all tables together ({} in use)",
                                 needed, budget.limit(), budget.used()));
}

Result<void> AllocateState(StoreImpl& store, InstanceImpl& inst,
                           const std::vector<Extern>& imports) {
  const ModuleInfo& info = inst.module->info();
  for (const Extern& e : imports) {
    if (auto* t = std::get_if<Table*>(&e)) inst.tables.push_back(*t);
    if (auto* m = std::get_if<LinearMemory*>(&e)) inst.memories.push_back(*m);
    if (auto* g = std::get_if<Global*>(&e)) inst.globals.push_back(*g);
  }
  for (size_t i = info.num_imported_globals; i < info.globals.size(); ++i) {
    const GlobalType& type = info.globals[i];
    Value init = EvalConst(inst, info.global_inits[i - info.num_imported_globals], type.type);
    inst.globals.push_back(store.Add(store.globals, RuntimeAccess::CreateGlobal(type, init)));
  }
  TRY(CheckTableBudget(store.table_budget, info));
  for (size_t i = info.num_imported_tables; i < info.tables.size(); ++i) {
    TRY_ASSIGN(auto table, RuntimeAccess::CreateTable(info.tables[i], 0, store.table_budget));
    inst.tables.push_back(store.Add(store.tables, std::move(table)));
  }
  for (size_t i = info.num_imported_memories; i < info.memories.size(); ++i) {
    TRY_ASSIGN(auto memory, RuntimeAccess::CreateMemory(info.memories[i]));
    inst.memories.push_back(store.Add(store.memories, std::move(memory)));
  }
  for (uint32_t i = 0; i < inst.memories.size(); ++i) {
    *inst.At<VMMemoryDefinition*>(inst.offsets.Memory(i)) = inst.memories[i]->definition();
    *inst.At<uint8_t*>(inst.offsets.MemoryBase(i)) = inst.memories[i]->definition()->base;
  }
  inst.IndexMemoryRanges();
  for (uint32_t i = 0; i < inst.tables.size(); ++i)
    *inst.At<VMTableDefinition*>(inst.offsets.Table(i)) = inst.tables[i]->definition();
  for (uint32_t i = 0; i < inst.globals.size(); ++i)
    *inst.At<VMGlobal*>(inst.offsets.Global(i)) = inst.globals[i]->definition();
  return Ok();
}

void CollectExports(InstanceImpl& inst) {
  for (const Export& e : inst.module->info().exports) {
    Extern value;
    switch (e.kind) {
      case ExternKind::Func: value = inst.functions[e.index]; break;
      case ExternKind::Table: value = inst.tables[e.index]; break;
      case ExternKind::Memory: value = inst.memories[e.index]; break;
      case ExternKind::Global: value = inst.globals[e.index]; break;
    }
    inst.exports.emplace(e.name, value);
  }
}

Result<void> ApplyElementSegments(InstanceImpl& inst) {
  const ModuleInfo& info = inst.module->info();
  inst.elements.resize(info.elements.size());
  for (size_t i = 0; i < info.elements.size(); ++i) {
    const ElementSegment& seg = info.elements[i];
    std::vector<uintptr_t>& items = inst.elements[i];
    if (seg.mode == SegmentMode::Declarative) continue;  // dropped at once
    items.reserve(seg.items.size());
    for (const ConstExpr& item : seg.items)
      items.push_back(static_cast<uintptr_t>(EvalConst(inst, item, seg.type).bits));
    if (seg.mode == SegmentMode::Passive) continue;
    uint64_t offset = EvalConst(inst, seg.offset, ValType::I32).i32();
    VMTableDefinition* table = inst.tables[seg.table_index]->definition();
    if (offset + items.size() > table->size) return Error::FromTrap(TrapKind::TableOutOfBounds);
    std::copy(items.begin(), items.end(), table->elements + offset);
    std::vector<uintptr_t>().swap(items);  // elem.drop
  }
  return Ok();
}

Result<void> ApplyDataSegments(InstanceImpl& inst) {
  const ModuleInfo& info = inst.module->info();
  inst.data_dropped.assign(info.datas.size(), false);
  for (size_t i = 0; i < info.datas.size(); ++i) {
    const DataSegment& seg = info.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    uint64_t offset = EvalConst(inst, seg.offset, ValType::I32).i32();
    VMMemoryDefinition* mem = inst.memories[seg.memory_index]->definition();
    if (offset + seg.data_size > mem->current_length)
      return Error::FromTrap(TrapKind::MemoryOutOfBounds);
    std::copy_n(info.bytes.data() + seg.data_offset, seg.data_size, mem->base + offset);
    if (seg.memory_index == 0 && inst.memcheck) {
      // The module's own data is addressable and defined wherever it lands (a segment placed
      // by a global, which the heap's start does not account for, may be in the heap).
      inst.memcheck->checker->MakeMemDefined(offset, seg.data_size);
    }
    inst.data_dropped[i] = true;  // data.drop
  }
  return Ok();
}

}  // namespace

Result<Instance*> InstantiateModule(Store& store, std::shared_ptr<const Module> module,
                                    std::vector<Extern> imports) {
  StoreImpl& s = RuntimeAccess::State(store);
  auto impl = std::make_unique<InstanceImpl>(std::move(module), &store);
  Instance* instance = s.Add(s.instances, RuntimeAccess::CreateInstance(std::move(impl)));
  InstanceImpl& inst = RuntimeAccess::State(*instance);
  s.store_context.AddContext(inst.header());
  inst.header()->instance = instance;

  LinkFunctions(s, instance, inst, imports);
  TRY(AllocateState(s, inst, imports));
  CollectExports(inst);
  TRY(ApplyElementSegments(inst));
  TRY(AttachMemcheck(s, inst));  // first: the checker sees the data segments land
  TRY(ApplyDataSegments(inst));
  if (const std::optional<uint32_t>& start = inst.module->info().start) {
    Result<std::vector<Value>> r = store.Call(inst.functions[*start], {});
    if (!r.ok()) return std::move(r).error();
  }
  return instance;
}

}  // namespace wasmgrind
