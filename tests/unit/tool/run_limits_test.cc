// `wasmgrind run` at its limits: input files it refuses (a device, a file over the size
// limit, a pipe that passes it), the exit status of proc_exit codes the OS cannot carry, and
// a _start of the wrong kind or type. Each is one "wasmgrind: error: ..." line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "cli_capture.h"
#include "common/wasm_module_builder.h"
#include "exit_codes.h"
#include "file_io.h"
#include "temp_dir.h"

namespace wasmgrind {
namespace {

using test::Cat;
using test::I32Const;
using test::LocalGet;
using test::Op;
using test::WasmModuleBuilder;

class RunLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("wasmgrind-run-limits-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
  }

  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::filesystem::path p = dir_->path() / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }

  // Runs the CLI; expects `status` and exactly one stderr line "wasmgrind: error: <...>"
  // containing `message`.
  void ExpectOneErrorLine(std::vector<std::string> args, int status, const std::string& message) {
    SCOPED_TRACE(::testing::PrintToString(args));
    EXPECT_EQ(cli_.Run(args), status);
    std::string err = cli_.err.str();
    EXPECT_EQ(err.rfind("wasmgrind: error: ", 0), 0u) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_NE(err.find(message), std::string::npos) << err;
  }

  // A WASI-shaped module: memory, and `exit_with` (param i32) calling proc_exit with it.
  static std::vector<uint8_t> ProcExitModule() {
    WasmModuleBuilder b;
    uint32_t i_v = b.AddType({test::kI32}, {});
    uint32_t proc_exit = b.ImportFunc("wasi_snapshot_preview1", "proc_exit", i_v);
    b.Export("memory", ExternKind::Memory, b.AddMemory(1));
    b.Export("exit_with", ExternKind::Func,
             b.AddFunc(i_v, Cat({LocalGet(0), Op(Opcode::Call, {proc_exit})})));
    return b.Build();
  }

  std::optional<TempDir> dir_;
  CliCapture cli_;
};

TEST_F(RunLimitsTest, DevicesAreNotRead) {
  ExpectOneErrorLine({"run", "/dev/zero"}, kExitError,
                     "cannot read /dev/zero: not a regular file or a pipe");
}

TEST_F(RunLimitsTest, FilesOverTheLimitAreRefusedUnread) {
  // Sparse: it takes no disk space, and reading it would take a second and 1 GiB of memory.
  std::string big = (dir_->path() / "big.wasm").string();
  { std::ofstream create(big); }
  ASSERT_EQ(truncate(big.c_str(), static_cast<off_t>(kMaxInputFileBytes + 1)), 0);
  ExpectOneErrorLine({"run", big}, kExitError, "big.wasm: larger than the limit of 1 GiB");
  // A file exactly at a limit is read; one byte over, it is not.
  std::string small = Write("small.wasm", std::vector<uint8_t>(100, 0));
  auto at_limit = ReadBinaryFile(small, 100);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 100u);
  auto over = ReadBinaryFile(small, 99);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("small.wasm: larger than the limit of 99 bytes"),
            std::string::npos)
      << over.error().message;
}

TEST_F(RunLimitsTest, PipesAreReadUpToTheLimit) {
  std::string fifo = (dir_->path() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // The writer's data fits in the pipe's buffer, so it never waits for the reader and never
  // writes after the reader gave up.
  auto feed = [&](size_t n) {
    return std::thread([&fifo, n] {
      int fd = open(fifo.c_str(), O_WRONLY);
      std::string data(n, 'x');
      EXPECT_EQ(write(fd, data.data(), data.size()), static_cast<ssize_t>(n));
      close(fd);
    });
  };
  std::thread writer = feed(1000);
  auto at_limit = ReadBinaryFile(fifo, 1000);
  writer.join();
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 1000u);
  writer = feed(1001);
  auto over = ReadBinaryFile(fifo, 1000);
  writer.join();
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("fifo: larger than the limit of 1000 bytes"),
            std::string::npos)
      << over.error().message;
}

TEST_F(RunLimitsTest, ProcExitCodesTheOsCannotCarryExitWithOne) {
  std::string wasm = Write("exit.wasm", ProcExitModule());
  for (uint32_t code : {0u, 3u, 125u}) {
    EXPECT_EQ(cli_.Run({"run", "--invoke", "exit_with", wasm, std::to_string(code)}),
              static_cast<int>(code));
    EXPECT_EQ(cli_.err.str(), "");
  }
  // 126 and 127: "cannot execute" / "not found" to a shell; 134: a trap; 128+N: a signal;
  // 256 and 0xffffffff: 0 and 255 once the OS keeps 8 bits.
  for (uint32_t code : {126u, 127u, 134u, 141u, 255u, 256u, 0xffffffffu}) {
    ExpectOneErrorLine(
        {"run", "--invoke", "exit_with", wasm, std::to_string(static_cast<int32_t>(code))},
        kExitBadProcExit,
        "the program exited with code " + std::to_string(code) +
            ", outside WASI's range 0..125: exit status 1");
  }
}

TEST_F(RunLimitsTest, StartOfTheWrongKindOrType) {
  WasmModuleBuilder global;
  global.Export("_start", ExternKind::Global, global.AddGlobal(ValType::I32, false, I32Const(7)));
  ExpectOneErrorLine({"run", Write("global.wasm", global.Build())}, kExitError,
                     "the export \"_start\" of " + (dir_->path() / "global.wasm").string() +
                         " is a global, not a function");

  WasmModuleBuilder memory;
  memory.Export("_start", ExternKind::Memory, memory.AddMemory(1));
  ExpectOneErrorLine({"run", Write("memory.wasm", memory.Build())}, kExitError,
                     "is a memory, not a function");

  // (func (export "_start") (param i32) (result i32) ...): refused before instantiation, so
  // the module's start function (which would trap) never runs.
  WasmModuleBuilder typed;
  uint32_t i_i = typed.AddType({test::kI32}, {test::kI32});
  uint32_t v_v = typed.AddType({}, {});
  typed.Export("_start", ExternKind::Func, typed.AddFunc(i_i, LocalGet(0)));
  typed.Start(typed.AddFunc(v_v, Op(Opcode::Unreachable)));
  ExpectOneErrorLine({"run", Write("typed.wasm", typed.Build())}, kExitError,
                     "has type (i32) -> (i32), not () -> ()");
  // Arguments for a _start of the wrong type change nothing.
  ExpectOneErrorLine({"run", Write("typed.wasm", typed.Build()), "arg"}, kExitError,
                     "has type (i32) -> (i32), not () -> ()");
}

}  // namespace
}  // namespace wasmgrind
