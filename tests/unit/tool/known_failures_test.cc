// The known-failures list: parsing, and the two-way comparison with a run's failures.
#include "known_failures.h"

#include <gtest/gtest.h>

namespace wasmgrind {
namespace {

KnownFailures List(const char* text) {
  auto list = KnownFailures::Parse(text, "kf.txt");
  EXPECT_TRUE(list.ok()) << (list.ok() ? "" : list.error().message);
  return *list;
}

TEST(KnownFailures, ParsesEntriesAndComments) {
  KnownFailures list = List(
      "# header comment\n"
      "\n"
      "i32.wast:12\n"
      "  float_exprs.wast:300   # NaN sign, jit\n"
      "linking.wast:7\r\n");
  EXPECT_EQ(list.entries().size(), 3u);
  EXPECT_TRUE(list.Contains("i32.wast:12"));
  EXPECT_TRUE(list.Contains("float_exprs.wast:300"));
  EXPECT_TRUE(list.Contains("linking.wast:7"));
  EXPECT_TRUE(List("").entries().empty());
}

TEST(KnownFailures, BadLinesAreErrorsNamingTheLine) {
  for (const char* bad : {"i32.wast\n", "i32.wast:x\n", "i32.wast:\n", ":12\n", "dir/i32.wast:3\n",
                          "i32.wat:3\n", "i32.wast:3 extra\n"}) {
    auto list = KnownFailures::Parse(std::string("# ok\n") + bad, "kf.txt");
    ASSERT_FALSE(list.ok()) << bad;
    EXPECT_NE(list.error().message.find("kf.txt:2:"), std::string::npos) << list.error().message;
  }
}

TEST(KnownFailures, GreenWhenFailuresEqualTheList) {
  KnownFailures list = List("a.wast:1\na.wast:5\n");
  auto v = CompareWithKnown(list, {"a.wast"}, {"a.wast:1", "a.wast:5"});
  EXPECT_TRUE(v.green());
  EXPECT_EQ(v.known, 2u);
}

TEST(KnownFailures, NewFailureIsReported) {
  KnownFailures list = List("a.wast:1\n");
  auto v = CompareWithKnown(list, {"a.wast"}, {"a.wast:1", "a.wast:9"});
  EXPECT_FALSE(v.green());
  EXPECT_EQ(v.new_failures, std::vector<std::string>{"a.wast:9"});
  EXPECT_TRUE(v.unexpected_passes.empty());
  EXPECT_EQ(v.known, 1u);
}

TEST(KnownFailures, ListedCaseThatPassesIsReported) {
  KnownFailures list = List("a.wast:1\na.wast:5\n");
  auto v = CompareWithKnown(list, {"a.wast"}, {"a.wast:1"});
  EXPECT_FALSE(v.green());
  EXPECT_TRUE(v.new_failures.empty());
  EXPECT_EQ(v.unexpected_passes, std::vector<std::string>{"a.wast:5"});
}

TEST(KnownFailures, EntriesOfFilesNotRunAreIgnored) {
  KnownFailures list = List("a.wast:1\nb.wast:2\n");
  auto v = CompareWithKnown(list, {"a.wast"}, {"a.wast:1"});
  EXPECT_TRUE(v.green());
  // ...but a failure in a file that was run is new even if another file lists that line.
  auto v2 = CompareWithKnown(list, {"a.wast", "c.wast"}, {"a.wast:1", "c.wast:2"});
  EXPECT_EQ(v2.new_failures, std::vector<std::string>{"c.wast:2"});
}

TEST(KnownFailures, NoListMeansEveryFailureIsNew) {
  auto v = CompareWithKnown(KnownFailures{}, {"a.wast"}, {"a.wast:3"});
  EXPECT_FALSE(v.green());
  EXPECT_TRUE(CompareWithKnown(KnownFailures{}, {"a.wast"}, {}).green());
}

TEST(KnownFailures, LoadReportsMissingFile) {
  auto list = KnownFailures::Load("/nonexistent/known_failures.txt");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().kind, ErrorKind::Io);
}

}  // namespace
}  // namespace wasmgrind
