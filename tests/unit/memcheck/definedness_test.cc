// Uninitialised values through MemoryChecker (part 2): where undefined bytes come from (heap,
// stack, grown memory, client requests), what defines them (host writes), the host readers
// that report them (system call parameters, client checks, byte-examining libc functions),
// the reports (text, XML, suppressions, counts) with and without --track-origins, and that
// --undef-value-errors=no and the temporary track_definedness switch keep part 1's behaviour.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "fake_symbolizer.h"
#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;
using Use = MemoryChecker::UninitUse;

class DefinednessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = ::testing::TempDir() + "/definedness-" + std::to_string(getpid()) + ".log";
  }
  void TearDown() override {
    unlink(log_.c_str());
    unlink(supp_.c_str());
  }

  static MemcheckOptions Tracking() {
    MemcheckOptions o;
    o.track_definedness = true;
    return o;
  }
  static MemcheckOptions WithOrigins() {
    MemcheckOptions o = Tracking();
    o.track_origins = true;
    return o;
  }

  // Memory: 0..0x1000 data, stack 0x1000..0x11000 (sp starts at the top), heap from 0x11000.
  void Start(MemcheckOptions options) {
    if (options.xml) {
      options.xml_file = log_;
    } else {
      options.log_file = log_;
    }
    MemoryLayout layout;
    layout.memory_size = 0x20000;
    layout.heap_base = 0x11000;
    layout.stack = AddressRange{0x1000, 0x11000};
    layout.initial_stack_pointer = 0x11000;
    auto checker = MemoryChecker::Create(options, layout, symbolizer_,
                                         RunInfo{getpid(), 1, "test", {"wasmgrind"}, {"p.wasm"}});
    ASSERT_TRUE(checker.ok()) << checker.error();
    checker_ = std::move(checker).value();
  }
  std::string Log() const { return ReadFile(log_); }
  bool Logged(const std::string& s) const { return Log().find(s) != std::string::npos; }
  std::string Prefix() const { return "==" + std::to_string(getpid()) + "== "; }

  // malloc called from main at `line`: the stack an allocator hook records.
  static CaptureBacktrace MallocAt(uint32_t line) {
    return [line] { return Backtrace{{kMalloc, 0x200}, {kMain, Line(line)}}; };
  }
  uint32_t Malloc(uint32_t size, uint32_t raw, uint32_t line, bool zeroed = false) {
    auto plan = checker_->PlanAllocation(size, 0);
    return checker_->OnAllocated(raw, *plan, size, AllocFamily::Malloc, zeroed, MallocAt(line));
  }
  ShadowState State(uint64_t address) const { return checker_->shadow().Get(address); }
  uint64_t Contexts() const { return checker_->errors().counts().contexts; }
  uint64_t Errors() const { return checker_->errors().counts().errors; }
  void Finish() {
    std::vector<uint8_t> memory(0x20000);
    checker_->Finish(0, memory, LeakRoots{});
  }

  FakeSymbolizer symbolizer_;
  std::string log_;
  std::string supp_ = ::testing::TempDir() + "/definedness-" + std::to_string(getpid()) + ".supp";
  std::unique_ptr<MemoryChecker> checker_;
};

// --partial-loads-ok=yes (Valgrind's default), by wasm32's word: an aligned 4-byte load with
// some addressable bytes is no error and reads its other bytes as undefined; a load all past
// the block, a misaligned one, an 8-byte one and every store stay errors.
TEST_F(DefinednessTest, PartialLoadsOfAlignedWordsPass) {
  Start(Tracking());
  const uint32_t p = Malloc(5, 0x11000, 5, /*zeroed=*/true);  // bytes p..p+4 defined
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, p + 4, 4, At(6)));
  EXPECT_EQ(checker_->LoadVBits(p + 4, 4), 0xffffff00u);  // byte 4 the block's, 5..7 not
  EXPECT_EQ(Errors(), 0u);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p + 8, 4, At(7)));    // nothing the block's
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p + 2, 4, At(8)));    // misaligned
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p, 8, At(9)));        // two words
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, p + 4, 4, At(10)));  // a store
  EXPECT_EQ(Errors(), 4u);
  // A reported invalid read's bytes are defined, as Valgrind makes them after the report.
  EXPECT_EQ(checker_->LoadVBits(p + 2, 4), 0u);
}

