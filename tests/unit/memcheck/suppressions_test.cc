// Suppressions: Valgrind's file format, globs, "..." frames, kinds, generation and round trip.
#include "memcheck/suppressions.h"

#include <gtest/gtest.h>

namespace wasmgrind::memcheck {
namespace {

SymbolizedFrame Fn(std::string name, std::string mangled = "", std::string file = "",
                   uint32_t line = 0) {
  SymbolizedFrame f;
  f.function = std::move(name);
  f.linkage_name = std::move(mangled);
  f.file = std::move(file);
  f.line = line;
  f.object = "/work/prog.wasm";
  return f;
}

MemcheckError Addr(uint32_t size) {
  MemcheckError e;
  e.kind = ErrorKind::InvalidWrite;
  e.access_size = size;
  return e;
}

std::vector<Suppression> Parse(std::string_view text) {
  auto r = ParseSuppressions(text, "test.supp");
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : std::vector<Suppression>{};
}

TEST(GlobTest, StarAndQuestionMark) {
  EXPECT_TRUE(GlobMatches("*", ""));
  EXPECT_TRUE(GlobMatches("main", "main"));
  EXPECT_FALSE(GlobMatches("main", "mains"));
  EXPECT_TRUE(GlobMatches("str*", "strlen"));
  EXPECT_TRUE(GlobMatches("*len", "strlen"));
  EXPECT_TRUE(GlobMatches("s*l*n", "strlen"));
  EXPECT_TRUE(GlobMatches("str?en", "strlen"));
  EXPECT_FALSE(GlobMatches("str?en", "stren"));
  EXPECT_TRUE(GlobMatches("*.wasm", "/a/b/prog.wasm"));
  EXPECT_FALSE(GlobMatches("*.wasm", "/a/b/prog.wasm.o"));
  EXPECT_TRUE(GlobMatches("a*b*c", "aXXbYYbZc"));
}

TEST(SuppressionParseTest, ReadsValgrindsFormat) {
  auto s = Parse(R"(# a comment
{
   overflow-in-f
   Memcheck:Addr4
   fun:f
   obj:*
   ...
   src:file.c:12
}

{
   leaks
   Memcheck:Leak
   match-leak-kinds: definite,possible
   fun:malloc
   ...
}
{
   helgrind-only
   Helgrind:Race
   fun:x
}
{
   param
   Memcheck:Param
   fd_write(buf)
   fun:write
})");
  ASSERT_EQ(s.size(), 3u);  // the Helgrind one is not ours
  EXPECT_EQ(s[0].name, "overflow-in-f");
  EXPECT_EQ(s[0].kind, "Addr4");
  EXPECT_EQ(s[0].origin, "test.supp:3");  // the name's line, as Valgrind's -s says
  ASSERT_EQ(s[0].frames.size(), 4u);
  EXPECT_EQ(s[0].frames[0].type, FramePatternType::Fun);
  EXPECT_EQ(s[0].frames[1].type, FramePatternType::Obj);
  EXPECT_EQ(s[0].frames[2].type, FramePatternType::Ellipsis);
  EXPECT_EQ(s[0].frames[3].type, FramePatternType::Src);
  EXPECT_EQ(s[0].frames[3].pattern, "file.c");
  EXPECT_EQ(s[0].frames[3].line, 12u);
  EXPECT_EQ(s[1].leak_kinds, LeakKindSet::Of({LeakKind::Definite, LeakKind::Possible}));
  EXPECT_EQ(s[2].extra, "fd_write(buf)");
  EXPECT_EQ(s[2].frames.size(), 1u);
}

TEST(SuppressionParseTest, ErrorsNameFileAndLine) {
  auto expect_error = [](std::string_view text, std::string_view message) {
    auto r = ParseSuppressions(text, "x.supp");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error(), message);
  };
  expect_error("fun:main\n", "x.supp:1: expected '{' to start a suppression, got 'fun:main'");
  expect_error("{\n n\n Memcheck:Addr3\n}\n",
               "x.supp:3: unknown Memcheck suppression kind 'Addr3'");
  expect_error("{\n n\n Addr4\n}\n",
               "x.supp:3: expected 'Tool:kind' (e.g. Memcheck:Addr4), got 'Addr4'");
  expect_error("{\n n\n Memcheck:Addr4\n fun:f\n",
               "x.supp:4: the file ends inside a suppression (missing '}')");
  expect_error("{\n n\n Memcheck:Addr4\n banana\n}\n",
               "x.supp:4: expected a frame line (fun:, obj:, src:, ...) or '}', got 'banana'");
  expect_error("{\n n\n Memcheck:Leak\n match-leak-kinds: lots\n}\n",
               "x.supp:4: bad match-leak-kinds 'match-leak-kinds: lots'");
  expect_error("{\n n\n Memcheck:Addr1\n src:a.c:zero\n}\n",
               "x.supp:4: bad line number in 'src:a.c:zero'");
  expect_error("{\n}\n", "x.supp:2: a suppression needs a name first");
}

TEST(SuppressionParseTest, MissingFileIsAnError) {
  auto r = LoadSuppressionFile("/nonexistent/dir/x.supp");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("/nonexistent/dir/x.supp"), std::string::npos);
}

