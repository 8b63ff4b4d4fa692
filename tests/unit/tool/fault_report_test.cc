// The trap report of `wasmgrind run` on C programs compiled with `clang --target=wasm32-wasi
// -g` (tests/programs/fault_*.c): exit status 134, the summary on stderr (wasm address, memory
// size, access, function names and source lines from DWARF), the --fault-report text and the
// --fault-report-json file's fields; and `wasmgrind disas` showing wasm and x86 together.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_capture.h"
#include "exit_codes.h"
#include "temp_dir.h"

#ifndef WG_WASI_PROGRAMS_DIR
#define WG_WASI_PROGRAMS_DIR ""
#endif

namespace wasmgrind {
namespace {

class FaultReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(WG_WASI_PROGRAMS_DIR).empty())
      GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
    auto dir = TempDir::Create("wasmgrind-fault-report-test-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
  }

  static std::string Program(const std::string& name) {
    return std::string(WG_WASI_PROGRAMS_DIR) + "/" + name + ".wasm";
  }
  static std::string Source(const std::string& name) {
    return std::string(WG_TESTS_DIR) + "/programs/" + name + ".c";
  }

  int Run(std::vector<std::string> args) { return cli_.Run(std::move(args)); }

  nlohmann::json ReadJson(const std::filesystem::path& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }

  std::optional<TempDir> dir_;
  CliCapture cli_;
  std::ostringstream& out_ = cli_.out;
  std::ostringstream& err_ = cli_.err;
};

TEST_F(FaultReportTest, SummaryNamesAddressFunctionsAndSourceLines) {
  ASSERT_EQ(Run({"run", Program("fault_store")}), kExitTrap) << err_.str();
  std::string err = err_.str();
  EXPECT_EQ(err.rfind("wasm trap: out of bounds memory access\n"
                      "  memory fault at wasm address 0x7ffffff0 in linear memory 0 of size 0x",
                      0),
            0u)
      << err;
  EXPECT_NE(err.find("(4-byte store)\nwasm backtrace:\n  0: 0x"), std::string::npos) << err;
  std::string src = Source("fault_store");
  EXPECT_NE(err.find(" - fault_store.wasm!poke at " + src + ":8:6\n"), std::string::npos) << err;
  EXPECT_NE(err.find("  1: 0x"), std::string::npos) << err;
  EXPECT_NE(err.find(" - fault_store.wasm!scribble at " + src + ":12:3\n"), std::string::npos)
      << err;
  EXPECT_NE(err.find(" - fault_store.wasm!main at " + src + ":19:3\n"), std::string::npos) << err;
  EXPECT_EQ(err.find("fault report:"), std::string::npos);  // only with --fault-report
}

TEST_F(FaultReportTest, FullReportAndJson) {
  std::filesystem::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(Run({"run", "--fault-report", "--fault-report-json", json_path.string(),
                 Program("fault_store")}),
            kExitTrap);
  std::string err = err_.str();
  for (const char* part : {"fault report:\n", "signal SIGSEGV (11)", "faulting host pc 0x",
                           "wasm instruction: fault_store.wasm!0x", ": i32.store", "host code:\n",
                           "  => 0x", "registers:\n", "rip 0x", "memories of the instance:\n",
                           "    memory 0: host 0x", "[host pc 0x"}) {
    EXPECT_NE(err.find(part), std::string::npos) << part << "\n" << err;
  }
  nlohmann::json j = ReadJson(json_path);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["trap"]["kind"], "MemoryOutOfBounds");
  EXPECT_EQ(j["trap"]["message"], "out of bounds memory access");
  EXPECT_EQ(j["trap"]["signal"], "SIGSEGV");
  EXPECT_EQ(j["memory_fault"]["memory"], 0);
  EXPECT_EQ(j["memory_fault"]["wasm_address"], 0x7ffffff0u);
  EXPECT_EQ(j["memory_fault"]["access_size"], 4);
  EXPECT_EQ(j["memory_fault"]["access"], "store");
  EXPECT_EQ(j["memory_fault"]["memory_size"], j["memories"][0]["size"]);
  EXPECT_EQ(j["memories"].size(), 1u);
  EXPECT_EQ(j["host"]["registers"]["rip"], j["host"]["pc"]);
  bool trapping = false;
  for (const auto& instr : j["host"]["instructions"]) trapping |= instr["trapping"].get<bool>();
  EXPECT_TRUE(trapping);
  EXPECT_EQ(j["wasm_instruction"]["text"].get<std::string>().rfind("i32.store", 0), 0u);
  EXPECT_EQ(j["wasm_instruction"]["offset"], j["backtrace"][0]["offset"]);
  ASSERT_GE(j["backtrace"].size(), 3u);
  const char* functions[] = {"poke", "scribble", "main"};
  int lines[] = {8, 12, 19};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto& frame = j["backtrace"][i];
    EXPECT_EQ(frame["module"], "fault_store.wasm");
    EXPECT_EQ(frame["function"], functions[i]);
    EXPECT_EQ(frame["source"]["file"], Source("fault_store"));
    EXPECT_EQ(frame["source"]["line"], lines[i]);
  }
}

// An access straddling the end of memory is reported at its own address, not at the first
// byte the kernel saw fault.
TEST_F(FaultReportTest, StraddlingLoadReportsItsOwnAddress) {
  std::filesystem::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(Run({"run", "--fault-report-json", json_path.string(), Program("fault_read_end")}),
            kExitTrap);
  nlohmann::json j = ReadJson(json_path);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["memory_fault"]["wasm_address"].get<uint64_t>() + 4,
            j["memory_fault"]["memory_size"].get<uint64_t>());
  EXPECT_EQ(j["memory_fault"]["access"], "load");
  EXPECT_EQ(j["memory_fault"]["access_size"], 8);
  EXPECT_EQ(j["memory_fault"]["effective_address"], true);
  EXPECT_EQ(j["backtrace"][0]["function"], "peek");
}

