// The memcheck corpus (tests/memcheck, README.md there) as it stands before the checker: every
// program's header is well-formed, the corpus still has the programs the memcheck issues ask
// for, and each program, built for wasm32-wasi at -O0 and -O2, ends under a plain
// `wasmgrind run` (no --memcheck) the way its `// RUN:` line says. The checker's own tests
// (`run --memcheck` against the EXPECT lines) build on the same programs and header parser.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>

#include "cli_capture.h"
#include "corpus_header.h"
#include "exit_codes.h"

namespace wasmgrind {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Sources() {
  std::vector<std::string> sources;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(WG_MEMCHECK_SOURCE_DIR, ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".c" || ext == ".cpp") sources.push_back(entry.path().filename().string());
  }
  std::sort(sources.begin(), sources.end());
  return sources;
}

std::string Stem(const std::string& source) { return fs::path(source).stem().string(); }

std::string SourcePath(const std::string& source) {
  return std::string(WG_MEMCHECK_SOURCE_DIR) + "/" + source;
}

class CorpusHeaderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusHeaderTest, IsWellFormed) {
  Result<CorpusHeader> header = ReadCorpusHeader(SourcePath(GetParam()));
  ASSERT_TRUE(header.ok()) << header.error().message;
  // A line fact names a line of code in this file (not a comment, blank or #include line:
  // a sign that lines were added above the bug without updating the header).
  std::vector<std::string> lines;
  {
    std::ifstream in(SourcePath(GetParam()));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  auto check_lines = [&](const std::vector<CorpusExpectation>& list) {
    for (const CorpusExpectation& e : list) {
      std::vector<std::string> numbers;
      if (e.facts.contains("line")) numbers.push_back(e.facts.at("line"));
      if (e.facts.contains("origin"))
        numbers.push_back(e.facts.at("origin").substr(e.facts.at("origin").find(':') + 1));
      for (const std::string& number : numbers) {
        const int line = std::atoi(number.c_str());
        ASSERT_TRUE(line >= 1 && static_cast<size_t>(line) <= lines.size()) << e.text;
        const std::string& text = lines[line - 1];
        const size_t start = text.find_first_not_of(' ');
        EXPECT_TRUE(start != std::string::npos && text.compare(start, 2, "//") != 0 &&
                    text.compare(start, 8, "#include") != 0)
            << e.text << ": line " << line << " is not code: " << text;
      }
    }
  };
  check_lines(header->expect);
  if (header->expect_native) check_lines(*header->expect_native);
  // A program that traps under a plain run expects the checker to say why.
  if (header->run.trap) {
    EXPECT_FALSE(header->expect.empty()) << "a program that traps must expect an error";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusHeaderTest, ::testing::ValuesIn(Sources()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return Stem(info.param);
                         });

// The counts the memcheck issues (15 and 16) ask of the corpus, by file-name prefix, so that
// the corpus cannot quietly shrink below them.
TEST(CorpusCoverageTest, HasTheProgramsTheIssuesAskFor) {
  const std::vector<std::pair<std::string, size_t>> minimum = {
      {"heap_read_", 4},   {"heap_write_", 4}, {"heap_under_", 4},  {"neighbour_", 4},
      {"unallocated_", 4}, {"uaf_", 4},        {"double_free_", 4}, {"invalid_free_", 4},
      {"mismatch_", 4},    {"wasm32_", 4},     {"stack_dead_", 2},  {"stack_overflow_", 4},
      {"wasi_", 4},        {"libc_", 4},       {"ok_", 12},         {"uninit_", 12},
      {"outside_", 4}};
  std::map<std::string, size_t> count;
  std::map<std::string, size_t> kinds;  // leak kinds and below-the-stack-pointer accesses
  for (const std::string& source : Sources()) {
    for (const auto& [prefix, n] : minimum)
      if (source.rfind(prefix, 0) == 0) ++count[prefix];
    Result<CorpusHeader> header = ReadCorpusHeader(SourcePath(source));
    ASSERT_TRUE(header.ok()) << header.error().message;
    std::set<std::string> in_this;
    for (const CorpusExpectation& e : header->expect) {
      for (const std::string& kind : e.kinds) in_this.insert(kind);
      if (e.facts.contains("addr") && e.facts.at("addr") == "below-sp") in_this.insert("below-sp");
    }
    for (const std::string& k : in_this) ++kinds[k];
  }
  for (const auto& [prefix, n] : minimum) EXPECT_GE(count[prefix], n) << prefix;
  for (const char* kind : {"Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost",
                           "Leak_StillReachable", "below-sp", "MismatchedFree", "SyscallParam"})
    EXPECT_GE(kinds[kind], 4u) << kind;
}

// The checker must see an uninitialised value from each source, used in each way that changes
// behaviour, and carried each way to its use; each program here covers the item it is listed
// for and expects a use with its origin (`origin=`, checked under --track-origins=yes).
TEST(CorpusCoverageTest, HasAnUninitialisedValueProgramForEachSourceUseAndRoute) {
  const std::vector<std::pair<std::string, std::string>> programs = {
      // sources (and a use)
      {"uninit_malloc_branch.c", "malloc; an if"},
      {"uninit_realloc_growth.c", "realloc growth; a loop's if"},
      {"uninit_cpp_member.cpp", "new; an if in a member function"},
      {"uninit_partial_array.c", "a stack frame; an if on a sum"},
      {"uninit_stack_reused.c", "a stack frame over an earlier call's written one"},
      {"uninit_bitfield.c", "a bit-field beside written ones in its byte"},
      {"uninit_memory_grow.c", "memory.grow outside any block (natively sbrk)"},
      {"uninit_client_undefined.c", "VALGRIND_MAKE_MEM_UNDEFINED"},
      // uses
      {"uninit_and_condition.c", "br_if: the left side of &&"},
      {"uninit_new_switch.cpp", "br_table: a switch"},
      {"uninit_stack_ternary.c", "select: the condition of ?:"},
      {"uninit_address.c", "a memory address"},
      {"uninit_call_indirect.c", "call_indirect: a table index"},
      {"uninit_divisor.c", "an integer divisor"},
      {"uninit_fd_write.c", "fd_write of undefined bytes"},
      {"uninit_writev_iovec.c", "fd_write of an iovec with undefined bytes"},
      {"uninit_path_open.c", "path_open of a path with undefined bytes"},
      {"uninit_open_path.c", "open() of a path with undefined bytes (libc reads it)"},
      // routes
      {"uninit_struct_copy.c", "a struct copy"},
      {"uninit_memcpy.c", "memcpy"},
      {"uninit_function_return.c", "a function's return value"},
      {"uninit_global.c", "a global"},
      {"uninit_printf.c", "printf (reported in its frames)"},
      {"uninit_float_conversion.c", "a conversion to double and float arithmetic"},
  };
  const std::set<std::string> uses = {"UninitCondition", "UninitValue", "SyscallParam"};
  std::set<std::string> origin_kinds;
  for (const auto& [source, covers] : programs) {
    Result<CorpusHeader> header = ReadCorpusHeader(SourcePath(source));
    ASSERT_TRUE(header.ok()) << source << " (" << covers << "): " << header.error().message;
    bool expects_use = false;
    for (const CorpusExpectation& e : header->expect) {
      bool is_use = false;
      for (const std::string& kind : e.kinds) is_use = is_use || uses.contains(kind);
      if (!is_use || !e.facts.contains("line") || !e.facts.contains("origin")) continue;
      expects_use = true;
      origin_kinds.insert(e.facts.at("origin").substr(0, e.facts.at("origin").find(':')));
    }
    EXPECT_TRUE(expects_use) << source << " (" << covers
                             << ") expects no uninitialised value with its line and origin";
  }
  for (const char* kind : {"heap", "stack", "client", "grow"})
    EXPECT_TRUE(origin_kinds.contains(kind)) << "no program's value comes from " << kind;
}

// And the correct programs that must stay silent (with and without --track-origins=yes).
TEST(CorpusCoverageTest, HasTheCorrectProgramsIssue16AsksFor) {
  const std::vector<std::pair<std::string, std::string>> programs = {
      {"ok_struct_copies.c", "struct copies with padding"},
      {"ok_memcpy_partial.c", "memcpy of a partly written buffer"},
      {"ok_bitfields.c", "bit-field writes and reads"},
      {"ok_partly_defined_words.c", "decisions on the defined bits of partly written words"},
      {"ok_client_definedness.c", "MAKE_MEM_UNDEFINED then written, MAKE_MEM_DEFINED"},
      {"ok_calloc.c", "calloc"},
      {"ok_realloc_growth.c", "realloc growth written before use"},
      {"ok_stdio.c", "stdio buffers"},
      {"ok_stdio_round_trip.c", "fprintf, fgets and sscanf through a FILE"},
      {"ok_qsort.c", "qsort"},
      {"ok_printf_conversions.c", "printf of every conversion"},
      {"ok_strings_in_larger_buffers.c", "string functions reading past the terminator"},
      {"ok_stl_containers.cpp", "C++ containers"},
      {"ok_stl_growth.cpp", "C++ containers grown (deque, vector<bool>, ...)"},
  };
  for (const auto& [source, covers] : programs) {
    Result<CorpusHeader> header = ReadCorpusHeader(SourcePath(source));
    ASSERT_TRUE(header.ok()) << source << " (" << covers << "): " << header.error().message;
    EXPECT_TRUE(header->expect.empty() && !header->expect_native && !header->run.trap &&
                header->run.exit_code == 0)
        << source << " (" << covers << ") is not a correct program (EXPECT: none, RUN: exit=0)";
  }
}

// The parser itself: origin facts name a kind and a line.
TEST(CorpusHeaderParserTest, ChecksOriginFacts) {
  const std::string path = ::testing::TempDir() + "/corpus_header_origin_test.c";
  auto parse = [&](const std::string& expect) {
    std::ofstream(path) << "// EXPECT: " << expect << "\n// RUN: exit=0\nint main(void) {}\n";
    return ReadCorpusHeader(path);
  };
  for (const char* good : {"heap:3", "stack:12", "client:7", "grow:40"}) {
    Result<CorpusHeader> header = parse(std::string("UninitCondition line=3 origin=") + good);
    ASSERT_TRUE(header.ok()) << good << ": " << header.error().message;
    EXPECT_EQ(header->expect.at(0).facts.at("origin"), good);
  }
  for (const char* bad : {"heap", "heap:", "mmap:3", "stack:f", ":3", "heap:3x"}) {
    Result<CorpusHeader> header = parse(std::string("UninitCondition origin=") + bad);
    ASSERT_FALSE(header.ok()) << bad;
    EXPECT_NE(header.error().message.find("bad origin"), std::string::npos)
        << header.error().message;
  }
  fs::remove(path);
}

struct Build {
  std::string source;
  std::string opt;  // "O0" or "O2"
};

void PrintTo(const Build& b, std::ostream* os) { *os << b.source << " -" << b.opt; }

std::vector<Build> Builds() {
  std::vector<Build> builds;
  for (const std::string& source : Sources())
    for (const char* opt : {"O0", "O2"}) builds.push_back({source, opt});
  return builds;
}

class CorpusPlainRunTest : public ::testing::TestWithParam<Build> {};

TEST_P(CorpusPlainRunTest, EndsAsDeclared) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const Build& b = GetParam();
  const std::string module =
      std::string(WG_MEMCHECK_BUILD_DIR) + "/" + Stem(b.source) + "-" + b.opt + ".wasm";
  if (b.source.ends_with(".cpp") && !fs::exists(module))
    GTEST_SKIP() << "clang++ cannot target wasm32-wasi here";
  Result<CorpusHeader> header = ReadCorpusHeader(SourcePath(b.source));
  ASSERT_TRUE(header.ok()) << header.error().message;
  CliCapture cli;
  const int status = cli.Run({"run", module});
  const std::string err = cli.err.str();
  if (header->run.trap) {
    EXPECT_EQ(status, kExitTrap) << err;
    EXPECT_NE(err.find("wasm trap: " + header->run.trap_text), std::string::npos) << err;
  } else {
    EXPECT_EQ(status, header->run.exit_code) << err;
    EXPECT_EQ(err.find("wasm trap:"), std::string::npos) << err;
  }
}

// --exit-on-first-error=yes: the process exits at the program's first error, with
// --error-exitcode's status, the report ending with Valgrind's line (no summaries follow).
TEST(CorpusExitOnFirstErrorTest, TheProcessEndsAtTheFirstError) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // the program runs on a thread of its own
  const std::string module = std::string(WG_MEMCHECK_BUILD_DIR) + "/heap_write_after_end-O0.wasm";
  EXPECT_EXIT(
      {
        CliCapture cli;
        cli.Run({"run", "--memcheck", "--exit-on-first-error=yes", "--error-exitcode=9", module});
        std::exit(1);  // not reached: the first error ended the process
      },
      ::testing::ExitedWithCode(9),
      "Invalid write of size 4(.|\n)*Exit program on first error \\(--exit-on-first-error=yes\\)");
}

