// Under --memcheck, host code that reads or writes memory 0 for the guest checks its range:
// the libc replacements exactly the bytes the C function touches (wg_libc_mc_*, reported in
// the replaced function's frame, then its caller's), and host functions through the memory's
// GuestMemoryObserver (Valgrind's "Syscall param ... points to unaddressable byte(s)", from
// the host function's wasm caller). Bad bytes are made with the client request
// MakeMemNoAccess; the text report is read back from a temporary file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "codegen/memcheck_report.h"
#include "common/wasm_module_builder.h"
#include "memcheck/memory_checker.h"
#include "vm/guest_memory_observer.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using namespace test;

Bytes NameSectionFor(uint32_t index, std::string_view name) {
  Bytes map = Cat({Uleb(1), Uleb(index), Name(name)});
  Bytes function_names = Cat({Bytes{1}, Uleb(map.size()), map});
  return Cat({Name("name"), function_names});
}

// A module with one page of memory (the bytes `data` at address 0), function 0 named `libc`
// (a replaced libc function of `arity` i32 params, whose own body returns 0) and function 1,
// exported as "call", which passes its params to function 0.
Bytes LibcModule(std::string_view libc, uint32_t arity, std::string_view data) {
  WasmModuleBuilder b;
  uint32_t type = b.AddType(std::vector<ValType>(arity, kI32), {kI32});
  uint32_t callee = b.AddFunc(type, I32Const(0));
  Bytes forward;
  for (uint32_t i = 0; i < arity; ++i) Append(forward, LocalGet(i));
  Append(forward, Op(Opcode::Call, {callee}));
  uint32_t caller = b.AddFunc(type, forward);
  b.Export("call", ExternKind::Func, caller);
  b.AddMemory(1);
  b.Export("memory", ExternKind::Memory, 0);
  if (!data.empty()) b.AddData(I32Const(0), data);
  b.Section(kCustomSection, NameSectionFor(callee, libc));
  return b.Build();
}

class MemcheckHostAccessTest : public ::testing::Test {
 protected:
  MemcheckHostAccessTest()
      : engine_(EngineOptions{.replace_libc_functions = true, .memcheck = true}), store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([this] {
      memcheck::MemcheckOptions options;
      options.track_definedness = track_definedness_;
      return options;
    }));
  }

  void Instantiate(const Bytes& bytes, Linker& linker) {
    auto module = Module::Compile(engine_, bytes);
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    auto instance = linker.Instantiate(store_, *module);
    ASSERT_TRUE(instance.ok()) << instance.error().ToString();
    instance_ = *instance;
  }
  void Instantiate(const Bytes& bytes) {
    Linker linker;
    Instantiate(bytes, linker);
  }
  memcheck::MemoryChecker& checker() { return *Store::MemcheckOf(*instance_); }
  void NoAccess(uint32_t address, uint32_t length) { checker().MakeMemNoAccess(address, length); }
  void Undefined(uint32_t address, uint32_t length) { checker().MakeMemUndefined(address, length); }

  // Calls the export "call"; returns its i32 result.
  int32_t Call(std::vector<Value> args) {
    auto r = store_.Call(instance_->GetFunction("call"), args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok() || r->empty()) return -1;
    return static_cast<int32_t>(r->front().i32());
  }
  uint64_t Errors() { return checker().errors().counts().errors; }
  uint8_t* MemoryBytes() {
    std::optional<Extern> memory = instance_->GetExport("memory");
    EXPECT_TRUE(memory && std::holds_alternative<LinearMemory*>(*memory));
    return std::get<LinearMemory*>(*memory)->data();
  }
  std::string Report() { return report_.Text(); }

  bool track_definedness_ = false;  // set before Instantiate
  MemcheckReport report_;           // outlives the store, whose checkers write to it
  Engine engine_;
  Store store_;
  Instance* instance_ = nullptr;
};

