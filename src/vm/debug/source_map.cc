// SourceMap: reads every compile unit's line table through libdwarf into one sorted row array.
#include "vm/debug/source_map.h"

#include <algorithm>
#include <unordered_map>

#include "vm/debug/dwarf_object.h"

namespace wasmgrind {

namespace {

// wasm-ld marks the line sequences of functions it dropped (dead code, COMDAT duplicates) with a
// tombstone start address: -1 (or -2 in .debug_ranges); older linkers wrote 0. Address 0 is the
// Code section's function count, never an instruction, so such a sequence can only be dead.
bool IsDeadSequenceStart(Dwarf_Addr address) { return address == 0 || address >= 0xfffffffe; }

}  // namespace

// Collects rows unit by unit; a broken unit is skipped with a warning.
class SourceMap::Builder {
 public:
  Builder(const DwarfObject& dwarf, SourceMap& map) : dwarf_(dwarf), map_(map) {}

  Result<void> AddUnit(Dwarf_Die unit) {
    Dwarf_Unsigned version = 0;
    Dwarf_Small table_count = 0;
    Dwarf_Line_Context raw_context = nullptr;
    DwarfError error(dwarf_.debug());
    const int status = dwarf_srclines_b(unit, &version, &table_count, &raw_context, error.out());
    if (status == DW_DLV_NO_ENTRY) return Ok();  // a unit without a line table
    if (status != DW_DLV_OK) return error.ToError("DWARF: reading a line table header");
    LineContextHandle context(raw_context);

    Dwarf_Line* lines = nullptr;
    Dwarf_Signed count = 0;
    DwarfError lines_error(dwarf_.debug());
    if (dwarf_srclines_from_linecontext(context.get(), &lines, &count, lines_error.out()) !=
        DW_DLV_OK) {
      return lines_error.ToError("DWARF: reading a line table");
    }
    file_ids_.clear();
    std::vector<Row> sequence;
    for (Dwarf_Signed i = 0; i < count; ++i) {
      TRY_ASSIGN(Row row, ReadRow(lines[i]));
      if (sequence.empty() && IsDeadSequenceStart(address_)) dead_sequence_ = true;
      if (address_ > UINT32_MAX) dead_sequence_ = true;
      sequence.push_back(row);
      if (row.end_sequence) {
        if (!dead_sequence_) map_.rows_.insert(map_.rows_.end(), sequence.begin(), sequence.end());
        sequence.clear();
        dead_sequence_ = false;
      }
    }
    // Rows after the last end_sequence do not form a sequence; DWARF requires the marker.
    return Ok();
  }

 private:
  Result<Row> ReadRow(Dwarf_Line line) {
    Row row;
    Dwarf_Unsigned line_number = 0, column = 0, file_number = 0;
    Dwarf_Bool end_sequence = false;
    DwarfError error(dwarf_.debug());
    if (dwarf_lineaddr(line, &address_, error.out()) != DW_DLV_OK ||
        dwarf_lineno(line, &line_number, error.out()) != DW_DLV_OK ||
        dwarf_lineoff_b(line, &column, error.out()) != DW_DLV_OK ||
        dwarf_lineendsequence(line, &end_sequence, error.out()) != DW_DLV_OK ||
        dwarf_line_srcfileno(line, &file_number, error.out()) != DW_DLV_OK) {
      return error.ToError("DWARF: reading a line table row");
    }
    row.address = static_cast<uint32_t>(address_);
    row.line = static_cast<uint32_t>(std::min<Dwarf_Unsigned>(line_number, UINT32_MAX));
    row.column = static_cast<uint32_t>(std::min<Dwarf_Unsigned>(column, UINT32_MAX));
    row.end_sequence = end_sequence;
    if (!end_sequence) {
      TRY_ASSIGN(row.file, FileId(line, file_number));
    }
    return row;
  }

  // The files_ index of the current unit's file `file_number`; libdwarf resolves the name
  // against the include directories and comp dir (and DWARF 5's 0-based numbering).
  Result<uint32_t> FileId(Dwarf_Line line, Dwarf_Unsigned file_number) {
    if (auto it = file_ids_.find(file_number); it != file_ids_.end()) return it->second;
    char* name = nullptr;
    DwarfError error(dwarf_.debug());
    const int status = dwarf_linesrc(line, &name, error.out());
    if (status == DW_DLV_ERROR) return error.ToError("DWARF: resolving a line table file name");
    std::string file = status == DW_DLV_OK && name != nullptr ? name : "??";
    if (name != nullptr) dwarf_dealloc(dwarf_.debug(), name, DW_DLA_STRING);
    auto [it, inserted] = interned_.try_emplace(file, static_cast<uint32_t>(map_.files_.size()));
    if (inserted) map_.files_.push_back(std::move(file));
    file_ids_.emplace(file_number, it->second);
    return it->second;
  }

  const DwarfObject& dwarf_;
  SourceMap& map_;
  std::unordered_map<std::string, uint32_t> interned_;     // file name -> files_ index
  std::unordered_map<Dwarf_Unsigned, uint32_t> file_ids_;  // this unit's file numbers
  Dwarf_Addr address_ = 0;                                 // of the row just read, before narrowing
  bool dead_sequence_ = false;
};

SourceMap SourceMap::Build(const ModuleInfo& module) {
  SourceMap map;
  map.code_offset_ = module.code_section_offset;
  std::unique_ptr<DwarfObject> dwarf = DwarfObject::Open(module, map.warning_);
  if (!dwarf || module.code_section_offset == 0) return map;

  Builder builder(*dwarf, map);
  if (!dwarf->ForEachUnitTolerant([&](Dwarf_Die unit) { return builder.AddUnit(unit); },
                                  map.warning_)) {
    map.rows_.clear();
    map.files_.clear();
    return map;
  }
  std::stable_sort(map.rows_.begin(), map.rows_.end(), [](const Row& a, const Row& b) {
    if (a.address != b.address) return a.address < b.address;
    return a.end_sequence && !b.end_sequence;
  });
  return map;
}

std::optional<SourceLocation> SourceMap::Lookup(uint32_t module_offset) const {
  if (rows_.empty() || module_offset < code_offset_) return std::nullopt;
  const uint32_t address = module_offset - code_offset_;
  auto it = std::upper_bound(rows_.begin(), rows_.end(), address,
                             [](uint32_t a, const Row& row) { return a < row.address; });
  if (it == rows_.begin()) return std::nullopt;
  const Row& row = *std::prev(it);
  if (row.end_sequence || row.line == 0) return std::nullopt;
  return SourceLocation{files_[row.file], row.line, row.column};
}

}  // namespace wasmgrind
