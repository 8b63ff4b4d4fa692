// The fault-report corpus (see CMakeLists.txt here): each program, built at -O0 and at -O2, runs
// under `wasmgrind run --fault-report-json` and its report must match the `expect-*` lines at
// the top of its source:
//   expect-trap: KIND                   trap.kind of the JSON report
//   expect-detail: TEXT                 TEXT is part of trap.detail (the summary's first line)
//   expect-memory-fault: ACCESS SIZE ADDRESS    memory_fault.access, access_size, wasm_address
//   expect-frames: F [FILE:LINE] | ...  the backtrace from frame 0, inlined frames included: each
//                                       function (C++: up to its parameter list) and source
//                                       basename:line; `*` is any one frame
//   expect-text: TEXT                   TEXT is part of the text report on stderr
//   expect-omitted: N                   the backtrace was cut: N frames left out
//   expect-outermost: F FILE:LINE       a frame after the cut has this function and line
//   expect-signal: NAME                 under --memcheck, the XML report's <fatal_signal> is
//                                       NAME: the signal a native build dies of
// and every frame of the report with source must agree with llvm-symbolizer --inlining on the
// same module (function names of inlined frames, file:line:column of all of them).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exit_codes.h"
#include "temp_dir.h"
#include "tool/cli_capture.h"
#include "vm/decode/module_decoder.h"

namespace wasmgrind {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct Case {
  std::string source;  // file name in tests/faults
  std::string opt;     // "O0" or "O2"
};

std::vector<Case> Corpus() {
  std::vector<Case> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(WG_FAULTS_SOURCE_DIR, ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".c" && ext != ".cpp") continue;
    for (const char* opt : {"O0", "O2"}) cases.push_back({entry.path().filename().string(), opt});
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
    return a.source != b.source ? a.source < b.source : a.opt < b.opt;
  });
  return cases;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? "" : s.substr(start);
}

std::string Basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// The `expect-NAME:` lines of `source`, in order (several for the same NAME are kept apart).
std::vector<std::pair<std::string, std::string>> Expectations(const fs::path& source) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in(source);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("// expect-", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    out.emplace_back(line.substr(10, colon - 10), Trim(line.substr(colon + 1)));
  }
  return out;
}

std::vector<std::string> Split(const std::string& s, const std::string& separator) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (true) {
    size_t next = s.find(separator, pos);
    parts.push_back(Trim(s.substr(pos, next - pos)));
    if (next == std::string::npos) return parts;
    pos = next + separator.size();
  }
}

// "element(std::vector<int> const&, int)" -> "element"; C names are unchanged.
std::string ShortName(const std::string& function) {
  return function.substr(0, function.find('('));
}

std::optional<std::string> Symbolizer() {
  for (const char* tool : {"llvm-symbolizer-14", "llvm-symbolizer"}) {
    if (std::system((std::string(tool) + " --version >/dev/null 2>&1").c_str()) == 0) return tool;
  }
  return std::nullopt;
}

// llvm-symbolizer --inlining's frames ("function", "file:line:column") for each address.
std::vector<std::vector<std::pair<std::string, std::string>>> Symbolize(
    const std::string& tool, const std::string& module, const std::vector<uint32_t>& addresses,
    const fs::path& scratch) {
  std::string command = tool + " --inlining --obj=" + module;
  for (uint32_t a : addresses) command += " " + std::to_string(a);
  const fs::path out = scratch / "symbolizer.txt";
  EXPECT_EQ(std::system((command + " >" + out.string() + " 2>&1").c_str()), 0) << command;
  std::vector<std::vector<std::pair<std::string, std::string>>> result(1);
  std::ifstream in(out);
  std::string function, location;
  while (std::getline(in, function)) {
    if (function.empty()) {
      result.emplace_back();
      continue;
    }
    std::getline(in, location);
    result.back().emplace_back(function, location);
  }
  while (!result.empty() && result.back().empty()) result.pop_back();
  return result;
}

class FaultCorpusTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (std::string(WG_FAULTS_BUILD_DIR).empty())
      GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
    const Case& c = GetParam();
    module_ = std::string(WG_FAULTS_BUILD_DIR) + "/" + fs::path(c.source).stem().string() + "-" +
              c.opt + ".wasm";
    if (c.source.ends_with(".cpp") && !fs::exists(module_))
      GTEST_SKIP() << "clang++ cannot target wasm32-wasi here";
    auto dir = TempDir::Create("wasmgrind-fault-corpus-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
  }

  std::string module_;
  std::optional<TempDir> dir_;
  CliCapture cli_;
};

