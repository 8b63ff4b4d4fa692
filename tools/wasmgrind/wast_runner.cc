// Executing spec test commands (see wast_runner.h).
#include "wast_runner.h"

#include <fmt/format.h>

#include "file_io.h"
#include "spectest_host.h"
#include "temp_dir.h"
#include "wast2json.h"

namespace wasmgrind {
namespace {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Exit: return "exit";
    case ErrorKind::Io: return "i/o error";
    case ErrorKind::Usage: return "usage error";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Internal: return "internal error";
  }
  return "error";
}

std::string FormatValues(const std::vector<Value>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + FormatWastValue(values[i]);
  return s + ")";
}

std::string FormatExpected(const std::vector<ExpectedValue>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + values[i].ToString();
  return s + ")";
}

}  // namespace

std::string DescribeError(const Error& error) {
  std::string s = fmt::format("{}: {}", ErrorKindName(error.kind), error.message);
  if (error.offset) s += fmt::format(" (at offset 0x{:x})", *error.offset);
  return s;
}

WastRunner::WastRunner(Engine& engine, ModuleFiles modules, std::string file, std::ostream& out)
    : engine_(engine),
      modules_(std::move(modules)),
      file_(std::move(file)),
      out_(out),
      store_(engine) {
  if (auto r = DefineSpectest(store_, linker_, out_); !r.ok())
    setup_error_ = "spectest module: " + DescribeError(r.error());
}

WastFileReport WastRunner::Run(const WastScript& script) {
  WastFileReport report;
  report.file = file_;
  for (const WastCommand& cmd : script.commands) {
    bool text_assert = cmd.text_module && (cmd.type == WastCommandType::AssertInvalid ||
                                           cmd.type == WastCommandType::AssertMalformed);
    if (text_assert) {
      ++report.skipped_text;
      continue;
    }
    std::optional<std::string> failure = Execute(cmd);
    if (failure) {
      ++report.failed;
      report.failures.push_back({cmd.line, std::move(*failure)});
    } else if (cmd.type != WastCommandType::Register) {
      ++report.passed;
    }
  }
  return report;
}

std::optional<std::string> WastRunner::Execute(const WastCommand& cmd) {
  if (setup_error_) return fmt::format("{} / {}", WastCommandTypeName(cmd.type), *setup_error_);
  if (cmd.unsupported)
    return fmt::format("{} / not supported: {}", WastCommandTypeName(cmd.type), *cmd.unsupported);
  switch (cmd.type) {
    case WastCommandType::Module: return ExecuteModule(cmd);
    case WastCommandType::Register: return ExecuteRegister(cmd);
    case WastCommandType::Action: {
      if (!cmd.action) return "action / no action in the command";
      auto r = DoAction(*cmd.action);
      if (!r.ok()) return fmt::format("action succeeds / {}", DescribeError(r.error()));
      return std::nullopt;
    }
    case WastCommandType::AssertReturn: return ExecuteAssertReturn(cmd);
    case WastCommandType::AssertTrap:
    case WastCommandType::AssertExhaustion: return ExecuteAssertTrap(cmd);
    case WastCommandType::AssertInvalid:
    case WastCommandType::AssertMalformed:
    case WastCommandType::AssertUnlinkable:
    case WastCommandType::AssertUninstantiable: return ExecuteAssertModuleFails(cmd);
    case WastCommandType::Unknown: break;
  }
  return "known command / unknown command";
}

std::optional<std::string> WastRunner::ExecuteModule(const WastCommand& cmd) {
  // A module that fails leaves no current module: later commands on it fail visibly.
  current_ = nullptr;
  auto module = LoadModule(cmd.filename);
  if (!module.ok()) return fmt::format("module compiles / {}", DescribeError(module.error()));
  auto instance = linker_.Instantiate(store_, std::move(module).value());
  if (!instance.ok())
    return fmt::format("module instantiates / {}", DescribeError(instance.error()));
  current_ = *instance;
  if (cmd.name) named_[*cmd.name] = current_;
  return std::nullopt;
}

std::optional<std::string> WastRunner::ExecuteRegister(const WastCommand& cmd) {
  auto instance = FindInstance(cmd.name);
  if (!instance.ok()) return fmt::format("register \"{}\" / {}", cmd.as, instance.error().message);
  linker_.DefineInstance(cmd.as, **instance);
  return std::nullopt;
}

std::optional<std::string> WastRunner::ExecuteAssertReturn(const WastCommand& cmd) {
  if (!cmd.action) return "assert_return / no action in the command";
  std::string expected = fmt::format("returns {}", FormatExpected(cmd.expected));
  auto results = DoAction(*cmd.action);
  if (!results.ok()) return fmt::format("{} / {}", expected, DescribeError(results.error()));
  bool match = results->size() == cmd.expected.size();
  for (size_t i = 0; match && i < results->size(); ++i)
    match = cmd.expected[i].Matches((*results)[i]);
  if (!match) return fmt::format("{} / returned {}", expected, FormatValues(*results));
  return std::nullopt;
}