TEST_F(MemcheckHostAccessTest, StrlenReadsUpToAndIncludingTheNul) {
  Instantiate(LibcModule("strlen", 1, std::string_view("abc\0", 4)));
  NoAccess(4, 16);  // just past the NUL: strlen never reads it
  EXPECT_EQ(Call({Value::I32(0)}), 3);
  EXPECT_EQ(Errors(), 0u);
  NoAccess(3, 1);  // the NUL itself
  EXPECT_EQ(Call({Value::I32(0)}), 3);
  EXPECT_EQ(Errors(), 1u);
  std::string report = Report();
  EXPECT_NE(report.find("Invalid read of size 1"), std::string::npos) << report;
  EXPECT_NE(report.find("Address 0x3 "), std::string::npos) << report;
  // The replaced function is the innermost frame, its caller next.
  EXPECT_NE(report.find(": f0\n"), std::string::npos) << report;
  EXPECT_LT(report.find(": f0\n"), report.find(": f1\n")) << report;
}

TEST_F(MemcheckHostAccessTest, MemcmpReadsUpToTheFirstDifference) {
  Instantiate(LibcModule("memcmp", 3,
                         "xxab"
                         "xxcd"));
  NoAccess(7, 1);  // b[3]: after the difference at index 2
  EXPECT_LT(Call({Value::I32(0), Value::I32(4), Value::I32(4)}), 0);
  EXPECT_EQ(Errors(), 0u);
  NoAccess(6, 1);  // b[2]: the differing byte is read
  Call({Value::I32(0), Value::I32(4), Value::I32(4)});
  EXPECT_EQ(Errors(), 1u);
  EXPECT_NE(Report().find("Address 0x6 "), std::string::npos) << Report();
}

TEST_F(MemcheckHostAccessTest, StrcmpStopsAtTheNulOfEqualStrings) {
  Instantiate(LibcModule("strcmp", 2, std::string_view("ab\0\0ab\0\0", 8)));
  NoAccess(3, 1);
  NoAccess(7, 1);
  EXPECT_EQ(Call({Value::I32(0), Value::I32(4)}), 0);
  EXPECT_EQ(Errors(), 0u);
}

TEST_F(MemcheckHostAccessTest, MemchrReadsUpToTheHit) {
  Instantiate(LibcModule("memchr", 3, "abcdef"));
  NoAccess(3, 3);
  EXPECT_EQ(Call({Value::I32(0), Value::I32('c'), Value::I32(6)}), 2);
  EXPECT_EQ(Errors(), 0u);
  EXPECT_EQ(Call({Value::I32(0), Value::I32('e'), Value::I32(6)}), 4);
  EXPECT_EQ(Errors(), 1u);
}

TEST_F(MemcheckHostAccessTest, StrcpyReadsTheSourceAndWritesItsLengthWithTheNul) {
  Instantiate(LibcModule("strcpy", 2, std::string_view("hello\0", 6)));
  NoAccess(70, 10);  // [64, 70) holds "hello\0" exactly
  EXPECT_EQ(Call({Value::I32(64), Value::I32(0)}), 64);
  EXPECT_EQ(Errors(), 0u);
  EXPECT_EQ(Call({Value::I32(65), Value::I32(0)}), 65);  // its NUL lands on 70
  EXPECT_EQ(Errors(), 1u);
  std::string report = Report();
  EXPECT_NE(report.find("Invalid write of size 1"), std::string::npos) << report;
  EXPECT_NE(report.find("Address 0x46 "), std::string::npos) << report;
}

TEST_F(MemcheckHostAccessTest, StrcatScansTheDestinationThenAppends) {
  Instantiate(LibcModule("strcat", 2, std::string_view("ab\0\0\0\0\0\0cd\0\0", 12)));
  NoAccess(5, 1);  // where "abcd" ends: the appended NUL lands there
  Call({Value::I32(0), Value::I32(8)});
  EXPECT_EQ(Errors(), 0u);
  Call({Value::I32(0), Value::I32(8)});  // "abcdcd": past the NUL
  EXPECT_EQ(Errors(), 1u);
  EXPECT_NE(Report().find("Invalid write of size 1"), std::string::npos) << Report();
  // The result "abcdcd" would run into its own source.
  Call({Value::I32(4), Value::I32(0)});
  EXPECT_NE(Report().find("Source and destination overlap in strcat(0x4, 0x0)"), std::string::npos)
      << Report();
}

