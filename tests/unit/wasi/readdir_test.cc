// fd_readdir without a cached listing: cookies are directory positions, any record's d_next
// continues after it (from any descriptor on the directory), and descriptors on a large
// directory cost no memory between calls.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstring>
#include <map>
#include <set>

#include "wasi_functions.h"
#include "wasi_test_util.h"

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

constexpr Fd kPreopen = 3;

class ReaddirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.MakeDir("pre/big");
    for (int i = 0; i < kFiles; ++i) tmp_.WriteFile("pre/big/file-" + std::to_string(i), "");
    WasiOptions options;
    options.preopens = {{tmp_.Join("pre"), "/sandbox"}};
    auto ctx = WasiContext::Create(options);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = std::move(ctx).value();
    memory_.assign(kMemSize, 0);
    ctx_->BindMemoryView([this] { return GuestMemory(memory_.data(), memory_.size()); });
  }

  ErrnoOr<Fd> OpenBig() {
    std::memcpy(memory_.data() + kPathBuf, "big", 3);
    Errno e =
        PathOpen(*ctx_, kPreopen, 0, kPathBuf, 3, kOflagDirectory, right::kFdReaddir, 0, 0, kOut);
    if (e != Errno::Success) return e;
    uint32_t fd;
    std::memcpy(&fd, memory_.data() + kOut, 4);
    return fd;
  }

  struct Record {
    std::string name;
    WasiDirent header;
  };
  // One fd_readdir call: the complete records, and whether the buffer came back full.
  std::vector<Record> ReadOnce(Fd fd, uint64_t cookie, uint32_t buf_len, bool* full) {
    std::vector<Record> records;
    EXPECT_EQ(FdReaddir(*ctx_, fd, kBuf, buf_len, cookie, kOut), Errno::Success);
    uint32_t used;
    std::memcpy(&used, memory_.data() + kOut, 4);
    *full = used == buf_len;
    size_t pos = 0;
    while (pos + sizeof(WasiDirent) <= used) {
      Record r;
      std::memcpy(&r.header, memory_.data() + kBuf + pos, sizeof r.header);
      if (pos + sizeof(WasiDirent) + r.header.d_namlen > used) break;  // cut off
      r.name.assign(reinterpret_cast<char*>(memory_.data() + kBuf + pos + sizeof(WasiDirent)),
                    r.header.d_namlen);
      records.push_back(r);
      pos += sizeof(WasiDirent) + r.header.d_namlen;
    }
    return records;
  }

  // The whole listing as wasi-libc reads it: from each last complete record's d_next.
  std::vector<Record> ReadAll(Fd fd, uint32_t buf_len) {
    std::vector<Record> all;
    uint64_t cookie = 0;
    for (int calls = 0; calls < 100000; ++calls) {
      bool full = false;
      std::vector<Record> got = ReadOnce(fd, cookie, buf_len, &full);
      all.insert(all.end(), got.begin(), got.end());
      if (!full) return all;
      EXPECT_FALSE(got.empty()) << "buffer too small for one record";
      if (got.empty()) return all;
      cookie = got.back().header.d_next;
    }
    ADD_FAILURE() << "fd_readdir never reached the end";
    return all;
  }

  static constexpr int kFiles = 1000;
  static constexpr uint64_t kMemSize = 1 << 20;
  static constexpr GuestPtr kOut = 16;
  static constexpr GuestPtr kPathBuf = 1024;
  static constexpr GuestPtr kBuf = 4096;

  TempDir tmp_;
  std::unique_ptr<WasiContext> ctx_;
  std::vector<uint8_t> memory_;
};

TEST_F(ReaddirTest, CookiesWalkTheWholeDirectoryOnce) {
  auto fd = OpenBig();
  ASSERT_TRUE(fd.ok());
  std::vector<Record> all = ReadAll(*fd, 200);  // a few records per call, the last cut off
  std::multiset<std::string> names;
  for (const Record& r : all) names.insert(r.name);
  std::multiset<std::string> expected = {".", ".."};
  for (int i = 0; i < kFiles; ++i) expected.insert("file-" + std::to_string(i));
  EXPECT_EQ(names, expected);
  for (const Record& r : all) {
    if (r.name == "." || r.name == "..") continue;
    EXPECT_EQ(r.header.d_type, static_cast<uint8_t>(Filetype::RegularFile)) << r.name;
    EXPECT_NE(r.header.d_next, 0u) << r.name;  // 0 would restart the listing
  }
  // Any record's d_next continues after it, on any descriptor of the directory.
  auto other = OpenBig();
  ASSERT_TRUE(other.ok());
  bool full = false;
  std::vector<Record> rest = ReadOnce(*other, all[500].header.d_next, 64 * 1024, &full);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().name, all[501].name);
  EXPECT_EQ(rest.size(), all.size() - 501);
  // Cookie 0 starts over.
  std::vector<Record> again = ReadOnce(*fd, 0, 200, &full);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again.front().name, all.front().name);
}

TEST_F(ReaddirTest, OpenListingsCostNoMemory) {
  // 50 descriptors each part-way through a 1000-entry listing: a per-descriptor cache of the
  // listing (what fd_readdir kept before) would hold 50,000 entries, megabytes.
  std::vector<Fd> fds;
  for (int i = 0; i < 50; ++i) {
    auto fd = OpenBig();
    ASSERT_TRUE(fd.ok());
    fds.push_back(*fd);
  }
  bool full = false;
  ReadOnce(fds[0], 0, 200, &full);  // warm up whatever the first call allocates
  size_t before = mallinfo2().uordblks;
  for (Fd fd : fds) {
    std::vector<Record> first = ReadOnce(fd, 0, 200, &full);
    ASSERT_TRUE(full);
    ReadOnce(fd, first.back().header.d_next, 200, &full);
  }
  size_t after = mallinfo2().uordblks;
  EXPECT_LT(after, before + size_t{64} * 1024) << "heap grew by " << (after - before) << " bytes";
}

}  // namespace
}  // namespace wasmgrind::wasi