TEST_F(DefinednessTest, PartialLoadsOkNoMakesThemErrors) {
  MemcheckOptions o = Tracking();
  o.partial_loads_ok = false;
  Start(o);
  const uint32_t p = Malloc(5, 0x11000, 5, /*zeroed=*/true);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p + 4, 4, At(6)));
  EXPECT_EQ(checker_->LoadVBits(p + 4, 4), 0u);
  EXPECT_EQ(Errors(), 1u);
  EXPECT_TRUE(Logged("Invalid read of size 4")) << Log();
}

TEST_F(DefinednessTest, FreshMemoryIsUndefinedUnlessZeroed) {
  Start(Tracking());
  EXPECT_TRUE(checker_->undef_value_errors());
  uint32_t p = Malloc(16, 0x11000, 5);
  EXPECT_EQ(State(p), ShadowState::Undefined);
  EXPECT_EQ(State(p + 15), ShadowState::Undefined);
  EXPECT_EQ(State(p + 16), ShadowState::HeapRedzone);
  EXPECT_EQ(checker_->LoadVBits(p, 4), 0xffffffffu);
  uint32_t z = Malloc(16, 0x11100, 6, /*zeroed=*/true);  // calloc
  EXPECT_EQ(checker_->LoadVBits(z, 8), 0u);
  // A new stack frame, and a leaf's frame below the pointer after a frame was popped.
  checker_->OnStackPointerMove(0x10f00);
  EXPECT_EQ(State(0x10f00), ShadowState::Undefined);
  EXPECT_EQ(State(0x10fff), ShadowState::Undefined);
  checker_->StoreVBits(0x10f00, 4, 0);  // the frame's first store
  checker_->OnStackPointerMove(0x10e00);
  checker_->OnStackPointerMove(0x10f00);
  EXPECT_EQ(State(0x10e00), ShadowState::BelowStackPointer);
  checker_->OnLeafFrame(0x10ef0);
  EXPECT_EQ(State(0x10ef0), ShadowState::Undefined);
  checker_->StoreVBits(0x10ef8, 4, 0);
  checker_->OnLeafFrame(0x10ee0);  // the leaf goes deeper: its earlier values stay
  EXPECT_EQ(State(0x10ee0), ShadowState::Undefined);
  EXPECT_EQ(State(0x10ef8), ShadowState::Defined);
  EXPECT_EQ(State(0x10f00), ShadowState::Defined);  // the caller's frame is untouched
  // memory.grow: the allocator's pages are unallocated heap, anyone else's undefined.
  ASSERT_TRUE(checker_->OnMemoryGrow(0x30000, true).ok());
  EXPECT_EQ(State(0x20000), ShadowState::HeapUnallocated);
  ASSERT_TRUE(checker_->OnMemoryGrow(0x40000, false).ok());
  EXPECT_EQ(State(0x30000), ShadowState::Undefined);
  // Client requests.
  checker_->MakeMemUndefined(0x800, 4);
  EXPECT_EQ(State(0x800), ShadowState::Undefined);
  checker_->MallocLikeBlock(p, 8, 0, /*zeroed=*/false, At(7));
  EXPECT_EQ(State(p + 7), ShadowState::Undefined);
  checker_->CreateMempool(0x12000, 0, /*zeroed=*/true, 0);
  checker_->MempoolAlloc(0x12000, 0x12010, 8, At(8));
  EXPECT_EQ(State(0x12010), ShadowState::Defined);
  EXPECT_EQ(Contexts(), 0u);
}

