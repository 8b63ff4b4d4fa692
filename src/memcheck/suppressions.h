// Suppressions in Valgrind's file format, so existing suppression files work:
//
//   {
//      name
//      Memcheck:Addr4              (tool[,tool...]:kind; other tools' entries are ignored)
//      match-leak-kinds: definite  (Leak only, optional; Param: the parameter, e.g. write(buf))
//      fun:f*                      (function name, mangled or demangled, with * and ? globs)
//      obj:*.wasm                  (the module's path)
//      src:file.c:12               (source file's base name, optionally a line)
//      ...                         (any number of frames, including none)
//   }
//
// Frame patterns match the error's stack from its innermost frame; frames after the last
// pattern do not matter. Also: generating a suppression for an error (--gen-suppressions=all)
// in the same format, as text and as the pieces XML output lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/expected.h"
#include "memcheck/leak_kind.h"
#include "memcheck/memcheck_error.h"

namespace wasmgrind::memcheck {

enum class FramePatternType : uint8_t { Fun, Obj, Src, Ellipsis };

struct FramePattern {
  FramePatternType type = FramePatternType::Fun;
  std::string pattern;  // Src: the file pattern
  uint32_t line = 0;    // Src: 0 = any line
};

struct Suppression {
  std::string name;
  std::string kind;                             // "Addr4", "Leak", ... (the part after "Memcheck:")
  std::string extra;                            // Param's parameter
  LeakKindSet leak_kinds = LeakKindSet::All();  // match-leak-kinds
  std::vector<FramePattern> frames;
  std::string origin;  // "file:line" of its name, as -s lists it
};

// Parses the text of one suppression file; `file_name` only labels errors and origins.
// Entries for other tools are skipped. Errors say "FILE:LINE: what is wrong".
Expected<std::vector<Suppression>> ParseSuppressions(std::string_view text,
                                                     std::string_view file_name);
// Reads and parses a file.
Expected<std::vector<Suppression>> LoadSuppressionFile(const std::string& path);

// Valgrind's glob: * matches any run of characters, ? any one character.
bool GlobMatches(std::string_view pattern, std::string_view text);

// Whether `s` suppresses an error of this kind/size/param with this (expanded) stack.
bool SuppressionMatches(const Suppression& s, const MemcheckError& error,
                        const std::vector<SymbolizedFrame>& stack);

// The suppression --gen-suppressions=all prints for an error.
Suppression GenerateSuppression(const MemcheckError& error,
                                const std::vector<SymbolizedFrame>& stack);
// In the file format, ready to paste ("{\n   <insert_a_suppression_name_here>\n ...}\n").
std::string FormatSuppression(const Suppression& s);
// One frame line's text without indentation ("fun:main", "obj:/x/prog.wasm").
std::string FormatFramePattern(const FramePattern& f);

}  // namespace wasmgrind::memcheck