// The text report (through --log-file) of `wasmgrind run --memcheck OPTIONS... MODULE ARGS...`.
std::string MemcheckReport(const std::string& module, const std::vector<std::string>& options,
                           const std::vector<std::string>& program_args = {}) {
  // Per process: ctest runs the tests in parallel, each in a process of its own.
  const std::string log =
      ::testing::TempDir() + "/corpus-report-" + std::to_string(getpid()) + ".log";
  std::vector<std::string> args = {"run", "--memcheck", "--log-file=" + log};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(module);
  args.insert(args.end(), program_args.begin(), program_args.end());
  CliCapture cli;
  cli.Run(args);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(log);
  return text;
}

// --keep-stacktraces: a hook whose stack is not kept walks it only for its own report, which
// still names the program's line; the freed block's stacks were not kept, and show as
// Valgrind's unknown frame with no "Block was alloc'd at".
TEST(CorpusKeepStacktracesTest, AFreeNotKeptStillReportsItsOwnStack) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const std::string module = std::string(WG_MEMCHECK_BUILD_DIR) + "/double_free_simple-O0.wasm";
  for (const char* keep : {"none", "alloc", "free"}) {
    SCOPED_TRACE(keep);
    const std::string err = MemcheckReport(module, {std::string("--keep-stacktraces=") + keep});
    const size_t report = err.find("Invalid free() / delete / delete[] / realloc()");
    ASSERT_NE(report, std::string::npos) << err;
    EXPECT_NE(err.find("(double_free_simple.c:10)", report), std::string::npos) << err;
    const size_t freed = err.find("is 0 bytes inside a block of size 24 free'd", report);
    ASSERT_NE(freed, std::string::npos) << err;
    const bool free_kept = std::string(keep) == "free";
    EXPECT_EQ(err.find("at 0x0: ???", freed) != std::string::npos, !free_kept) << err;
    EXPECT_EQ(err.find("(double_free_simple.c:9)", freed) != std::string::npos, free_kept) << err;
    EXPECT_EQ(err.find("Block was alloc'd at") != std::string::npos, std::string(keep) == "alloc")
        << err;
  }
}

