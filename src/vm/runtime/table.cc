// Table: a growable array of reference words (see table.h for the invariants).
#include "table.h"

#include <algorithm>
#include <string>

#include "runtime_access.h"

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

uint64_t MaxTableSize(const TableType& type) {
  return std::min<uint64_t>(type.limits.max.value_or(kMaxTableSize), kMaxTableElements);
}

Result<std::unique_ptr<Table>> RuntimeAccess::CreateTable(const TableType& type, uintptr_t init) {
  if (type.limits.min > MaxTableSize(type))
    return Error::Make(ErrorKind::Usage, "table size exceeds the implementation limit");
  std::unique_ptr<Table> table(new Table(type));
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
  elements_.resize(old_size + delta, static_cast<uintptr_t>(init.bits));
  Publish();
  return static_cast<uint32_t>(old_size);
}

}  // namespace wasmgrind
