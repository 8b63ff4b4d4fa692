// Leak searches mid-run (VALGRIND_DO_LEAK_CHECK, _ADDED_, _CHANGED_, _NEW_, _QUICK_) and the
// totals COUNT_LEAKS returns: loss records kept from search to search, the changes printed, as
// valgrind 3.19 printed them for a native program making the same requests (malloc 10 bytes
// and lose them; keep 20; DO_LEAK_CHECK; lose 30 more, printf's buffer of 4096 appears;
// DO_ADDED_LEAK_CHECK; DO_QUICK_LEAK_CHECK; DO_CHANGED_LEAK_CHECK; free the 20;
// DO_CHANGED_LEAK_CHECK; exit with --leak-check=summary).
#include <gtest/gtest.h>

#include <sstream>

#include "error_manager_fixture.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

class LeakSearchTest : public ErrorManagerFixture {
 protected:
  void SetUp() override { Start(); }
  BacktraceId Site(uint32_t line) {
    return backtraces_.Intern({{kMalloc, 0x200}, {kMain, Line(line)}});
  }
  LossRecord Record(LeakKind kind, uint32_t line, uint64_t bytes) {
    LossRecord r;
    r.kind = kind;
    r.alloc_site = Site(line);
    r.bytes = bytes;
    r.blocks = 1;
    return r;
  }
  // The blocks alive at a search, as FindLeaks groups them (in its order).
  static LeakResult Live(std::vector<LossRecord> records) {
    LeakResult r;
    r.records = std::move(records);
    return r;
  }
  // What the report said since the last call, without the stack lines (FakeSymbolizer's,
  // not Valgrind's).
  std::string Said() {
    std::istringstream in(sink_.text().substr(said_));
    said_ = sink_.text().size();
    std::string out;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("==7==    at ", 0) == 0 || line.rfind("==7==    by ", 0) == 0) continue;
      out += line + "\n";
    }
    return out;
  }

  size_t said_ = 0;
};

TEST_F(LeakSearchTest, ChangesSinceTheLastSearchAreValgrinds) {
  const LossRecord lost10 = Record(LeakKind::Definite, 6, 10);
  LossRecord kept20 = Record(LeakKind::Reachable, 8, 20);
  const LossRecord lost30 = Record(LeakKind::Definite, 15, 30);
  const LossRecord buffer = Record(LeakKind::Reachable, 40, 4096);

  manager_->ReportLeaks(Live({lost10, kept20}), {LeakCheck::Full, LeakDelta::Any});
  EXPECT_EQ(Said(),
            "==7== 10 bytes in 1 blocks are definitely lost in loss record 1 of 2\n"
            "==7== \n"
            "==7== LEAK SUMMARY:\n"
            "==7==    definitely lost: 10 bytes in 1 blocks\n"
            "==7==    indirectly lost: 0 bytes in 0 blocks\n"
            "==7==      possibly lost: 0 bytes in 0 blocks\n"
            "==7==    still reachable: 20 bytes in 1 blocks\n"
            "==7==         suppressed: 0 bytes in 0 blocks\n"
            "==7== Reachable blocks (those to which a pointer was found) are not shown.\n"
            "==7== To see them, rerun with: --leak-check=full --show-leak-kinds=all\n"
            "==7== \n");
  EXPECT_EQ(manager_->last_leaks().of(LeakKind::Definite).bytes, 10u);
  EXPECT_EQ(manager_->last_leaks().of(LeakKind::Reachable).blocks, 1u);

  const LeakResult four = Live({lost10, kept20, lost30, buffer});
  manager_->ReportLeaks(four, {LeakCheck::Full, LeakDelta::Increased});
  EXPECT_EQ(Said(),
            "==7== 30 (+30) bytes in 1 (+1) blocks are definitely lost in loss record 3 of 4\n"
            "==7== \n"
            "==7== LEAK SUMMARY:\n"
            "==7==    definitely lost: 40 (+30) bytes in 2 (+1) blocks\n"
            "==7==    indirectly lost: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7==      possibly lost: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7==    still reachable: 4,116 (+4,096) bytes in 2 (+1) blocks\n"
            "==7==         suppressed: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7== Reachable blocks (those to which a pointer was found) are not shown.\n"
            "==7== To see them, rerun with: --leak-check=full --show-leak-kinds=all\n"
            "==7== \n");

  manager_->ReportLeaks(four, {LeakCheck::Summary, LeakDelta::Any});
  EXPECT_EQ(Said(),
            "==7== LEAK SUMMARY:\n"
            "==7==    definitely lost: 40 bytes in 2 blocks\n"
            "==7==    indirectly lost: 0 bytes in 0 blocks\n"
            "==7==      possibly lost: 0 bytes in 0 blocks\n"
            "==7==    still reachable: 4,116 bytes in 2 blocks\n"
            "==7==         suppressed: 0 bytes in 0 blocks\n"
            "==7== Rerun with --leak-check=full to see details of leaked memory\n"
            "==7== \n");

  manager_->ReportLeaks(four, {LeakCheck::Full, LeakDelta::Changed});
  EXPECT_NE(Said().find("   definitely lost: 40 (+0) bytes in 2 (+0) blocks\n"), std::string::npos);

  // The 20 bytes freed: their record stays, empty, and counts in "of 4".
  options_.show_leak_kinds = LeakKindSet::All();
  manager_->ReportLeaks(Live({lost10, lost30, buffer}), {LeakCheck::Full, LeakDelta::Changed});
  EXPECT_EQ(Said(),
            "==7== 0 (-20) bytes in 0 (-1) blocks are still reachable in loss record 1 of 4\n"
            "==7== \n"
            "==7== LEAK SUMMARY:\n"
            "==7==    definitely lost: 40 (+0) bytes in 2 (+0) blocks\n"
            "==7==    indirectly lost: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7==      possibly lost: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7==    still reachable: 4,096 (-20) bytes in 1 (-1) blocks\n"
            "==7==         suppressed: 0 (+0) bytes in 0 (+0) blocks\n"
            "==7== \n");

  // At exit (--leak-check=summary): no changes, no records. The definitely lost records of the
  // first two searches were the errors.
  LeakResult at_exit = Live({lost10, lost30});
  manager_->Finish(nullptr, &at_exit);
  EXPECT_NE(Said().find("==7==    definitely lost: 40 bytes in 2 blocks\n"
                        "==7==    indirectly lost: 0 bytes in 0 blocks\n"
                        "==7==      possibly lost: 0 bytes in 0 blocks\n"
                        "==7==    still reachable: 0 bytes in 0 blocks\n"),
            std::string::npos);
  EXPECT_EQ(manager_->counts().errors, 2u);
  EXPECT_EQ(manager_->counts().contexts, 2u);
}