// C++ frames as Valgrind names them for suppressions: mangled, as the linker spells them,
// although wasm-ld's name section is demangled (the allocator's from the hooks' table, the
// program's from DWARF). A suppression valgrind generated for the native build suppresses the
// leak here, and --demangle=no shows those names in the stack.
TEST(CorpusCppNamesTest, SuppressionsAndDemangleNoUseMangledNames) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  // What valgrind 3.19 generates for the native -O0 build.
  const std::string valgrinds =
      "{\n   <insert_a_suppression_name_here>\n   Memcheck:Leak\n   match-leak-kinds: definite\n"
      "   fun:_Znwm\n   fun:_ZL12open_accountv\n   fun:main\n}\n";
  const std::string supp = ::testing::TempDir() + "/cpp-names.supp";
  std::ofstream(supp) << valgrinds;
  for (const char* opt : {"O0", "O2"}) {
    SCOPED_TRACE(opt);
    const std::string module =
        std::string(WG_MEMCHECK_BUILD_DIR) + "/leak_definite_cpp_object-" + opt + ".wasm";
    std::string text = MemcheckReport(module, {"--leak-check=full", "--gen-suppressions=all"});
    EXPECT_NE(text.find(valgrinds), std::string::npos) << text;
    text = MemcheckReport(module, {"--leak-check=full", "--suppressions=" + supp});
    EXPECT_NE(text.find("suppressed: 24 bytes in 1 blocks"), std::string::npos) << text;
    EXPECT_NE(text.find("ERROR SUMMARY: 0 errors from 0 contexts"), std::string::npos) << text;
    text = MemcheckReport(module, {"--leak-check=full", "--demangle=no"});
    EXPECT_NE(text.find(": _Znwm (stdlib_new_delete.cpp:"), std::string::npos) << text;
    EXPECT_NE(text.find(": _ZL12open_accountv (leak_definite_cpp_object.cpp:16)"),
              std::string::npos)
        << text;
  }
  fs::remove(supp);
}

