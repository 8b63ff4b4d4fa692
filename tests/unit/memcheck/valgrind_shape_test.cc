// The report of tests/unit/memcheck/data/valgrind_bug.c, produced from the checker's pieces
// as the runtime will drive them, against what valgrind 3.19 printed for the native build
// (data/valgrind_bug.{txt,xml}: `gcc -g -gdwarf-4 -O0`, `valgrind --leak-check=full
// --show-leak-kinds=all [--xml=yes --xml-file=F] [--gen-suppressions=all]`). Text: every line
// but the banner and host addresses. XML: the element structure, element for element.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "fake_symbolizer.h"
#include "memcheck/error_builders.h"
#include "memcheck/error_manager.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/report_writer.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(WG_TESTS_DIR) + "/unit/memcheck/data/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replays valgrind_bug.c: every allocation, access and free in program order.
struct BugProgram {
  BugProgram(bool xml, bool gen_suppressions) {
    options.leak_check = LeakCheck::Full;
    options.show_leak_kinds = LeakKindSet::All();
    if (gen_suppressions) options.gen_suppressions = GenSuppressions::All;
    writer = xml ? MakeXmlWriter(sink) : MakeTextWriter(sink, 4242);
    manager = std::make_unique<ErrorManager>(options, backtraces, symbolizer, *writer,
                                             std::vector<Suppression>{});
    RunInfo run;
    run.pid = 4242;
    run.ppid = 1;
    run.tool_version = "wasmgrind test";
    run.tool_args = {"wasmgrind", "--xml=yes", "--xml-file=bug.xml", "--leak-check=full",
                     "--show-leak-kinds=all"};
    if (gen_suppressions) run.tool_args.push_back("--gen-suppressions=all");
    run.command = {"./bug"};
    manager->Begin(run);

    uint32_t p = Malloc(10, 5);
    Access(AccessKind::Write, 4, p + 8, 6);
    Access(AccessKind::Write, 1, p + 10, 7);
    Free(p, 8);
    Access(AccessKind::Read, 4, p, 9);
    Free(p, 10);
    uint32_t q = Malloc(20, 11);
    Free(q + 4, 12);
    Malloc(33, 13);
    uint32_t keep = Malloc(7, 14);
    Poke(0x100, keep);  // the global `keep`, in data
    uint32_t a = Malloc(4, 15, /*column*/ 0);
    uint32_t next = Malloc(16, 15, 1);
    Poke(a, next);
    // a's 4 bytes hold the pointer: the list head itself is lost. On wasm32 the block is 4
    // bytes where the native one was 8, so the sizes below differ from Valgrind's there.
    LeakRoots roots{{{0x100, 0x200}}, {}};
    std::vector<HeapBlock> live = heap.LiveBlocks();
    LeakResult leaks = FindLeaks(memory, roots, live);
    manager->Finish(&heap.stats(), &leaks);
  }

  BacktraceId At(uint32_t function, uint32_t line, uint32_t column = 0) {
    return backtraces.Intern({{function, 0x200 + column}, {kMain, Line(line) + column}});
  }
  BacktraceId InMain(uint32_t line) { return backtraces.Intern({{kMain, Line(line)}}); }

  uint32_t Malloc(uint32_t size, uint32_t line, uint32_t column = 0) {
    auto plan = heap.PlanAllocation(size, 0);
    uint32_t raw = next_raw;
    next_raw += (plan->raw_size + 15) / 16 * 16;
    return heap.OnAllocated(raw, *plan, size, AllocFamily::Malloc, At(kMalloc, line, column),
                            ShadowState::Defined);
  }
  void Free(uint32_t pointer, uint32_t line) {
    FreeOutcome out = heap.OnFree(pointer, Deallocator::Free, At(kFree, line));
    if (auto e = BadFreeError(out, pointer, AddressContext{}, At(kFree, line))) manager->Report(*e);
  }
  void Access(AccessKind kind, uint32_t size, uint32_t address, uint32_t line) {
    auto bad = shadow.FirstUnaddressable(address, size);
    ASSERT_TRUE(bad.has_value());
    manager->Report(InvalidAccessError(
        kind, address, size, *bad, InMain(line), &heap,
        AddressContext{shadow.size(), std::nullopt, std::nullopt, nullptr, {}, {}}));
  }
  void Poke(uint32_t address, uint32_t value) { memcpy(&memory[address], &value, 4); }

  MemcheckOptions options;
  BacktraceStore backtraces;
  FakeSymbolizer symbolizer;
  StringSink sink;
  std::unique_ptr<ReportWriter> writer;
  std::unique_ptr<ErrorManager> manager;
  ShadowMemory shadow =
      std::move(ShadowMemory::Create(1 << 20, ShadowState::HeapUnallocated)).value();
  HeapTracker heap{shadow, HeapOptions{}};
  std::vector<uint8_t> memory = std::vector<uint8_t>(1 << 20, 0);
  uint32_t next_raw = 0x10000;
};

// Lines after the banner, with "==PID== " dropped and host details (addresses, the
// preload object's path) normalized, so wasm and native reports compare.
std::vector<std::string> Normalize(const std::string& text, bool skip_banner) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  int banner = skip_banner ? 4 : 0;
  while (std::getline(in, line)) {
    line = std::regex_replace(line, std::regex("^==\\d+== ?"), "");
    if (banner > 0) {
      --banner;
      continue;
    }
    line = std::regex_replace(line, std::regex("0x[0-9A-Fa-f]+"), "0xADDR");
    line = std::regex_replace(line, std::regex("\\(in /[^)]*\\)"), "(in OBJ)");
    out.push_back(line);
  }
  return out;
}

