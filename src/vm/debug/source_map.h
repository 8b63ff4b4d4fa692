// SourceMap: wasm byte offset -> source file:line:column, from a module's DWARF line tables
// (.debug_line, reached through each compile unit of .debug_info), DWARF 4 and 5.
//
// Why libdwarf and not a line-program parser of our own: the line table header changed shape in
// DWARF 5 (file and directory entry formats, 0-based file numbers, .debug_line_str), file names
// must be joined with include directories and the comp dir as DWARF defines, and this code runs
// while reporting a crash, on whatever DWARF the user's toolchain wrote: a library that handles
// every version and is hardened against malformed input beats a hand-made parser (a project
// rule). dwarf_object.h says how the wasm sections are handed to it.
//
// Addresses: DWARF for wasm counts from the first byte of the Code section's payload (its
// function count), so a function's first row sits a couple of bytes after where its body size
// ends; Lookup takes a module byte offset (what PC maps and Instr::offset record) and converts.
//
// Built once per module and immutable afterwards, so lookups from any thread are safe. A
// module without DWARF gives an empty map; malformed DWARF gives an empty map (or, if only some
// compile units are broken, the others) and a warning, never an error or a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vm/module_info.h"

namespace wasmgrind {

struct SourceLocation {
  std::string file;  // as DWARF gives it, joined with its include directory / comp dir
  uint32_t line = 0;
  uint32_t column = 0;  // 0: unknown
  bool operator==(const SourceLocation&) const = default;
};

class SourceMap {
 public:
  SourceMap() = default;  // empty
  static SourceMap Build(const ModuleInfo& module);

  // The location of the instruction at `module_offset`: the row with the greatest address <= the
  // target within the same sequence. nullopt outside any sequence and for rows with line 0
  // (compiler-generated code with no source line).
  std::optional<SourceLocation> Lookup(uint32_t module_offset) const;

  bool empty() const { return rows_.empty(); }
  // Why (some of) the DWARF could not be read; empty if it was read cleanly or is absent.
  const std::string& warning() const { return warning_; }

 private:
  struct Row {
    uint32_t address = 0;  // code-section relative
    uint32_t line = 0;
    uint32_t column = 0;
    uint32_t file = 0;  // index into files_
    bool end_sequence = false;
  };
  class Builder;

  uint32_t code_offset_ = 0;
  // Every sequence's rows, sorted by address; at equal addresses an end_sequence row comes first
  // so that a sequence starting where another ends wins.
  std::vector<Row> rows_;
  std::vector<std::string> files_;
  std::string warning_;
};

}  // namespace wasmgrind