TEST(SuppressionMatchTest, KindAndSizeMustMatch) {
  auto s = Parse("{\n n\n Memcheck:Addr4\n fun:f\n}\n")[0];
  std::vector<SymbolizedFrame> stack = {Fn("f"), Fn("main")};
  EXPECT_TRUE(SuppressionMatches(s, Addr(4), stack));
  EXPECT_FALSE(SuppressionMatches(s, Addr(8), stack));
  MemcheckError free_error;
  free_error.kind = ErrorKind::InvalidFree;
  EXPECT_FALSE(SuppressionMatches(s, free_error, stack));
}

TEST(SuppressionMatchTest, FramesMatchFromTheInnermost) {
  auto s = Parse("{\n n\n Memcheck:Addr4\n fun:main\n}\n")[0];
  EXPECT_FALSE(SuppressionMatches(s, Addr(4), {Fn("f"), Fn("main")}));
  EXPECT_TRUE(SuppressionMatches(s, Addr(4), {Fn("main"), Fn("_start")}));
  // A pattern longer than the stack does not match.
  auto longer = Parse("{\n n\n Memcheck:Addr4\n fun:main\n fun:_start\n fun:more\n}\n")[0];
  EXPECT_FALSE(SuppressionMatches(longer, Addr(4), {Fn("main"), Fn("_start")}));
}

