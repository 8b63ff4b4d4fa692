// What the descriptor table remembers for `run --memcheck --track-fds`: the path a descriptor
// was opened as (a preopen's name in front, as the program wrote it to open()), the site the
// context's OpenSiteHook gave for it, the order entries were made in; fd_renumber as
// Valgrind records dup2 (the target keeps its place, and gets the moved descriptor's path and
// the renumbering's site); stdio and preopens as inherited.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "wasi_functions.h"
#include "wasi_test_util.h"

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

constexpr Fd kPreopen = 3;
constexpr GuestPtr kPathBuf = 0x100, kOut = 0x10;
constexpr Rights kRights = right::kFdRead | right::kFdWrite;

class OpenSitesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.MakeDir("pre/sub");
    WasiOptions options;
    options.preopens = {{tmp_.Join("pre"), "/sandbox"}, {tmp_.Join("pre"), "."}};
    auto ctx = WasiContext::Create(options);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = std::move(ctx).value();
    memory_.assign(0x1000, 0);
    ctx_->BindMemoryView([this] { return GuestMemory(memory_.data(), memory_.size()); });
    // Each call of the hook is a new site: 100, 101, ...
    ctx_->set_open_site_hook([this] { return next_site_++; });
  }

  // path_open of `path` relative to `dir`; the new fd.
  Fd Open(std::string_view path, Fd dir = kPreopen, uint32_t oflags = kOflagCreat,
          Rights rights = kRights) {
    std::memcpy(memory_.data() + kPathBuf, path.data(), path.size());
    EXPECT_EQ(PathOpen(*ctx_, dir, 0, kPathBuf, static_cast<GuestSize>(path.size()), oflags, rights,
                       rights, 0, kOut),
              Errno::Success)
        << path;
    uint32_t fd = 0;
    std::memcpy(&fd, memory_.data() + kOut, sizeof fd);
    return fd;
  }
  const FdEntry& Entry(Fd fd) {
    auto entry = ctx_->fds().Get(fd);
    EXPECT_TRUE(entry.ok()) << fd;
    return **entry;
  }
  // The open descriptors, the most recently made first (Valgrind's order).
  std::vector<Fd> NewestFirst() {
    auto entries = ctx_->fds().Entries();
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.second->creation > b.second->creation; });
    std::vector<Fd> fds;
    for (const auto& [fd, entry] : entries) fds.push_back(fd);
    return fds;
  }

  TempDir tmp_;
  std::unique_ptr<WasiContext> ctx_;
  std::vector<uint8_t> memory_;
  uint64_t next_site_ = 100;
};

TEST_F(OpenSitesTest, PathOpenRecordsThePathAsTheProgramNamedItAndTheSite) {
  const Fd a = Open("a.txt");
  ASSERT_TRUE(Entry(a).opened_by.has_value());
  EXPECT_EQ(Entry(a).opened_by->path, "/sandbox/a.txt");  // open("/sandbox/a.txt")
  EXPECT_EQ(Entry(a).opened_by->site, 100u);
  const Fd b = Open("b.txt", /*dir=*/4);  // the preopen "." adds nothing
  EXPECT_EQ(Entry(b).opened_by->path, "b.txt");
  EXPECT_EQ(Entry(b).opened_by->site, 101u);
  const Fd sub = Open("sub", kPreopen, kOflagDirectory,
                      right::kPathOpen | right::kPathCreateFile | right::kFdRead);
  const Fd c = Open("c.txt", sub);  // openat(sub, "c.txt"): the path it was given
  EXPECT_EQ(Entry(c).opened_by->path, "c.txt");
  EXPECT_EQ(Entry(sub).opened_by->path, "/sandbox/sub");
}

TEST_F(OpenSitesTest, StdioAndPreopensAreInherited) {
  for (Fd fd : {Fd{0}, Fd{1}, Fd{2}, kPreopen, Fd{4}}) {
    EXPECT_FALSE(Entry(fd).opened_by.has_value()) << fd;
  }
  EXPECT_EQ(next_site_, 100u);  // nothing asked the hook
}

TEST_F(OpenSitesTest, WithoutAHookTheSiteIsNone) {
  ctx_->set_open_site_hook(nullptr);
  const Fd a = Open("a.txt");
  ASSERT_TRUE(Entry(a).opened_by.has_value());
  EXPECT_EQ(Entry(a).opened_by->site, 0u);
}

TEST_F(OpenSitesTest, RenumberIsRecordedAsValgrindRecordsDup2) {
  const Fd kept = Open("kept.txt");      // 5
  const Fd target = Open("target.txt");  // 6
  const Fd moved = Open("moved.txt");    // 7
  EXPECT_EQ(NewestFirst(), (std::vector<Fd>{moved, target, kept, 4, kPreopen, 2, 1, 0}));
  ASSERT_EQ(FdRenumber(*ctx_, moved, target), Errno::Success);
  // The target keeps its place in the list, names what `moved` did, made at the renumbering.
  EXPECT_EQ(NewestFirst(), (std::vector<Fd>{target, kept, 4, kPreopen, 2, 1, 0}));
  EXPECT_EQ(Entry(target).opened_by->path, "/sandbox/moved.txt");
  EXPECT_EQ(Entry(target).opened_by->site, 103u);
  // A preopen renumbered is the program's own from then on, under its name.
  ASSERT_EQ(FdRenumber(*ctx_, kPreopen, kept), Errno::Success);
  EXPECT_EQ(Entry(kept).opened_by->path, "/sandbox");
  EXPECT_EQ(Entry(kept).opened_by->site, 104u);
  // A closed descriptor is gone from the table, and a new one is the newest.
  ASSERT_EQ(FdClose(*ctx_, target), Errno::Success);
  const Fd again = Open("again.txt", /*dir=*/4);
  EXPECT_EQ(NewestFirst(), (std::vector<Fd>{again, kept, 4, 2, 1, 0}));
}

}  // namespace
}  // namespace wasmgrind::wasi
