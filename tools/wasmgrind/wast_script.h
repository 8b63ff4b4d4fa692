// WastScript: the commands of one spec test script, read from the JSON that wast2json writes.
// This is the only place that touches nlohmann-json (which throws): its exceptions stop here
// and come out as an Error. A command whose values cannot be represented (v128, an unknown
// command type) is kept with `unsupported` set, so the runner reports it as one failure and
// goes on with the rest of the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.h"
#include "vm/value.h"
#include "wast_values.h"

namespace wasmgrind {

enum class WastCommandType : uint8_t {
  Module,
  Register,
  Action,
  AssertReturn,
  AssertTrap,
  AssertExhaustion,
  AssertInvalid,
  AssertMalformed,
  AssertUnlinkable,
  AssertUninstantiable,
  Unknown,
};

std::string_view WastCommandTypeName(WastCommandType type);

struct WastAction {
  enum class Type : uint8_t { Invoke, Get };
  Type type = Type::Invoke;
  std::optional<std::string> module;  // "$name" of a named module; absent: the current one
  std::string field;
  std::vector<Value> args;
};

struct WastCommand {
  WastCommandType type = WastCommandType::Unknown;
  uint32_t line = 0;
  std::string filename;             // module file, relative to the JSON's directory
  std::optional<std::string> name;  // module: its $name; register: the module to register
  std::string as;                   // register: the import name it becomes
  bool text_module = false;         // assert_invalid/malformed on the text format
  std::string text;                 // assert_*: the expected failure text
  std::optional<WastAction> action;
  std::vector<ExpectedValue> expected;
  std::optional<std::string> unsupported;  // why this command cannot be run, if it cannot
};

struct WastScript {
  std::vector<WastCommand> commands;
};

// Parses wast2json output. Errors (kind Malformed) only for JSON that is not a script at all.
Result<WastScript> ParseWastJson(std::string_view json_text);

}  // namespace wasmgrind