TEST(SuppressionMatchTest, EllipsisSkipsAnyNumberOfFrames) {
  auto s = Parse("{\n n\n Memcheck:Addr4\n fun:strlen\n ...\n fun:main\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(s, Addr(4), {Fn("strlen"), Fn("main")}));
  EXPECT_TRUE(SuppressionMatches(s, Addr(4), {Fn("strlen"), Fn("a"), Fn("b"), Fn("main")}));
  EXPECT_FALSE(SuppressionMatches(s, Addr(4), {Fn("strlen"), Fn("a"), Fn("b")}));
  auto leading = Parse("{\n n\n Memcheck:Addr4\n ...\n fun:helper\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(leading, Addr(4), {Fn("x"), Fn("y"), Fn("helper")}));
  EXPECT_TRUE(SuppressionMatches(leading, Addr(4), {Fn("helper")}));
}

TEST(SuppressionMatchTest, FunMatchesMangledOrDemangledNames) {
  auto mangled = Parse("{\n n\n Memcheck:Free\n fun:_ZdlPv\n}\n")[0];
  auto demangled = Parse("{\n n\n Memcheck:Free\n fun:operator delete*\n}\n")[0];
  MemcheckError e;
  e.kind = ErrorKind::MismatchedFree;
  std::vector<SymbolizedFrame> stack = {Fn("operator delete(void*)", "_ZdlPv")};
  EXPECT_TRUE(SuppressionMatches(mangled, e, stack));
  EXPECT_TRUE(SuppressionMatches(demangled, e, stack));
}

TEST(SuppressionMatchTest, ObjAndSrcFrames) {
  auto obj = Parse("{\n n\n Memcheck:Addr1\n obj:*prog.wasm\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(obj, Addr(1), {Fn("f")}));
  auto src = Parse("{\n n\n Memcheck:Addr1\n src:bug.c:12\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(src, Addr(1), {Fn("f", "", "dir/bug.c", 12)}));
  EXPECT_FALSE(SuppressionMatches(src, Addr(1), {Fn("f", "", "dir/bug.c", 13)}));
  auto any_line = Parse("{\n n\n Memcheck:Addr1\n src:bug.*\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(any_line, Addr(1), {Fn("f", "", "bug.c", 99)}));
  EXPECT_FALSE(SuppressionMatches(any_line, Addr(1), {Fn("f")}));  // no source: no match
}

TEST(SuppressionMatchTest, LeakKindsAndParams) {
  auto s = Parse("{\n n\n Memcheck:Leak\n match-leak-kinds: possible\n fun:malloc\n}\n")[0];
  MemcheckError leak;
  leak.kind = ErrorKind::LeakPossiblyLost;
  EXPECT_TRUE(SuppressionMatches(s, leak, {Fn("malloc")}));
  leak.kind = ErrorKind::LeakDefinitelyLost;
  EXPECT_FALSE(SuppressionMatches(s, leak, {Fn("malloc")}));
  auto any = Parse("{\n n\n Memcheck:Leak\n fun:malloc\n}\n")[0];
  EXPECT_TRUE(SuppressionMatches(any, leak, {Fn("malloc")}));

  auto p = Parse("{\n n\n Memcheck:Param\n fd_write(buf)\n fun:*\n}\n")[0];
  MemcheckError param;
  param.kind = ErrorKind::SyscallParam;
  param.param = "fd_write(buf)";
  EXPECT_TRUE(SuppressionMatches(p, param, {Fn("writev")}));
  param.param = "path_open(path)";
  EXPECT_FALSE(SuppressionMatches(p, param, {Fn("writev")}));
}

TEST(GenerateSuppressionTest, ValgrindsTextAndRoundTrip) {
  MemcheckError e;
  e.kind = ErrorKind::MismatchedFree;
  std::vector<SymbolizedFrame> stack = {Fn("operator delete(void*)", "_ZdlPv"), Fn("main"),
                                        SymbolizedFrame{}};
  stack[2].object = "/work/prog.wasm";
  Suppression s = GenerateSuppression(e, stack);
  EXPECT_EQ(FormatSuppression(s),
            "{\n"
            "   <insert_a_suppression_name_here>\n"
            "   Memcheck:Free\n"
            "   fun:_ZdlPv\n"
            "   fun:main\n"
            "   obj:/work/prog.wasm\n"
            "}\n");
  auto back = ParseSuppressions(FormatSuppression(s), "gen");
  ASSERT_TRUE(back.ok()) << back.error();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_TRUE(SuppressionMatches(back.value()[0], e, stack));
}

// Valgrind's frame of a stack not kept (--keep-stacktraces), "at 0x0: ???", names nothing:
// its line is obj:*, which matches it back.
TEST(GenerateSuppressionTest, AFrameNamingNothingIsAnyObject) {
  MemcheckError e;
  e.kind = ErrorKind::LeakDefinitelyLost;
  const std::vector<SymbolizedFrame> unknown = {SymbolizedFrame{}};
  const Suppression s = GenerateSuppression(e, unknown);
  EXPECT_EQ(FormatSuppression(s),
            "{\n   <insert_a_suppression_name_here>\n   Memcheck:Leak\n"
            "   match-leak-kinds: definite\n   obj:*\n}\n");
  EXPECT_TRUE(SuppressionMatches(s, e, unknown));
}

TEST(GenerateSuppressionTest, LeakSuppressionNamesItsKind) {
  MemcheckError e;
  e.kind = ErrorKind::LeakIndirectlyLost;
  EXPECT_EQ(FormatSuppression(GenerateSuppression(e, {Fn("malloc"), Fn("main")})),
            "{\n   <insert_a_suppression_name_here>\n   Memcheck:Leak\n"
            "   match-leak-kinds: indirect\n   fun:malloc\n   fun:main\n}\n");
  e.kind = ErrorKind::InvalidRead;
  e.access_size = 8;
  EXPECT_NE(FormatSuppression(GenerateSuppression(e, {Fn("f")})).find("Memcheck:Addr8\n"),
            std::string::npos);
}

}  // namespace
}  // namespace wasmgrind::memcheck