TEST_F(DefinednessTest, CopiesKeepStateAndHostWritesDefine) {
  Start(Tracking());
  uint32_t p = Malloc(8, 0x11000, 5);
  checker_->StoreVBits(p, 4, 0);         // p[0..4) written
  checker_->StoreVBits(p + 4, 1, 0xf0);  // a bit-field: low nibble written
  uint32_t q = Malloc(16, 0x11100, 6);   // realloc to 16: move and copy
  ASSERT_TRUE(checker_->CopyState(q, p, 8));
  EXPECT_EQ(checker_->LoadVBits(q, 8), 0xffffff'f0'00000000u);
  EXPECT_EQ(checker_->LoadVBits(q + 8, 8), ~uint64_t{0});  // the growth
  // Host writes define what is addressable, partial bytes included, and nothing else.
  checker_->OnHostWrote(q, 32);
  EXPECT_EQ(checker_->LoadVBits(q, 8), 0u);
  EXPECT_EQ(State(q + 16), ShadowState::HeapRedzone);
  EXPECT_EQ(checker_->shadow().partial().chunks(), 1u);  // p + 4's, not q's
  checker_->MakeMemDefinedIfAddressable(p - 4, 16);
  EXPECT_EQ(checker_->shadow().partial().chunks(), 0u);
  EXPECT_EQ(State(p - 1), ShadowState::HeapRedzone);
  // Freed and handed out again: undefined as any new block, not its old partial bits.
  checker_->StoreVBits(q, 1, 0x0f);
  checker_->OnFree(q, Deallocator::Free, At(9));
  EXPECT_EQ(checker_->shadow().partial().chunks(), 0u);
}

TEST_F(DefinednessTest, SyscallParamPointsToUninitialisedBytes) {
  Start(Tracking());
  uint32_t line = Malloc(16, 0x11000, 13);
  checker_->StoreVBits(line, 4, 0);
  checker_->StoreVBits(line + 4, 2, 0);
  EXPECT_FALSE(checker_->CheckSyscallParam(AccessKind::Read, line, 6, "fd_write(buf)", At(17)));
  EXPECT_TRUE(checker_->CheckSyscallParam(AccessKind::Read, line, 16, "fd_write(buf)", At(17)));
  // A buffer the host writes into (fd_read) may be undefined.
  EXPECT_FALSE(checker_->CheckSyscallParam(AccessKind::Write, line, 16, "fd_read(buf)", At(18)));
  std::string expected =
      Prefix() + "Syscall param fd_write(buf) points to uninitialised byte(s)\n" + Prefix() +
      "   at 0x110: main (bug.c:17)\n" + Prefix() +
      " Address 0x11016 is 6 bytes inside a block of size 16 alloc'd\n" + Prefix() +
      "   at 0x200: malloc (in /work/bug.wasm)\n" + Prefix() + "   by 0xD0: main (bug.c:13)\n";
  EXPECT_TRUE(Logged(expected)) << Log();
  // Unaddressable before undefined: the first bad byte decides.
  EXPECT_TRUE(checker_->CheckSyscallParam(AccessKind::Read, line - 2, 8, "fd_write(buf)", At(19)));
  EXPECT_TRUE(Logged("Syscall param fd_write(buf) points to unaddressable byte(s)")) << Log();
  EXPECT_EQ(Contexts(), 2u);
}

TEST_F(DefinednessTest, ClientCheckOfDefinedness) {
  Start(Tracking());
  uint32_t p = Malloc(8, 0x11000, 5);
  checker_->StoreVBits(p, 2, 0);
  EXPECT_EQ(checker_->CheckMemIsDefined(p, 2, At(6)), 0u);
  EXPECT_EQ(checker_->CheckMemIsDefined(p, 8, At(7)), p + 2);
  EXPECT_TRUE(Logged(Prefix() + "Uninitialised byte(s) found during client check request\n" +
                     Prefix() + "   at 0x70: main (bug.c:7)\n" + Prefix() +
                     " Address 0x11012 is 2 bytes inside a block of size 8 alloc'd\n"))
      << Log();
  checker_->StoreVBits(p, 8, 0);
  EXPECT_EQ(checker_->CheckMemIsDefined(p + 4, 8, At(8)), p + 8);  // the redzone
  EXPECT_TRUE(Logged("Unaddressable byte(s) found during client check request")) << Log();
  // CHECK_MEM_IS_ADDRESSABLE does not care about definedness.
  EXPECT_EQ(checker_->CheckMemIsAddressable(p, 8, At(9)), 0u);
  EXPECT_EQ(Contexts(), 2u);
}