TEST_F(MemcheckHostAccessTest, MemcpyChecksBothRangesAndReportsOverlap) {
  Instantiate(LibcModule("memcpy", 3, "0123456789"));
  NoAccess(36, 4);
  EXPECT_EQ(Call({Value::I32(32), Value::I32(0), Value::I32(4)}), 32);
  EXPECT_EQ(Errors(), 0u);
  Call({Value::I32(33), Value::I32(0), Value::I32(4)});  // one byte into the no-access range
  EXPECT_EQ(Errors(), 1u);
  Call({Value::I32(2), Value::I32(0), Value::I32(4)});
  std::string report = Report();
  EXPECT_NE(report.find("Source and destination overlap in memcpy(0x2, 0x0, 4)"), std::string::npos)
      << report;
}

TEST_F(MemcheckHostAccessTest, MemsetChecksWhatItWrites) {
  Instantiate(LibcModule("memset", 3, ""));
  NoAccess(16, 1);
  EXPECT_EQ(Call({Value::I32(0), Value::I32(0), Value::I32(16)}), 0);
  EXPECT_EQ(Errors(), 0u);
  Call({Value::I32(0), Value::I32(0), Value::I32(17)});
  EXPECT_EQ(Errors(), 1u);
  EXPECT_NE(Report().find("Invalid write of size 1"), std::string::npos) << Report();
}

// The replacements pass a range that is all addressable (and defined) on a fast path that
// tests it a word or 64 bytes at a time: a range bad only at its first or its last byte, of
// every size those steps handle differently, must still be reported, once.
TEST_F(MemcheckHostAccessTest, ARangeBadOnlyAtItsFirstOrLastByteIsReported) {
  const uint32_t kLengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 130};
  Instantiate(LibcModule("memset", 3, ""));
  for (uint32_t n : kLengths) {
    for (uint32_t bad : {0u, n - 1}) {
      uint64_t before = Errors();
      Call({Value::I32(1000), Value::I32(7), Value::I32(static_cast<int32_t>(n))});
      ASSERT_EQ(Errors(), before) << n;
      NoAccess(1000 + bad, 1);
      Call({Value::I32(1000), Value::I32(7), Value::I32(static_cast<int32_t>(n))});
      ASSERT_EQ(Errors(), before + 1) << "memset of " << n << ", bad at " << bad;
      checker().MakeMemDefined(1000 + bad, 1);
    }
  }
  Instantiate(LibcModule("memcpy", 3, ""));
  for (uint32_t n : kLengths) {
    for (uint32_t bad : {0u, n - 1}) {
      for (uint32_t range : {1000u, 3000u}) {  // the source, then the destination
        uint64_t before = Errors();
        NoAccess(range + bad, 1);
        Call({Value::I32(3000), Value::I32(1000), Value::I32(static_cast<int32_t>(n))});
        ASSERT_EQ(Errors(), before + 1) << "memcpy of " << n << ", bad at " << range + bad;
        checker().MakeMemDefined(range + bad, 1);
      }
    }
  }
  Instantiate(LibcModule("strlen", 1, std::string(200, 'x')));
  for (uint32_t n : kLengths) {
    checker().MakeMemDefined(0, 200);
    std::string text(n - 1, 'y');
    std::memcpy(MemoryBytes(), text.c_str(), n);  // n - 1 bytes and the NUL
    for (uint32_t bad : {0u, n - 1}) {            // the first byte, the NUL
      uint64_t before = Errors();
      NoAccess(bad, 1);
      EXPECT_EQ(Call({Value::I32(0)}), static_cast<int32_t>(n - 1));
      ASSERT_EQ(Errors(), before + 1) << "strlen of " << n - 1 << ", bad at " << bad;
      checker().MakeMemDefined(bad, 1);
    }
  }
}