TEST_P(FaultCorpusTest, ReportMatchesExpectations) {
  const Case& c = GetParam();
  const auto expectations = Expectations(fs::path(WG_FAULTS_SOURCE_DIR) / c.source);
  ASSERT_FALSE(expectations.empty()) << c.source << " has no expect- lines";
  const fs::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(cli_.Run({"run", "--fault-report-json", json_path.string(), module_}), kExitTrap)
      << cli_.err.str();
  std::ifstream in(json_path);
  const json report = json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(report.is_discarded());
  const std::string text = cli_.err.str();
  const json& backtrace = report["backtrace"];

  for (const auto& [name, value] : expectations) {
    SCOPED_TRACE("expect-" + name + ": " + value + "\n" + text);
    if (name == "trap") {
      EXPECT_EQ(report["trap"]["kind"], value);
    } else if (name == "detail") {
      ASSERT_TRUE(report["trap"]["detail"].is_string());
      EXPECT_NE(report["trap"]["detail"].get<std::string>().find(value), std::string::npos);
      EXPECT_NE(text.find("wasm trap: " + report["trap"]["detail"].get<std::string>() + "\n"),
                std::string::npos);
    } else if (name == "text") {
      EXPECT_NE(text.find(value), std::string::npos);
    } else if (name == "memory-fault") {
      const std::vector<std::string> parts = Split(value, " ");
      ASSERT_EQ(parts.size(), 3u);
      const json& fault = report["memory_fault"];
      ASSERT_TRUE(fault.is_object());
      EXPECT_EQ(fault["access"], parts[0]);
      EXPECT_EQ(fault["access_size"].get<uint64_t>(), std::stoull(parts[1]));
      EXPECT_EQ(fault["wasm_address"].get<uint64_t>(), std::stoull(parts[2], nullptr, 16));
    } else if (name == "omitted") {
      ASSERT_TRUE(report["backtrace_omitted"].is_object());
      EXPECT_EQ(report["backtrace_omitted"]["frames"].get<uint64_t>(), std::stoull(value));
      EXPECT_LE(backtrace.size(),
                64u);  // 48 innermost + 16 outermost JIT frames (less trampolines)
    } else if (name == "outermost") {
      ASSERT_TRUE(report["backtrace_omitted"].is_object());
      const std::vector<std::string> parts = Split(value, " ");
      ASSERT_EQ(parts.size(), 2u);
      bool found = false;
      for (size_t i = report["backtrace_omitted"]["before_index"].get<size_t>();
           i < backtrace.size(); ++i) {
        const json& f = backtrace[i];
        if (ShortName(f["function"].get<std::string>()) == parts[0] && f["source"].is_object() &&
            Basename(f["source"]["file"].get<std::string>()) + ":" +
                    std::to_string(f["source"]["line"].get<uint32_t>()) ==
                parts[1]) {
          found = true;
        }
      }
      EXPECT_TRUE(found);
    } else if (name == "signal") {
      // MemcheckReportsTheNativeSignal's.
    } else if (name == "frames") {
      const std::vector<std::string> frames = Split(value, "|");
      ASSERT_GE(backtrace.size(), frames.size());
      for (size_t i = 0; i < frames.size(); ++i) {
        SCOPED_TRACE("frame " + std::to_string(i));
        if (frames[i] == "*") continue;
        const std::vector<std::string> parts = Split(frames[i], " ");
        EXPECT_EQ(ShortName(backtrace[i]["function"].get<std::string>()), parts[0]);
        if (parts.size() < 2) continue;
        ASSERT_TRUE(backtrace[i]["source"].is_object());
        const json& source = backtrace[i]["source"];
        EXPECT_EQ(Basename(source["file"].get<std::string>()) + ":" +
                      std::to_string(source["line"].get<uint32_t>()),
                  parts[1]);
      }
    } else {
      ADD_FAILURE() << "unknown expectation";
    }
  }
}

