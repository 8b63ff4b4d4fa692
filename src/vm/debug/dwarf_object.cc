// DwarfObject: serves a module's `.debug_*` custom sections to libdwarf and walks units and DIEs.
#include "vm/debug/dwarf_object.h"

#include <fmt/format.h>

namespace wasmgrind {

DwarfError::~DwarfError() {
  if (error_ != nullptr) dwarf_dealloc_error(debug_, error_);
}

Error DwarfError::ToError(std::string_view what) const {
  std::string message(what);
  if (error_ != nullptr) {
    if (const char* text = dwarf_errmsg(error_); text != nullptr && *text != '\0') {
      message = fmt::format("{}: {}", what, text);
    }
  }
  return Error::Make(ErrorKind::Malformed, std::move(message));
}

std::unique_ptr<DwarfObject> DwarfObject::Open(const ModuleInfo& module, std::string& warning) {
  std::unique_ptr<DwarfObject> object(new DwarfObject());
  object->sections_.push_back(Section{});  // libdwarf expects an ELF-like null section 0
  bool has_info = false;
  for (const CustomSection& custom : module.customs) {
    if (custom.name.rfind(".debug_", 0) != 0) continue;
    if (custom.name == ".debug_info") has_info = true;
    object->sections_.push_back(
        Section{custom.name, module.bytes.data() + custom.data_offset, custom.data_size});
  }
  if (!has_info) return nullptr;
  // Section indexes are Dwarf_Half.
  if (object->sections_.size() > 0xffff) {
    warning = "DWARF: too many .debug_ sections";
    return nullptr;
  }

  DwarfObject& o = *object;
  o.methods_.get_section_info = &GetSectionInfo;
  o.methods_.get_byte_order = &GetByteOrder;
  o.methods_.get_length_size = &GetLengthSize;
  o.methods_.get_pointer_size = &GetPointerSize;
  o.methods_.get_section_count = &GetSectionCount;
  o.methods_.load_section = &LoadSection;
  o.methods_.relocate_a_section = nullptr;
  o.interface_.object = &o;
  o.interface_.methods = &o.methods_;

  DwarfError error(nullptr);
  const int status = dwarf_object_init_b(&o.interface_, /*errhand=*/nullptr, /*errarg=*/nullptr,
                                         DW_GROUPNUMBER_ANY, &o.debug_, error.out());
  if (status != DW_DLV_OK) {
    o.debug_ = nullptr;
    if (status == DW_DLV_ERROR) warning = error.ToError("DWARF: cannot open").message;
    return nullptr;
  }
  return object;
}

DwarfObject::~DwarfObject() {
  if (debug_ != nullptr) {
    Dwarf_Error error = nullptr;
    dwarf_object_finish(debug_, &error);
  }
}

int DwarfObject::GetSectionInfo(void* object, Dwarf_Half index, Dwarf_Obj_Access_Section* out,
                                int* error) {
  const auto& self = *static_cast<const DwarfObject*>(object);
  *error = 0;
  if (index >= self.sections_.size()) return DW_DLV_NO_ENTRY;
  const Section& section = self.sections_[index];
  out->addr = 0;
  out->type = index == 0 ? 0 : 1;  // SHT_NULL, SHT_PROGBITS
  out->size = section.size;
  out->name = section.name.c_str();
  out->link = 0;
  out->info = 0;
  out->entrysize = 0;
  return DW_DLV_OK;
}

Dwarf_Endianness DwarfObject::GetByteOrder(void*) { return DW_OBJECT_LSB; }
Dwarf_Small DwarfObject::GetLengthSize(void*) { return 4; }
Dwarf_Small DwarfObject::GetPointerSize(void*) { return 4; }  // wasm32

Dwarf_Unsigned DwarfObject::GetSectionCount(void* object) {
  return static_cast<const DwarfObject*>(object)->sections_.size();
}

int DwarfObject::LoadSection(void* object, Dwarf_Half index, Dwarf_Small** data, int* error) {
  const auto& self = *static_cast<const DwarfObject*>(object);
  *error = 0;
  if (index == 0 || index >= self.sections_.size()) return DW_DLV_NO_ENTRY;
  // libdwarf reads section data only (there are no relocations to apply), so handing it the
  // module's bytes without a copy is safe.
  *data = const_cast<Dwarf_Small*>(self.sections_[index].data);
  return DW_DLV_OK;
}

Result<void> DwarfObject::ForEachUnit(
    const std::function<Result<void>(Dwarf_Die unit)>& visit) const {
  for (;;) {
    Dwarf_Unsigned header_length = 0, type_offset = 0, next_offset = 0;
    Dwarf_Half version = 0, address_size = 0, length_size = 0, extension_size = 0, unit_type = 0;
    Dwarf_Off abbrev_offset = 0;
    Dwarf_Sig8 signature{};
    DwarfError error(debug_);
    const int status =
        dwarf_next_cu_header_d(debug_, /*is_info=*/true, &header_length, &version, &abbrev_offset,
                               &address_size, &length_size, &extension_size, &signature,
                               &type_offset, &next_offset, &unit_type, error.out());
    if (status == DW_DLV_NO_ENTRY) return Ok();
    if (status != DW_DLV_OK) return error.ToError("DWARF: reading a compile unit header");

    // The unit's root DIE is the first sibling of "no DIE".
    Dwarf_Die raw = nullptr;
    DwarfError die_error(debug_);
    const int die_status = dwarf_siblingof_b(debug_, nullptr, true, &raw, die_error.out());
    if (die_status == DW_DLV_ERROR) return die_error.ToError("DWARF: reading a compile unit DIE");
    if (die_status == DW_DLV_NO_ENTRY) continue;
    DieHandle unit(raw);
    TRY(visit(unit.get()));
  }
}

bool DwarfObject::ForEachUnitTolerant(const std::function<Result<void>(Dwarf_Die unit)>& add,
                                      std::string& warning) const {
  std::vector<std::string> unit_warnings;
  Result<void> walked = ForEachUnit([&](Dwarf_Die unit) -> Result<void> {
    if (Result<void> added = add(unit); !added.ok()) unit_warnings.push_back(added.error().message);
    return Ok();
  });
  if (!walked.ok()) {
    warning = walked.error().message;
    return false;
  }
  if (!unit_warnings.empty()) {
    warning = unit_warnings.front();
    if (unit_warnings.size() > 1) {
      warning += fmt::format(" (and {} more compile units)", unit_warnings.size() - 1);
    }
  }
  return true;
}

Result<DieHandle> DwarfObject::FirstChild(Dwarf_Die die) const {
  Dwarf_Die child = nullptr;
  DwarfError error(debug_);
  const int status = dwarf_child(die, &child, error.out());
  if (status == DW_DLV_ERROR) return error.ToError("DWARF: reading a DIE's children");
  return DieHandle(status == DW_DLV_OK ? child : nullptr);
}

Result<DieHandle> DwarfObject::NextSibling(Dwarf_Die die) const {
  Dwarf_Die sibling = nullptr;
  DwarfError error(debug_);
  const int status = dwarf_siblingof_b(debug_, die, true, &sibling, error.out());
  if (status == DW_DLV_ERROR) return error.ToError("DWARF: reading a DIE's sibling");
  return DieHandle(status == DW_DLV_OK ? sibling : nullptr);
}

}  // namespace wasmgrind