TEST_F(DefinednessTest, BranchesOnUndefinedBytesInHostCode) {
  Start(Tracking());
  uint32_t s = Malloc(8, 0x11000, 5);
  checker_->StoreVBits(s, 4, 0);
  EXPECT_FALSE(checker_->CheckBranchesOn(s, 4, At(6)));
  EXPECT_TRUE(checker_->CheckBranchesOn(s, 8, At(7)));
  // Unaddressable bytes are the addressability check's: only undefined ones count here.
  EXPECT_FALSE(checker_->CheckBranchesOn(s - 8, 12, At(8)));
  EXPECT_TRUE(Logged(Prefix() + "Conditional jump or move depends on uninitialised value(s)\n" +
                     Prefix() + "   at 0x70: main (bug.c:7)\n" + Prefix() + "\n"))
      << Log();
  EXPECT_EQ(Contexts(), 1u);
}

TEST_F(DefinednessTest, ReportsAndCounts) {
  Start(Tracking());
  checker_->ReportUninit(Use::Condition, 4, 0, At(20));
  checker_->ReportUninit(Use::Condition, 4, 0, At(20));  // the same context again
  checker_->ReportUninit(Use::Value, 8, 0, At(21));
  checker_->ReportUninit(Use::Value, 4, 0, At(21));  // another size, another context
  Finish();
  std::string log = Log();
  EXPECT_TRUE(Logged(Prefix() + "Conditional jump or move depends on uninitialised value(s)\n" +
                     Prefix() + "   at 0x140: main (bug.c:20)\n" + Prefix() + "\n"))
      << log;
  EXPECT_TRUE(Logged(Prefix() + "Use of uninitialised value of size 8\n" + Prefix() +
                     "   at 0x150: main (bug.c:21)\n" + Prefix() + "\n"))
      << log;
  EXPECT_TRUE(Logged("Use of uninitialised value of size 4\n")) << log;
  EXPECT_TRUE(Logged("ERROR SUMMARY: 4 errors from 3 contexts (suppressed: 0 from 0)")) << log;
}

// --keep-stacktraces without the allocation's: the origin still names the heap allocation,
// with Valgrind's frame for a stack not kept.
TEST_F(DefinednessTest, AHeapOriginWhoseStackIsNotKept) {
  for (KeepStacktraces keep : {KeepStacktraces::Free, KeepStacktraces::None}) {
    MemcheckOptions options = WithOrigins();
    options.keep_stacktraces = keep;
    Start(options);
    const uint32_t p = Malloc(8, 0x11000, 13);
    const uint32_t heap = checker_->OriginOf(p, 8);
    ASSERT_NE(heap, 0u);
    checker_->ReportUninit(Use::Condition, 0, heap, At(20));
    EXPECT_TRUE(Logged(Prefix() + " Uninitialised value was created by a heap allocation\n" +
                       Prefix() + "   at 0x0: ???\n" + Prefix() + "\n"))
        << Log();
    checker_.reset();
    unlink(log_.c_str());
  }
}