// Under --memcheck the program ends as Valgrind reports a native program killed by a signal:
// one <fatal_signal> record, of the signal a native build would die of there.
TEST_P(FaultCorpusTest, MemcheckReportsTheNativeSignal) {
  const Case& c = GetParam();
  std::string expected;
  for (const auto& [name, value] : Expectations(fs::path(WG_FAULTS_SOURCE_DIR) / c.source)) {
    if (name == "signal") expected = value;
  }
  ASSERT_FALSE(expected.empty()) << c.source << " has no expect-signal line";
  const fs::path xml_path = dir_->path() / "memcheck.xml";
  ASSERT_EQ(cli_.Run({"run", "--memcheck", "-q", "--leak-check=no", "--xml=yes",
                      "--xml-file=" + xml_path.string(), module_}),
            kExitTrap)
      << cli_.err.str();
  std::ifstream in(xml_path);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t record = xml.find("<fatal_signal>");
  ASSERT_NE(record, std::string::npos) << xml;
  EXPECT_EQ(xml.find("<fatal_signal>", record + 1), std::string::npos) << xml;
  const size_t end = xml.find("</fatal_signal>", record);
  ASSERT_NE(end, std::string::npos);
  const std::string signal = xml.substr(record, end - record);
  EXPECT_NE(signal.find("<signame>" + expected + "</signame>"), std::string::npos) << signal;
  EXPECT_NE(signal.find("<stack>"), std::string::npos) << signal;
}