// --default-suppressions=no drops the built-in suppressions: wasi-libc's blocks for argv,
// which its startup never frees, are then a leak like any other.
TEST(CorpusDefaultSuppressionsTest, NoShowsTheStartupBlocks) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const std::string module = std::string(WG_MEMCHECK_BUILD_DIR) + "/invalid_free_global-O0.wasm";
  for (const bool defaults : {true, false}) {
    SCOPED_TRACE(defaults);
    const std::string text = MemcheckReport(
        module,
        {"--leak-check=full", std::string("--default-suppressions=") + (defaults ? "yes" : "no")},
        {"an", "argument"});
    EXPECT_EQ(text.find(": __main_void (") != std::string::npos, !defaults) << text;
    EXPECT_NE(
        text.find(defaults ? "ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 2 from 2)"
                           : "ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)"),
        std::string::npos)
        << text;
  }
}

// --read-inline-info=no: an inlined call is no frame of its own; the function the code lies in
// is shown at the line the line table gives (the inlined callee's), as Valgrind shows it.
TEST(CorpusReadInlineInfoTest, NoShowsThePhysicalFunction) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const std::string module =
      std::string(WG_MEMCHECK_BUILD_DIR) + "/client_mempool_overflow-O2.wasm";
  for (const bool inline_info : {true, false}) {
    SCOPED_TRACE(inline_info);
    const std::string text =
        MemcheckReport(module, {std::string("--read-inline-info=") + (inline_info ? "yes" : "no")});
    // The chunk's allocation: chunk() inlined into main at line 23.
    const std::string inlined = ": chunk (client_mempool_overflow.c:15)\n";
    const std::regex physical(R"(at 0x[0-9A-F]+: main \(client_mempool_overflow\.c:15\)\n)");
    EXPECT_EQ(text.find(inlined) != std::string::npos, inline_info) << text;
    EXPECT_EQ(std::regex_search(text, physical), !inline_info) << text;
  }
}