TEST_F(MemcheckHostAccessTest, AHostFunctionReportsThroughTheMemorysObserver) {
  // Function 1 ("call") calls the imported host function 0, which reads [8, 24) of memory 0
  // for a pretend fd_write.
  WasmModuleBuilder b;
  uint32_t type = b.AddType({}, {kI32});
  uint32_t host = b.ImportFunc("env", "host", type);
  uint32_t caller = b.AddFunc(type, Op(Opcode::Call, {host}));
  b.Export("call", ExternKind::Func, caller);
  b.AddMemory(1);
  b.Export("memory", ExternKind::Memory, 0);
  LinearMemory* memory = nullptr;
  Function* fn = store_.CreateHostFunction(
      FuncType{{}, {ValType::I32}}, [&](std::span<const Value>, std::span<Value> results) {
        GuestMemoryObserver* observer = memory->host_observer();
        if (observer != nullptr) {
          observer->OnHostAccess(GuestMemoryObserver::Access::Read, 8, 16, "fd_write", "buf");
        }
        results[0] = Value::I32(observer != nullptr);
        return Result<void>(Ok());
      });
  Linker linker;
  linker.Define("env", "host", fn);
  Instantiate(b.Build(), linker);
  std::optional<Extern> exported = instance_->GetExport("memory");
  ASSERT_TRUE(exported && std::holds_alternative<LinearMemory*>(*exported));
  memory = std::get<LinearMemory*>(*exported);
  EXPECT_EQ(Call({}), 1);  // the checked memory has an observer
  EXPECT_EQ(Errors(), 0u);
  NoAccess(20, 1);
  Call({});
  EXPECT_EQ(Errors(), 1u);
  std::string report = Report();
  EXPECT_NE(report.find("Syscall param fd_write(buf) points to unaddressable byte(s)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("Address 0x14 "), std::string::npos) << report;
  // The backtrace starts at the host function's wasm caller.
  EXPECT_NE(report.find("at 0x"), std::string::npos) << report;
  EXPECT_NE(report.find(": f1\n"), std::string::npos) << report;
}

TEST(MemcheckHostObserverTest, AnUncheckedMemoryHasNone) {
  Engine engine;
  Store store(engine);
  auto memory = store.CreateMemory(MemoryType{{1, std::nullopt}});
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ((*memory)->host_observer(), nullptr);
}

}  // namespace
}  // namespace wasmgrind