TEST_F(LeakSearchTest, NewRecordsOnly) {
  manager_->ReportLeaks(Live({Record(LeakKind::Definite, 6, 10)}), {});
  Said();
  manager_->ReportLeaks(
      Live({Record(LeakKind::Definite, 6, 10), Record(LeakKind::Definite, 7, 12)}),
      {LeakCheck::Full, LeakDelta::New});
  EXPECT_EQ(Said().find("10 (+0) bytes"), std::string::npos);
  EXPECT_EQ(manager_->counts().errors, 2u);  // the first search's, and the new record
}

TEST_F(LeakSearchTest, NoLiveBlockKeepsTheLastTotalsAndForgetsTheRecords) {
  manager_->ReportLeaks(Live({Record(LeakKind::Definite, 6, 10)}), {});
  manager_->ReportLeaks(Live({}), {LeakCheck::Full, LeakDelta::Changed});
  EXPECT_NE(Said().find("==7== All heap blocks were freed -- no leaks are possible\n"),
            std::string::npos);
  // As Valgrind's COUNT_LEAKS after such a search: the totals of the one before.
  EXPECT_EQ(manager_->last_leaks().of(LeakKind::Definite).bytes, 10u);
  // The records were forgotten: the block found again is new, not unchanged.
  manager_->ReportLeaks(Live({Record(LeakKind::Definite, 6, 10)}),
                        {LeakCheck::Full, LeakDelta::Increased});
  EXPECT_NE(
      Said().find("10 (+10) bytes in 1 (+1) blocks are definitely lost in loss record 1 of 1"),
      std::string::npos);
}

TEST_F(LeakSearchTest, QuietShowsTheRecordsNotTheSummary) {
  options_.quiet = true;
  Start();
  manager_->ReportLeaks(Live({Record(LeakKind::Definite, 6, 10)}), {});
  const std::string said = Said();
  EXPECT_NE(said.find("10 bytes in 1 blocks are definitely lost"), std::string::npos);
  EXPECT_EQ(said.find("LEAK SUMMARY"), std::string::npos);
}

// Valgrind prints a heuristic's line while it reached blocks in this search or the last one,
// in every mode.
TEST_F(LeakSearchTest, AHeuristicsLineStaysOneSearchAfterItsBlocksGo) {
  LeakResult first = Live({Record(LeakKind::Reachable, 6, 28)});
  first.reachable_via[static_cast<int>(LeakHeuristic::NewArray)] = {28, 1};
  manager_->ReportLeaks(first, {});
  Said();
  manager_->ReportLeaks(Live({Record(LeakKind::Reachable, 6, 28)}), {});
  EXPECT_NE(Said().find("==7==                       of which reachable via heuristic:\n"
                        "==7==                         newarray           : 0 bytes in 0 blocks\n"),
            std::string::npos);
  manager_->ReportLeaks(Live({Record(LeakKind::Reachable, 6, 28)}), {});
  EXPECT_EQ(Said().find("of which reachable via heuristic"), std::string::npos);
}

TEST(LossRecordChangeTest, DirectAndIndirectChanges) {
  LossRecord before;
  before.kind = LeakKind::Definite;
  before.bytes = 8;
  before.indirect_bytes = 40;
  before.blocks = 2;
  LossRecord now = before;
  now.bytes = 16;
  now.indirect_bytes = 16;
  now.blocks = 3;
  EXPECT_EQ(LossRecordText(now, 2, 3, &before),
            "32 (-16) (16 (+8) direct, 16 (-24) indirect) bytes in 3 (+1) blocks are definitely "
            "lost in loss record 2 of 3");
}

}  // namespace
}  // namespace wasmgrind::memcheck
