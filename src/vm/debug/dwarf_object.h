// DwarfObject: a libdwarf session over the DWARF custom sections of one wasm module, plus the
// RAII handles every libdwarf user in this layer needs (DIEs, line contexts, errors).
//
// Why libdwarf rather than our own parser: DWARF 4 and 5 differ in every table we read (line
// program headers, file numbering, string and address forms, range lists), and producers keep
// adding forms; libdwarf already decodes all of them and is hardened against malformed input,
// which a fault reporter must survive. wasm is not ELF, so we do not use dwarf_init_b: the
// sections are served straight out of ModuleInfo::bytes through libdwarf's object access
// interface (dwarf_object_init_b), with 4-byte addresses, little endian, no relocations.
//
// Invariants: a DwarfObject never moves (libdwarf keeps pointers to its access interface), so it
// lives behind a unique_ptr; every libdwarf call passes a Dwarf_Error* (with no error handler
// and no error pointer libdwarf aborts the process); errors are released with their Debug.
#pragma once

#include <dwarf.h>
#include <libdwarf.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

// Owns a Dwarf_Error filled in by a failed libdwarf call.
class DwarfError {
 public:
  explicit DwarfError(Dwarf_Debug debug) : debug_(debug) {}
  ~DwarfError();
  DwarfError(const DwarfError&) = delete;
  DwarfError& operator=(const DwarfError&) = delete;
  Dwarf_Error* out() { return &error_; }
  // "what: libdwarf's message" (or just `what` if libdwarf gave none), as a Malformed Error.
  Error ToError(std::string_view what) const;

 private:
  Dwarf_Debug debug_;
  Dwarf_Error error_ = nullptr;
};

struct DieDeleter {
  void operator()(Dwarf_Die die) const { dwarf_dealloc_die(die); }
};
using DieHandle = std::unique_ptr<std::remove_pointer_t<Dwarf_Die>, DieDeleter>;

struct LineContextDeleter {
  void operator()(Dwarf_Line_Context context) const { dwarf_srclines_dealloc_b(context); }
};
using LineContextHandle =
    std::unique_ptr<std::remove_pointer_t<Dwarf_Line_Context>, LineContextDeleter>;

class DwarfObject {
 public:
  // The session for `module`, or nullptr when it carries no .debug_info (no warning then) or
  // libdwarf refuses it (the reason goes to `warning`). `module` must outlive the object.
  static std::unique_ptr<DwarfObject> Open(const ModuleInfo& module, std::string& warning);
  ~DwarfObject();
  DwarfObject(const DwarfObject&) = delete;
  DwarfObject& operator=(const DwarfObject&) = delete;

  Dwarf_Debug debug() const { return debug_; }

  // Calls `visit` with the root DIE of every compile unit in .debug_info, in order. Stops at the
  // first error, from libdwarf or from `visit`.
  Result<void> ForEachUnit(const std::function<Result<void>(Dwarf_Die unit)>& visit) const;
  // As ForEachUnit, but a unit whose `add` fails is skipped (one broken unit does not hide the
  // others) and its error becomes `warning` (the first, with the count of the others). Returns
  // false, with `warning` saying why, when the unit list itself is broken: then nothing read
  // from it can be trusted.
  bool ForEachUnitTolerant(const std::function<Result<void>(Dwarf_Die unit)>& add,
                           std::string& warning) const;

  // First child / next sibling of `die`; nullptr at the end. Errors are Malformed.
  Result<DieHandle> FirstChild(Dwarf_Die die) const;
  Result<DieHandle> NextSibling(Dwarf_Die die) const;

 private:
  struct Section {
    std::string name;
    const uint8_t* data = nullptr;
    uint64_t size = 0;
  };

  DwarfObject() = default;

  // libdwarf's object access callbacks; `object` is the DwarfObject.
  static int GetSectionInfo(void* object, Dwarf_Half index, Dwarf_Obj_Access_Section* out,
                            int* error);
  static Dwarf_Endianness GetByteOrder(void* object);
  static Dwarf_Small GetLengthSize(void* object);
  static Dwarf_Small GetPointerSize(void* object);
  static Dwarf_Unsigned GetSectionCount(void* object);
  static int LoadSection(void* object, Dwarf_Half index, Dwarf_Small** data, int* error);

  std::vector<Section> sections_;  // [0] is an empty null section, as in ELF
  Dwarf_Obj_Access_Methods methods_{};
  Dwarf_Obj_Access_Interface interface_{};
  Dwarf_Debug debug_ = nullptr;
};

}  // namespace wasmgrind