TEST_F(DefinednessTest, OriginsSayWhereTheValueWasCreated) {
  Start(WithOrigins());
  ASSERT_TRUE(checker_->track_origins());
  uint32_t p = Malloc(8, 0x11000, 13);
  checker_->StoreVBits(p, 4, 0);
  EXPECT_EQ(checker_->OriginOf(p, 4), 0u);  // defined bytes have no origin
  uint32_t heap = checker_->OriginOf(p, 8);
  ASSERT_NE(heap, 0u);
  checker_->ReportUninit(Use::Condition, 0, heap, At(20));
  EXPECT_TRUE(Logged(Prefix() + "Conditional jump or move depends on uninitialised value(s)\n" +
                     Prefix() + "   at 0x140: main (bug.c:20)\n" + Prefix() +
                     " Uninitialised value was created by a heap allocation\n" + Prefix() +
                     "   at 0x200: malloc (in /work/bug.wasm)\n" + Prefix() +
                     "   by 0xD0: main (bug.c:13)\n" + Prefix() + "\n"))
      << Log();
  // A stack frame: only the function that made it is named.
  checker_->OnStackPointerMove(0x10f00, [] {
    return Backtrace{{kHelper, Line(3)}, {kMain, Line(30)}};
  });
  uint32_t stack = checker_->OriginOf(0x10f10, 4);
  ASSERT_NE(stack, 0u);
  checker_->ReportUninit(Use::Value, 4, stack, At(31));
  EXPECT_TRUE(Logged(Prefix() + "Use of uninitialised value of size 4\n" + Prefix() +
                     "   at 0x1F0: main (bug.c:31)\n" + Prefix() +
                     " Uninitialised value was created by a stack allocation\n" + Prefix() +
                     "   at 0x30: helper(int) (bug.c:3)\n" + Prefix() + "\n"))
      << Log();
  // A client request, and memory.grow outside the allocator (Valgrind's unnamed kind).
  checker_->MakeMemUndefined(0x800, 4, At(40));
  checker_->ReportUninit(Use::Condition, 0, checker_->OriginOf(0x800, 4), At(41));
  EXPECT_TRUE(Logged(" Uninitialised value was created by a client request\n" + Prefix() +
                     "   at 0x280: main (bug.c:40)\n"))
      << Log();
  ASSERT_TRUE(checker_->OnMemoryGrow(0x30000, false, At(50)).ok());
  checker_->ReportUninit(Use::Condition, 0, checker_->OriginOf(0x20000, 1), At(51));
  EXPECT_TRUE(
      Logged(" Uninitialised value was created\n" + Prefix() + "   at 0x320: main (bug.c:50)\n"))
      << Log();
  // Stores and copies of undefined values carry their origin; a store of an undefined value
  // without one forgets the bytes' old origin (here the stack frame's).
  checker_->StoreVBits(0x10f10, 4, ~uint64_t{0});
  EXPECT_EQ(checker_->OriginOf(0x10f10, 4), 0u);
  checker_->StoreVBits(0x900, 4, ~uint64_t{0});
  checker_->StoreOrigin(0x900, 4, heap);
  EXPECT_EQ(checker_->OriginOf(0x900, 4), heap);
  uint32_t q = Malloc(8, 0x11100, 14);
  ASSERT_TRUE(checker_->CopyState(q, 0x900, 4));
  EXPECT_EQ(checker_->OriginOf(q, 4), heap);
  EXPECT_NE(checker_->OriginOf(q + 4, 4), heap);  // still q's own allocation
  // A zeroed block has no origin, being defined.
  uint32_t z = Malloc(8, 0x11200, 15, /*zeroed=*/true);
  EXPECT_EQ(checker_->OriginOf(z, 8), 0u);
  // Syscall parameters say where their first undefined byte came from.
  checker_->CheckSyscallParam(AccessKind::Read, p, 8, "fd_write(buf)", At(60));
  EXPECT_TRUE(Logged(" Address 0x11014 is 4 bytes inside a block of size 8 alloc'd\n" + Prefix() +
                     "   at 0x200: malloc (in /work/bug.wasm)\n" + Prefix() +
                     "   by 0xD0: main (bug.c:13)\n" + Prefix() +
                     " Uninitialised value was created by a heap allocation\n"))
      << Log();
}

// The element structure of an error with its origin, element for element, against what
// valgrind 3.19 wrote for tests/memcheck/uninit_malloc_branch.c built natively at -O0.
TEST_F(DefinednessTest, XmlMatchesValgrindsForAnOrigin) {
  MemcheckOptions options = WithOrigins();
  options.xml = true;
  Start(options);
  auto plan = checker_->PlanAllocation(24, 0);
  uint32_t stats = checker_->OnAllocated(0x11000, *plan, 24, AllocFamily::Malloc, false, [] {
    return Backtrace{{kMalloc, 0x200}, {kHelper, Line(13)}, {kMain, Line(19)}};
  });
  checker_->ReportUninit(Use::Condition, 0, checker_->OriginOf(stats + 8, 4), At(20));
  Finish();
  auto error_paths = [](const std::string& xml) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(xml, m, std::regex("<error>[\\s\\S]*?</error>")));
    std::vector<std::string> paths;
    std::string e = m.str();
    std::regex tag("<([A-Za-z_]+)>");
    for (auto it = std::sregex_iterator(e.begin(), e.end(), tag); it != std::sregex_iterator();
         ++it) {
      paths.push_back((*it)[1]);
    }
    return paths;
  };
  std::string ours = Log();
  std::string theirs =
      ReadFile(std::string(WG_TESTS_DIR) + "/memcheck/valgrind_xml/uninit_malloc_branch-O0.xml");
  ASSERT_FALSE(theirs.empty());
  EXPECT_EQ(error_paths(ours), error_paths(theirs)) << ours;
  EXPECT_NE(ours.find("<kind>UninitCondition</kind>"), std::string::npos);
  EXPECT_NE(ours.find("<auxwhat>Uninitialised value was created by a heap allocation</auxwhat>\n"
                      "  <stack>\n"),
            std::string::npos)
      << ours;
}