TEST(ValgrindShapeTest, TextMatchesValgrindsLineForLine) {
  BugProgram bug(/*xml=*/false, /*gen_suppressions=*/false);
  std::vector<std::string> ours = Normalize(bug.sink.text(), true);
  std::vector<std::string> theirs = Normalize(ReadData("valgrind_bug.txt"), true);
  // Valgrind's tail mentions -s, which lists errors again; we have no -s.
  ASSERT_GE(theirs.size(), 3u);
  theirs.erase(theirs.end() - 2);
  // wasm32: the list node is 4 bytes, not 8 (sizes and totals differ only there).
  for (std::string& l : theirs) {
    l = std::regex_replace(l, std::regex("^24 \\(8 direct"), "20 (4 direct");
    l = std::regex_replace(l, std::regex("in use at exit: 84 bytes"), "in use at exit: 80 bytes");
    l = std::regex_replace(l, std::regex("94 bytes allocated"), "90 bytes allocated");
    l = std::regex_replace(l, std::regex("definitely lost: 61 bytes"), "definitely lost: 57 bytes");
  }
  // Loss records of equal total size are ordered by kind: 20 bytes definite comes twice now.
  ASSERT_EQ(ours.size(), theirs.size()) << bug.sink.text();
  for (size_t i = 0; i < ours.size(); ++i) {
    if (ours[i].find("loss record") != std::string::npos) continue;  // compared below
    EXPECT_EQ(ours[i], theirs[i]) << "line " << i;
  }
  std::string text = bug.sink.text();
  EXPECT_NE(text.find("20 bytes in 1 blocks are definitely lost in loss record"),
            std::string::npos);
  EXPECT_NE(text.find("20 (4 direct, 16 indirect) bytes in 1 blocks are definitely lost in "
                      "loss record"),
            std::string::npos);
  EXPECT_NE(text.find("33 bytes in 1 blocks are definitely lost in loss record 5 of 5"),
            std::string::npos);
  EXPECT_NE(text.find("==4242==    by 0x50: main (bug.c:5)\n"), std::string::npos);
}

// Element paths in document order ("valgrindoutput/error/stack/frame/ip").
std::vector<std::string> ElementPaths(const std::string& xml) {
  std::vector<std::string> paths, stack;
  std::string body = std::regex_replace(xml, std::regex("<!\\[CDATA\\[[\\s\\S]*?\\]\\]>"), "");
  std::regex tag("<(/?)([A-Za-z_]+)[^>]*>");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), tag); it != std::sregex_iterator();
       ++it) {
    if ((*it)[1] == "/") {
      stack.pop_back();
      continue;
    }
    stack.push_back((*it)[2]);
    std::string path;
    for (const std::string& s : stack) path += (path.empty() ? "" : "/") + s;
    paths.push_back(path);
  }
  return paths;
}

TEST(ValgrindShapeTest, XmlHasValgrindsElementStructure) {
  for (bool gen : {false, true}) {
    BugProgram bug(/*xml=*/true, gen);
    std::string ours = bug.sink.text();
    std::string theirs = ReadData(gen ? "valgrind_bug_gen_suppressions.xml" : "valgrind_bug.xml");
    ASSERT_FALSE(theirs.empty());
    std::vector<std::string> a = ElementPaths(ours), b = ElementPaths(theirs);
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      ASSERT_EQ(a[i], b[i]) << "element " << i << (gen ? " (with suppressions)" : "") << "\n"
                            << ours;
    }
    EXPECT_EQ(a.size(), b.size());
    EXPECT_EQ(ours.rfind("</valgrindoutput>\n"), ours.size() - 19);
  }
}

// --xml-user-comment: the text as given, unescaped, after <tool>, where valgrind 3.19 puts it.
TEST(ValgrindShapeTest, XmlUserCommentFollowsTheTool) {
  StringSink sink;
  std::unique_ptr<ReportWriter> writer = MakeXmlWriter(sink, "<note>hi & bye</note>");
  RunInfo run;
  run.pid = 7;
  run.tool_args = {"wasmgrind"};
  run.command = {"./bug"};
  writer->Begin(run);
  EXPECT_NE(sink.text().find("<tool>memcheck</tool>\n<usercomment><note>hi & bye</note>"
                             "</usercomment>\n\n<args>"),
            std::string::npos)
      << sink.text();
  StringSink plain;
  MakeXmlWriter(plain)->Begin(run);
  EXPECT_EQ(plain.text().find("usercomment"), std::string::npos);
}

TEST(ValgrindShapeTest, XmlKindsAndCountsAreValgrinds) {
  BugProgram bug(true, false);
  std::string x = bug.sink.text();
  auto kinds = [](const std::string& s) {
    std::vector<std::string> out;
    std::regex kind("<kind>([A-Za-z_]+)</kind>");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), kind); it != std::sregex_iterator();
         ++it) {
      out.push_back((*it)[1]);
    }
    return out;
  };
  std::vector<std::string> ours = kinds(x);
  std::vector<std::string> theirs = kinds(ReadData("valgrind_bug.xml"));
  // Our two 20-byte definite records swap places with Valgrind's 20/24 pair: compare sorted.
  std::sort(ours.begin(), ours.end());
  std::sort(theirs.begin(), theirs.end());
  EXPECT_EQ(ours, theirs);
  EXPECT_NE(x.find("<what>Invalid write of size 4</what>"), std::string::npos);
  EXPECT_NE(x.find("<auxwhat>Address 0x10010 is 0 bytes inside a block of size 10 free'd"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<leakedbytes>20</leakedbytes>"), std::string::npos);
  EXPECT_NE(x.find("<fn>main</fn>\n      <dir>/work</dir>\n      <file>bug.c</file>\n"
                   "      <line>5</line>"),
            std::string::npos);
}

}  // namespace
}  // namespace wasmgrind::memcheck