// --trace-malloc=yes: each allocation call as a line of its own in Valgrind's debug prefix, a
// free's before the error it causes; also with -q, and on stderr beside --xml's file.
TEST(CorpusTraceMallocTest, EachCallIsALine) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const std::string module = std::string(WG_MEMCHECK_BUILD_DIR) + "/double_free_simple-O0.wasm";
  const std::string text = MemcheckReport(module, {"-q", "--trace-malloc=yes"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(--\d+-- malloc\(24\) = (0x[0-9A-F]+)\n)")))
      << text;
  const std::string free_line = "-- free(" + m[1].str() + ")\n";
  const size_t first = text.find(free_line);
  ASSERT_NE(first, std::string::npos) << text;
  const size_t second = text.find(free_line, first + 1);
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(second, text.find("Invalid free()")) << text;
  EXPECT_EQ(text.find("Invalid free()"), text.find("== Invalid free()") + 3) << text;

  // With --xml=yes the lines go to stderr, the XML has none.
  const std::string xml = ::testing::TempDir() + "/trace-malloc.xml";
  const std::string cpp = std::string(WG_MEMCHECK_BUILD_DIR) + "/leak_definite_cpp_object-O0.wasm";
  CliCapture xml_run;
  xml_run.Run({"run", "--memcheck", "--leak-check=full", "--trace-malloc=yes", "--xml=yes",
               "--xml-file=" + xml, cpp});
  std::ifstream xin(xml);
  const std::string xml_text((std::istreambuf_iterator<char>(xin)),
                             std::istreambuf_iterator<char>());
  fs::remove(xml);
  EXPECT_NE(xml_text.find("<kind>Leak_DefinitelyLost</kind>"), std::string::npos) << xml_text;
  EXPECT_EQ(xml_text.find("_Znwm(24)"), std::string::npos) << xml_text;
}

// A command line written for valgrind runs as it is: --tool=memcheck turns memcheck on, -v
// lists the errors at exit, --trace-children is accepted, --fullpath-after= shows whole
// source paths; another tool is a usage error.
TEST(CorpusValgrindCommandLineTest, RunsAsWrittenForValgrind) {
  if (std::string(WG_MEMCHECK_BUILD_DIR).empty())
    GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  const std::string module = std::string(WG_MEMCHECK_BUILD_DIR) + "/double_free_simple-O0.wasm";
  const std::string log = ::testing::TempDir() + "/valgrind-command-line.log";
  {
    CliCapture cli;
    EXPECT_EQ(cli.Run({"run", "--tool=memcheck", "-v", "--trace-children=yes", "--error-exitcode=7",
                       "--fullpath-after=", "--log-file=" + log, module}),
              7);
    std::ifstream in(log);
    const std::string report((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
    EXPECT_NE(report.find("Invalid free() / delete / delete[] / realloc()"), std::string::npos)
        << report;
    EXPECT_NE(report.find("1 errors in context 1 of 1:"), std::string::npos) << report;
    // --fullpath-after= (empty, and taking no argument after it): the whole source path.
    EXPECT_NE(report.find("memcheck/double_free_simple.c:10)"), std::string::npos) << report;
    fs::remove(log);
  }
  CliCapture cli;
  EXPECT_EQ(cli.Run({"run", "--tool=helgrind", module}), kExitError);
  EXPECT_NE(cli.err.str().find("wasmgrind's one tool is memcheck"), std::string::npos)
      << cli.err.str();
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusPlainRunTest, ::testing::ValuesIn(Builds()),
                         [](const ::testing::TestParamInfo<Build>& info) {
                           return Stem(info.param.source) + "_" + info.param.opt;
                         });

}  // namespace
}  // namespace wasmgrind