namespace wasmgrind {
namespace {

// Definedness (part 2): the bytes a replaced function branches on must be defined; copies
// carry the state and memset defines.
class MemcheckHostDefinednessTest : public MemcheckHostAccessTest {
 protected:
  MemcheckHostDefinednessTest() { track_definedness_ = true; }
};

TEST_F(MemcheckHostDefinednessTest, StrlenBranchesOnEveryByteUpToTheNul) {
  Instantiate(LibcModule("strlen", 1, std::string_view("abc\0xyz\0", 8)));
  Undefined(5, 2);  // past the first NUL: never examined
  EXPECT_EQ(Call({Value::I32(0)}), 3);
  EXPECT_EQ(Errors(), 0u);
  Undefined(1, 1);
  EXPECT_EQ(Call({Value::I32(0)}), 3);
  EXPECT_EQ(Errors(), 1u);
  // In the replaced function's frame (f0), then its caller's (f1), as Valgrind's replacements.
  std::string report = Report();
  size_t what = report.find("Conditional jump or move depends on uninitialised value(s)\n");
  ASSERT_NE(what, std::string::npos) << report;
  EXPECT_NE(report.find(": f0\n", what), std::string::npos) << report;
  EXPECT_NE(report.find(": f1\n", what), std::string::npos) << report;
}

TEST_F(MemcheckHostDefinednessTest, CompareStopsAtTheFirstDifference) {
  Instantiate(LibcModule("strcmp", 2, std::string_view("abcd\0abXd\0", 10)));
  Undefined(3, 1);  // after the difference at offset 2
  Undefined(8, 1);
  EXPECT_NE(Call({Value::I32(0), Value::I32(5)}), 0);
  EXPECT_EQ(Errors(), 0u);
  Undefined(6, 1);  // before it, in the second string
  Call({Value::I32(0), Value::I32(5)});
  EXPECT_EQ(Errors(), 1u);
}

TEST_F(MemcheckHostDefinednessTest, CopiesCarryTheStateAndMemsetDefines) {
  Instantiate(LibcModule("memcpy", 3, ""));
  Undefined(0, 8);
  checker().StoreVBits(0, 2, 0x0f00);  // byte 1 partly defined
  EXPECT_EQ(Call({Value::I32(0x100), Value::I32(0), Value::I32(8)}), 0x100);
  EXPECT_EQ(Errors(), 0u);  // a copy decides nothing
  EXPECT_EQ(checker().LoadVBits(0x100, 8), 0xffffffffffff0f00u);
  Instantiate(LibcModule("memset", 3, ""));
  Undefined(0, 8);
  Call({Value::I32(2), Value::I32(0), Value::I32(4)});
  EXPECT_EQ(checker().LoadVBits(0, 8), 0xffff00000000ffffu);
}

// The fast paths: a copy of addressable bytes copies the state whichever side is undefined,
// down to a last byte; memset defines a range undefined only at its end; a compare or scan
// whose only undefined byte is its last one reports it, and the compares' results (taken from
// the pass that finds the bytes they read) are musl's.
TEST_F(MemcheckHostDefinednessTest, FastPathsCarryAndReportALastUndefinedByte) {
  Instantiate(LibcModule("memcpy", 3, ""));
  for (uint32_t n : {5u, 16u, 100u}) {
    checker().MakeMemDefined(0, n);
    Undefined(n - 1, 1);      // the source's last byte
    Undefined(0x200, 0x100);  // all of the destination
    Call({Value::I32(0x200), Value::I32(0), Value::I32(static_cast<int32_t>(n))});
    EXPECT_EQ(checker().LoadVBits(0x200, 1), 0u) << n;
    EXPECT_EQ(checker().LoadVBits(0x200 + n - 2, 1), 0u) << n;
    EXPECT_EQ(checker().LoadVBits(0x200 + n - 1, 1), 0xffu) << n;
    EXPECT_EQ(checker().LoadVBits(0x200 + n, 1), 0xffu) << n;  // past the copy
    checker().MakeMemDefined(0, n);  // all defined, over a destination undefined at its end
    Undefined(0x200 + n - 1, 1);
    Call({Value::I32(0x200), Value::I32(0), Value::I32(static_cast<int32_t>(n))});
    EXPECT_EQ(checker().LoadVBits(0x200 + n - 1, 1), 0u) << n;
  }
  EXPECT_EQ(Errors(), 0u);

  Instantiate(LibcModule("memset", 3, ""));
  Undefined(99, 1);
  Call({Value::I32(0), Value::I32(0), Value::I32(100)});
  EXPECT_EQ(checker().LoadVBits(99, 1), 0u);

  Instantiate(LibcModule("memcmp", 3, "azcd....azce....abcd"));
  EXPECT_EQ(Call({Value::I32(0), Value::I32(8), Value::I32(4)}), 'd' - 'e');
  EXPECT_EQ(Call({Value::I32(8), Value::I32(0), Value::I32(4)}), 'e' - 'd');
  EXPECT_EQ(Call({Value::I32(0), Value::I32(16), Value::I32(4)}), 'z' - 'b');
  EXPECT_EQ(Call({Value::I32(0), Value::I32(8), Value::I32(3)}), 0);
  EXPECT_EQ(Call({Value::I32(0), Value::I32(8), Value::I32(0)}), 0);
  EXPECT_EQ(Errors(), 0u);
  Undefined(11, 1);  // the last byte compared: it decides the result
  Call({Value::I32(0), Value::I32(8), Value::I32(4)});
  EXPECT_EQ(Errors(), 1u);

  Instantiate(LibcModule("strcmp", 2, std::string_view("abcd\0abcd\0abce\0", 15)));
  EXPECT_EQ(Call({Value::I32(0), Value::I32(5)}), 0);
  EXPECT_EQ(Call({Value::I32(0), Value::I32(10)}), 'd' - 'e');
  EXPECT_EQ(Errors(), 0u);
  Undefined(9, 1);  // the second string's NUL
  Call({Value::I32(0), Value::I32(5)});
  EXPECT_EQ(Errors(), 1u);

  Instantiate(LibcModule("strlen", 1, std::string(40, 'x') + std::string(1, '\0')));
  Undefined(40, 1);  // only the NUL
  EXPECT_EQ(Call({Value::I32(0)}), 40);
  EXPECT_EQ(Errors(), 1u);
}

}  // namespace
}  // namespace wasmgrind
