// Table: a growable array of reference words (see table.h for the invariants).
#include "vm/runtime/table.h"

#include <fmt/format.h>

#include <string>

#include "vm/runtime/runtime_access.h"

namespace wasmgrind {
namespace {

Result<void> CheckRef(const TableType& type, const Value& v) {
  if (v.type != type.elem)
    return Error::Make(ErrorKind::Usage, std::string("table of ") +
                                             std::string(ValTypeName(type.elem)) +
                                             " cannot hold a " + std::string(ValTypeName(v.type)));
  return Ok();
}

}  // namespace

uint64_t MaxTableSize(const TableType& type) { return type.limits.max.value_or(kMaxTableSize); }

Result<std::unique_ptr<Table>> RuntimeAccess::CreateTable(const TableType& type, uintptr_t init,
                                                          TableElementBudget& budget) {
  if (!budget.TryTake(type.limits.min))
    return Error::Make(ErrorKind::Unsupported,
                       fmt::format("a table of {} elements exceeds the limit of {} table elements "
                                   "per store, all tables together ({} in use)",
                                   type.limits.min, budget.limit(), budget.used()));
  std::unique_ptr<Table> table(new Table(type, &budget));
  table->elements_.assign(type.limits.min, init);
  table->Publish();
  return table;
}

void Table::Publish() {
  def_.elements = elements_.data();
  def_.size = static_cast<uint32_t>(elements_.size());
}

TableType Table::type() const {
  TableType t = type_;
  t.limits.min = elements_.size();  // current size, as the spec's external type reports it
  return t;
}

uint32_t Table::size() const { return def_.size; }
VMTableDefinition* Table::definition() { return &def_; }

Result<Value> Table::Get(uint32_t index) const {
  if (index >= elements_.size()) return Error::FromTrap(TrapKind::TableOutOfBounds);
  return Value{type_.elem, elements_[index], 0};
}

Result<void> Table::Set(uint32_t index, const Value& v) {
  TRY(CheckRef(type_, v));
  if (index >= elements_.size()) return Error::FromTrap(TrapKind::TableOutOfBounds);
  elements_[index] = static_cast<uintptr_t>(v.bits);
  return Ok();
}

Result<uint32_t> Table::Grow(uint32_t delta, const Value& init) {
  TRY(CheckRef(type_, init));
  uint64_t old_size = elements_.size();
  if (delta > MaxTableSize(type_) - old_size)
    return Error::Make(ErrorKind::Usage, "table.grow beyond the table's maximum");
  if (!budget_->TryTake(delta))
    return Error::Make(ErrorKind::Unsupported,
                       fmt::format("table.grow by {} exceeds the limit of {} table elements per "
                                   "store, all tables together ({} in use)",
                                   delta, budget_->limit(), budget_->used()));
  elements_.resize(old_size + delta, static_cast<uintptr_t>(init.bits));
  Publish();
  return static_cast<uint32_t>(old_size);
}

}  // namespace wasmgrind