// Every frame agrees with llvm-symbolizer --inlining at the same code address.
TEST_P(FaultCorpusTest, FramesAgreeWithLlvmSymbolizer) {
  std::optional<std::string> tool = Symbolizer();
  if (!tool) GTEST_SKIP() << "llvm-symbolizer is not installed (Debian: llvm-14)";
  const fs::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(cli_.Run({"run", "--fault-report-json", json_path.string(), module_}), kExitTrap);
  std::ifstream in(json_path);
  const json report = json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(report.is_discarded());
  std::ifstream bytes_in(module_, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(bytes_in)),
                             std::istreambuf_iterator<char>());
  Result<ModuleInfo> module = DecodeModule(std::move(bytes));
  ASSERT_TRUE(module.ok());

  // Physical frames: runs of inlined entries closed by one that is not.
  std::vector<std::vector<json>> physical(1);
  for (const json& entry : report["backtrace"]) {
    physical.back().push_back(entry);
    if (!entry["inlined"].get<bool>()) physical.emplace_back();
  }
  physical.pop_back();
  std::vector<uint32_t> addresses;
  for (const auto& frame : physical)
    addresses.push_back(frame.back()["offset"].get<uint32_t>() - module->code_section_offset);
  const auto expected = Symbolize(*tool, module_, addresses, dir_->path());
  ASSERT_EQ(expected.size(), physical.size());

  for (size_t p = 0; p < physical.size(); ++p) {
    const auto& ours = physical[p];
    const auto& theirs = expected[p];
    SCOPED_TRACE("frame at code address " + std::to_string(addresses[p]) + " (" +
                 ours.back()["function"].get<std::string>() + ")");
    if (ours.back()["native_replacement"].get<bool>()) continue;  // its source is not what ran
    if (theirs.size() == 1 && theirs[0].first == "??") {
      // No DWARF here (libc built without -g, trampolines): we have no source either.
      EXPECT_TRUE(ours.back()["source"].is_null());
      continue;
    }
    ASSERT_EQ(ours.size(), theirs.size());
    for (size_t i = 0; i < ours.size(); ++i) {
      // The physical function's name comes from the name section, llvm-symbolizer's from DWARF
      // (main is __main_argc_argv there); inlined functions' names both come from DWARF.
      if (i + 1 < ours.size()) {
        EXPECT_EQ(ours[i]["function"], theirs[i].first);
      }
      std::string location = "??:0";
      if (ours[i]["source"].is_object()) {
        const json& s = ours[i]["source"];
        location = fmt::format("{}:{}:{}", s["file"].get<std::string>(), s["line"].get<uint32_t>(),
                               s["column"].get<uint32_t>());
      }
      EXPECT_EQ(Basename(location), Basename(theirs[i].second)) << "entry " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, FaultCorpusTest, ::testing::ValuesIn(Corpus()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = fs::path(info.param.source).stem().string();
                           return name + "_" + info.param.opt;
                         });

// --no-stack-check: the C stack overflow of the --stack-first build is again the wrap past
// address 0 it was before the check.
TEST(FaultCorpusStackCheckTest, NoStackCheckTurnsItOff) {
  if (std::string(WG_FAULTS_BUILD_DIR).empty()) GTEST_SKIP() << "no wasm32-wasi compiler";
  CliCapture cli;
  const std::string module = std::string(WG_FAULTS_BUILD_DIR) + "/stack_overflow_first-O2.wasm";
  ASSERT_EQ(cli.Run({"run", "--no-stack-check", module}), kExitTrap);
  EXPECT_NE(cli.err.str().find("wasm trap: out of bounds memory access\n  memory fault at wasm "
                               "address 0xffff"),
            std::string::npos)
      << cli.err.str();
  ASSERT_EQ(cli.Run({"run", module}), kExitTrap);
  EXPECT_NE(cli.err.str().find("wasm trap: stack overflow: burn needs the C stack"),
            std::string::npos)
      << cli.err.str();
}

// `wasm` without its name section (what binaryen's wasm-opt drops; it keeps the producers
// section). Empty if the module is malformed.
std::string WithoutNameSection(const std::string& wasm) {
  auto leb = [&](size_t& at) {
    uint64_t value = 0;
    for (int shift = 0; at < wasm.size() && shift < 35; shift += 7) {
      const auto byte = static_cast<uint8_t>(wasm[at++]);
      value |= uint64_t{byte & 0x7fu} << shift;
      if (byte < 0x80) return value;
    }
    at = wasm.size() + 1;  // truncated or too long
    return value;
  };
  std::string out = wasm.substr(0, 8);
  for (size_t at = 8; at < wasm.size();) {
    const size_t section = at++;
    const uint64_t size = leb(at);
    if (at > wasm.size() || size > wasm.size() - at) return "";
    const size_t end = at + size;
    size_t name_at = at;
    const uint64_t name_size = wasm[section] == 0 ? leb(name_at) : 0;
    const bool is_name = wasm[section] == 0 && name_at <= end && name_size <= end - name_at &&
                         wasm.compare(name_at, name_size, "name") == 0;
    if (!is_name) out += wasm.substr(section, end - section);
    at = end;
  }
  return out;
}

// Without a name section, the stack pointer is still found (c_stack.h), in both layouts.
TEST(FaultCorpusStackCheckTest, StackOverflowIsFoundWithoutANameSection) {
  if (std::string(WG_FAULTS_BUILD_DIR).empty()) GTEST_SKIP() << "no wasm32-wasi compiler";
  auto dir = TempDir::Create("wasmgrind-fault-corpus-");
  ASSERT_TRUE(dir.ok());
  for (const char* name : {"stack_overflow", "stack_overflow_first"}) {
    std::ifstream in(std::string(WG_FAULTS_BUILD_DIR) + "/" + name + "-O2.wasm", std::ios::binary);
    const std::string wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string stripped = WithoutNameSection(wasm);
    ASSERT_FALSE(stripped.empty()) << name;
    ASSERT_LT(stripped.size(), wasm.size()) << name << " had a name section";
    const fs::path module = dir->path() / (std::string(name) + ".wasm");
    std::ofstream(module, std::ios::binary) << stripped;
    CliCapture cli;
    ASSERT_EQ(cli.Run({"run", module.string()}), kExitTrap) << name;
    EXPECT_NE(cli.err.str().find("wasm trap: stack overflow: "), std::string::npos)
        << cli.err.str();
  }
}

// The module binaryen's wasm-opt rewrote (data/wasm_opt_damaged.c says how it was made): the
// report explains the lost debug info once, with the fix.
TEST(FaultCorpusWasmOptTest, LostDebugInfoIsExplained) {
  CliCapture cli;
  const std::string module = std::string(WG_FAULTS_SOURCE_DIR) + "/data/wasm_opt_damaged.wasm";
  ASSERT_EQ(cli.Run({"run", "--invoke", "divide", module, "7", "0"}), kExitTrap);
  const std::string text = cli.err.str();
  EXPECT_NE(text.find("wasm trap: integer divide by zero\n"), std::string::npos) << text;
  EXPECT_NE(text.find("note: wasm_opt_damaged.wasm: the module has DWARF debug info, but not one "
                      "of its code addresses points into the code"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("wasm-opt"), std::string::npos) << text;
  EXPECT_NE(text.find("compile with -c and link without -O"), std::string::npos) << text;
}

}  // namespace
}  // namespace wasmgrind