TEST_F(DefinednessTest, SuppressionsOfTheNewKinds) {
  std::ofstream(supp_) << "{\n  cond_in_main\n  Memcheck:Cond\n  fun:main\n}\n"
                          "{\n  value8\n  Memcheck:Value8\n  fun:main\n}\n"
                          "{\n  param\n  Memcheck:Param\n  fd_write(buf)\n  fun:main\n}\n";
  MemcheckOptions options = Tracking();
  options.suppressions = {supp_};
  options.gen_suppressions = GenSuppressions::All;
  Start(options);
  checker_->ReportUninit(Use::Condition, 0, 0, At(20));
  checker_->ReportUninit(Use::Value, 8, 0, At(21));
  checker_->ReportUninit(Use::Value, 4, 0, At(22));  // Value8 does not cover size 4
  uint32_t p = Malloc(8, 0x11000, 5);
  checker_->CheckSyscallParam(AccessKind::Read, p, 8, "fd_write(buf)", At(23));
  checker_->CheckSyscallParam(AccessKind::Read, p, 8, "fd_pwrite(buf)", At(24));
  Finish();
  EXPECT_EQ(checker_->errors().counts().suppressed_errors, 3u);
  EXPECT_EQ(Errors(), 2u);
  EXPECT_TRUE(Logged("   Memcheck:Value4\n   fun:main\n}\n")) << Log();
  EXPECT_TRUE(Logged("   Memcheck:Param\n   fd_pwrite(buf)\n   fun:main\n}\n")) << Log();
  EXPECT_FALSE(Logged("Memcheck:Cond")) << Log();
}

// --undef-value-errors=no, and the temporary switch off: part 1, where all is defined.
TEST_F(DefinednessTest, OffMeansEverythingDefinedAndNothingReported) {
  MemcheckOptions no_errors = Tracking();
  no_errors.undef_value_errors = false;
  MemcheckOptions switch_off = WithOrigins();
  switch_off.track_definedness = false;  // origins asked for, but nothing is tracked
  for (const MemcheckOptions& options : {no_errors, switch_off}) {
    Start(options);
    EXPECT_FALSE(checker_->undef_value_errors());
    EXPECT_FALSE(checker_->track_origins());
    uint32_t p = Malloc(16, 0x11000, 5);
    EXPECT_EQ(State(p), ShadowState::Defined);
    checker_->OnStackPointerMove(0x10f00);
    EXPECT_EQ(State(0x10f00), ShadowState::Defined);
    ASSERT_TRUE(checker_->OnMemoryGrow(0x30000, false).ok());
    EXPECT_EQ(State(0x20000), ShadowState::Defined);
    checker_->MakeMemUndefined(0x800, 4);
    EXPECT_EQ(State(0x800), ShadowState::Defined);
    checker_->StoreVBits(p, 4, 0xffffffff);
    EXPECT_EQ(checker_->LoadVBits(p, 4), 0u);
    EXPECT_FALSE(checker_->CheckSyscallParam(AccessKind::Read, p, 16, "fd_write(buf)", At(6)));
    EXPECT_EQ(checker_->CheckMemIsDefined(p, 16, At(7)), 0u);
    EXPECT_FALSE(checker_->CheckBranchesOn(p, 16, At(8)));
    checker_->ReportUninit(Use::Condition, 0, 0, At(9));
    EXPECT_EQ(Contexts(), 0u);
  }
}

}  // namespace
}  // namespace wasmgrind::memcheck
