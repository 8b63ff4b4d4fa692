// Reading wast2json's JSON into WastScript (see wast_script.h). nlohmann-json throws on bad
// input and on wrong-typed access; every such exception is caught in ParseWastJson.
#include "wast_script.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace wasmgrind {
namespace {

using nlohmann::json;

struct CommandName {
  std::string_view name;
  WastCommandType type;
};
constexpr CommandName kCommandNames[] = {
    {"module", WastCommandType::Module},
    {"register", WastCommandType::Register},
    {"action", WastCommandType::Action},
    {"assert_return", WastCommandType::AssertReturn},
    {"assert_trap", WastCommandType::AssertTrap},
    {"assert_exhaustion", WastCommandType::AssertExhaustion},
    {"assert_invalid", WastCommandType::AssertInvalid},
    {"assert_malformed", WastCommandType::AssertMalformed},
    {"assert_unlinkable", WastCommandType::AssertUnlinkable},
    {"assert_uninstantiable", WastCommandType::AssertUninstantiable},
};

WastCommandType CommandTypeFromName(std::string_view name) {
  for (const auto& c : kCommandNames)
    if (c.name == name) return c.type;
  return WastCommandType::Unknown;
}

std::optional<std::string> OptionalString(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<Value> ParseArg(const json& j) {
  TRY_ASSIGN(ValType type, ParseWastType(j.at("type").get<std::string>()));
  return ParseWastValue(type, j.at("value").get<std::string>());
}

Result<ExpectedValue> ParseExpected(const json& j) {
  TRY_ASSIGN(ValType type, ParseWastType(j.at("type").get<std::string>()));
  std::optional<std::string> text = OptionalString(j, "value");
  if (text) return ParseExpectedValue(type, std::string_view(*text));
  return ParseExpectedValue(type, std::nullopt);
}

Result<WastAction> ParseAction(const json& j) {
  WastAction action;
  std::string type = j.at("type").get<std::string>();
  if (type == "invoke") {
    action.type = WastAction::Type::Invoke;
  } else if (type == "get") {
    action.type = WastAction::Type::Get;
  } else {
    return Error::Make(ErrorKind::Unsupported, fmt::format("action type \"{}\"", type));
  }
  action.module = OptionalString(j, "module");
  action.field = j.at("field").get<std::string>();
  if (auto it = j.find("args"); it != j.end()) {
    for (const json& arg : *it) {
      TRY_ASSIGN(Value v, ParseArg(arg));
      action.args.push_back(v);
    }
  }
  return action;
}

// Fills the parts of `cmd` that may be unsupported; an error here marks the command only.
Result<void> ParseValues(const json& j, WastCommand& cmd) {
  if (auto a = j.find("action"); a != j.end()) {
    TRY_ASSIGN(cmd.action, ParseAction(*a));
  }
  // Only assert_return's expectations mean anything (assert_trap lists result types only).
  auto it = j.find("expected");
  if (cmd.type == WastCommandType::AssertReturn && it != j.end()) {
    for (const json& e : *it) {
      TRY_ASSIGN(ExpectedValue v, ParseExpected(e));
      cmd.expected.push_back(v);
    }
  }
  return Ok();
}

WastCommand ParseCommand(const json& j) {
  WastCommand cmd;
  std::string type_name = j.at("type").get<std::string>();
  cmd.type = CommandTypeFromName(type_name);
  cmd.line = j.at("line").get<uint32_t>();
  cmd.filename = OptionalString(j, "filename").value_or("");
  cmd.name = OptionalString(j, "name");
  cmd.as = OptionalString(j, "as").value_or("");
  cmd.text = OptionalString(j, "text").value_or("");
  cmd.text_module = OptionalString(j, "module_type").value_or("binary") == "text";
  if (cmd.type == WastCommandType::Unknown) {
    cmd.unsupported = fmt::format("command type \"{}\"", type_name);
    return cmd;
  }
  // A value the JSON spells in a shape we do not know (v128 lanes are arrays) marks only this
  // command; the rest of the script still runs.
  try {
    if (auto r = ParseValues(j, cmd); !r.ok()) cmd.unsupported = r.error().message;
  } catch (const json::exception& e) {
    cmd.unsupported = fmt::format("unreadable values: {}", e.what());
  }
  return cmd;
}

}  // namespace

std::string_view WastCommandTypeName(WastCommandType type) {
  for (const auto& c : kCommandNames)
    if (c.type == type) return c.name;
  return "unknown";
}

Result<WastScript> ParseWastJson(std::string_view json_text) {
  try {
    json doc = json::parse(json_text);
    WastScript script;
    for (const json& c : doc.at("commands")) script.commands.push_back(ParseCommand(c));
    return script;
  } catch (const json::exception& e) {
    return Error::Make(ErrorKind::Malformed, fmt::format("bad spec test JSON: {}", e.what()));
  }
}

}  // namespace wasmgrind