TEST_F(FaultReportTest, ExplicitTrapHasABacktraceAndNoMemoryFault) {
  std::filesystem::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(Run({"run", "--fault-report-json", json_path.string(), Program("trap")}), kExitTrap);
  EXPECT_NE(err_.str().find("wasm backtrace:\n  0: 0x"), std::string::npos) << err_.str();
  nlohmann::json j = ReadJson(json_path);
  EXPECT_EQ(j["trap"]["kind"], "Unreachable");
  EXPECT_TRUE(j["trap"]["signal"].is_null());
  EXPECT_TRUE(j["memory_fault"].is_null());
  EXPECT_EQ(j["wasm_instruction"]["text"], "unreachable");
  EXPECT_FALSE(j["host"]["instructions"].empty());  // the JSON keeps the host code
}

// An explicit trap's host code is only the call of its trap stub: the full text report leaves it
// out, and keeps it for a memory fault (FullReportAndJson).
TEST_F(FaultReportTest, ExplicitTrapFullReportHasNoHostCode) {
  ASSERT_EQ(Run({"run", "--fault-report", Program("trap")}), kExitTrap);
  const std::string err = err_.str();
  EXPECT_NE(err.find("explicit check (no signal)"), std::string::npos) << err;
  EXPECT_NE(err.find("  wasm instruction: trap.wasm!0x"), std::string::npos) << err;
  EXPECT_EQ(err.find("host code:"), std::string::npos) << err;
}

// A module whose debug info wasm-opt destroyed (tests/faults/data): the report says so once,
// in the text and in the JSON's notes.
TEST_F(FaultReportTest, DebugInfoDestroyedByWasmOptIsExplained) {
  const std::string module = std::string(WG_TESTS_DIR) + "/faults/data/wasm_opt_damaged.wasm";
  std::filesystem::path json_path = dir_->path() / "report.json";
  ASSERT_EQ(Run({"run", "--fault-report-json", json_path.string(), "--invoke", "divide", module,
                 "1", "0"}),
            kExitTrap);
  const std::string err = err_.str();
  const size_t note = err.find("note: wasm_opt_damaged.wasm: the module has DWARF debug info");
  ASSERT_NE(note, std::string::npos) << err;
  EXPECT_EQ(err.find("note:", note + 1), std::string::npos) << err;
  EXPECT_NE(err.find("compile with -c and link without -O", note), std::string::npos) << err;
  nlohmann::json j = ReadJson(json_path);
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_NE(j["notes"][0].get<std::string>().find("wasm-opt"), std::string::npos);
}

TEST_F(FaultReportTest, NoTrapWritesNoJson) {
  std::filesystem::path json_path = dir_->path() / "report.json";
  EXPECT_EQ(Run({"run", "--fault-report-json", json_path.string(), Program("hello")}), kExitOk);
  EXPECT_FALSE(std::filesystem::exists(json_path));
}

TEST_F(FaultReportTest, DisasInterleavesWasmAndNativeCode) {
  ASSERT_EQ(Run({"disas", "--func", "poke", Program("fault_store")}), kExitOk) << err_.str();
  std::string out = out_.str();
  EXPECT_NE(out.find("<poke>"), std::string::npos) << out;
  size_t store = out.find(": i32.store");
  ASSERT_NE(store, std::string::npos) << out;
  size_t mov = out.find("  mov dword ptr [", store);  // the store's x86 code follows it
  EXPECT_NE(mov, std::string::npos) << out;
  EXPECT_NE(out.find("push rbp"), std::string::npos) << out;
  EXPECT_EQ(Run({"disas", "--func", "no_such_function", Program("fault_store")}), kExitError);
  // The program's main(void) by the name reports give it and by clang's symbol for it.
  for (const char* name : {"main", "__original_main"}) {
    out_.str("");
    EXPECT_EQ(Run({"disas", "--func", name, Program("hello")}), kExitOk) << name;
    EXPECT_NE(out_.str().find("<main>"), std::string::npos) << name << "\n" << out_.str();
  }
  EXPECT_EQ(Run({"disas", Program("hello")}), kExitOk);
  EXPECT_NE(out_.str().find("<_start>"), std::string::npos);
}

// The native code under the first `global.set` of clang's stack pointer in `disas` output.
std::string CodeOfFirstStackPointerSet(const std::string& disas) {
  size_t set = disas.find("global.set 0 <__stack_pointer>");
  if (set == std::string::npos) return "";
  size_t code = disas.find('\n', set) + 1;
  size_t next_wasm = disas.find("\n 0", code);  // wasm lines start with " <offset>:"
  return disas.substr(code, next_wasm == std::string::npos ? std::string::npos : next_wasm - code);
}

TEST_F(FaultReportTest, DisasShowsTheCStackCheckUnlessTurnedOff) {
  ASSERT_EQ(Run({"disas", "--func", "__stdio_write", Program("hello")}), kExitOk) << err_.str();
  std::string checked = CodeOfFirstStackPointerSet(out_.str());
  EXPECT_NE(checked.find(" ja "), std::string::npos) << checked;
  ASSERT_EQ(Run({"disas", "--no-stack-check", "--func", "__stdio_write", Program("hello")}),
            kExitOk)
      << err_.str();
  std::string unchecked = CodeOfFirstStackPointerSet(out_.str());
  EXPECT_NE(unchecked.find(" mov dword ptr ["), std::string::npos) << unchecked;
  EXPECT_EQ(unchecked.find(" ja "), std::string::npos) << unchecked;
}

}  // namespace
}  // namespace wasmgrind