std::optional<std::string> WastRunner::ExecuteAssertTrap(const WastCommand& cmd) {
  if (!cmd.action)
    return fmt::format("{} / no action in the command", WastCommandTypeName(cmd.type));
  std::string expected = fmt::format("trap \"{}\"", cmd.text);
  auto results = DoAction(*cmd.action);
  if (results.ok()) return fmt::format("{} / returned {}", expected, FormatValues(*results));
  const Error& e = results.error();
  bool match = e.kind == ErrorKind::Trap && e.message.starts_with(cmd.text);
  if (cmd.type == WastCommandType::AssertExhaustion)
    match = e.kind == ErrorKind::Trap &&
            (e.trap == TrapKind::CallStackExhausted || e.message.starts_with(cmd.text));
  if (!match) return fmt::format("{} / {}", expected, DescribeError(e));
  return std::nullopt;
}

std::optional<std::string> WastRunner::ExecuteAssertModuleFails(const WastCommand& cmd) {
  ErrorKind want = ErrorKind::Invalid;
  switch (cmd.type) {
    case WastCommandType::AssertMalformed: want = ErrorKind::Malformed; break;
    case WastCommandType::AssertUnlinkable: want = ErrorKind::Unlinkable; break;
    case WastCommandType::AssertUninstantiable: want = ErrorKind::Trap; break;
    default: break;
  }
  std::string expected = fmt::format("{} module (\"{}\")", ErrorKindName(want), cmd.text);
  auto module = LoadModule(cmd.filename);
  if (!module.ok()) {
    if (module.error().kind == want) return std::nullopt;
    return fmt::format("{} / {}", expected, DescribeError(module.error()));
  }
  if (want == ErrorKind::Invalid || want == ErrorKind::Malformed)
    return fmt::format("{} / compiled", expected);
  auto instance = linker_.Instantiate(store_, std::move(module).value());
  if (instance.ok()) return fmt::format("{} / instantiated", expected);
  if (instance.error().kind != want)
    return fmt::format("{} / {}", expected, DescribeError(instance.error()));
  return std::nullopt;
}

Result<std::shared_ptr<const Module>> WastRunner::LoadModule(const std::string& filename) {
  auto it = modules_.find(filename);
  if (it == modules_.end())
    return Error::Make(ErrorKind::Io, fmt::format("module file \"{}\" is missing", filename));
  return Module::Compile(engine_, it->second);
}

Result<Instance*> WastRunner::FindInstance(const std::optional<std::string>& name) const {
  if (!name) {
    if (!current_) return Error::Make(ErrorKind::Usage, "no current module");
    return current_;
  }
  auto it = named_.find(*name);
  if (it == named_.end())
    return Error::Make(ErrorKind::Usage, fmt::format("no module named {}", *name));
  return it->second;
}

Result<std::vector<Value>> WastRunner::DoAction(const WastAction& action) {
  TRY_ASSIGN(Instance * instance, FindInstance(action.module));
  if (action.type == WastAction::Type::Get) {
    std::optional<Extern> ext = instance->GetExport(action.field);
    if (!ext || !std::holds_alternative<Global*>(*ext))
      return Error::Make(ErrorKind::Usage, fmt::format("no exported global \"{}\"", action.field));
    return std::vector<Value>{std::get<Global*>(*ext)->Get()};
  }
  Function* f = instance->GetFunction(action.field);
  if (!f)
    return Error::Make(ErrorKind::Usage, fmt::format("no exported function \"{}\"", action.field));
  return store_.Call(f, action.args);
}

Result<WastFileReport> RunWastFile(Engine& engine, const std::filesystem::path& wast2json_tool,
                                   const std::filesystem::path& wast, std::ostream& out) {
  WastScript script;
  WastRunner::ModuleFiles modules;
  {
    TRY_ASSIGN(TempDir dir, TempDir::Create("wasmgrind-wast-"));
    TRY_ASSIGN(std::filesystem::path json_path, ConvertWast(wast2json_tool, wast, dir.path()));
    TRY_ASSIGN(std::string json, ReadTextFile(json_path));
    TRY_ASSIGN(script, ParseWastJson(json));
    for (const WastCommand& cmd : script.commands) {
      if (cmd.filename.empty() || cmd.text_module || modules.count(cmd.filename)) continue;
      TRY_ASSIGN(modules[cmd.filename], ReadBinaryFile(dir.path() / cmd.filename));
    }
  }
  WastRunner runner(engine, std::move(modules), wast.filename().string(), out);
  return runner.Run(script);
}

}  // namespace wasmgrind
