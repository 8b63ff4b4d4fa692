// The preview1 handlers called directly (no engine): a WasiContext over a 64 KiB buffer as
// guest memory, a temporary directory preopened as fd 3, stdin/stdout in temporary files.
// Checks results, struct layouts as the guest sees them, and Fault on bad pointers.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "wasi_functions.h"
#include "wasi_test_util.h"

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

constexpr Fd kPreopen = 3;
constexpr Rights kReadWrite = right::kFdRead | right::kFdWrite | right::kFdSeek | right::kFdTell |
                              right::kFdFilestatGet | right::kFdReaddir |
                              right::kFdFilestatSetSize | right::kFdFdstatSetFlags |
                              right::kFdFilestatSetTimes;

class WasiHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.MakeDir("pre");
    tmp_.WriteFile("stdin.txt", "line one\nline two\n");
    tmp_.WriteFile("secret.txt", "secret");
    stdin_ = UniqueFd(open(tmp_.Join("stdin.txt").c_str(), O_RDONLY));
    stdout_ = UniqueFd(open(tmp_.Join("stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    WasiOptions options;
    options.args = {"prog", "hello", "wörld"};
    options.env = {{"A", "1"}, {"EMPTY", ""}};
    options.preopens = {{tmp_.Join("pre"), "/sandbox"}};
    options.stdin_fd = stdin_.get();
    options.stdout_fd = stdout_.get();
    options.stderr_fd = stdout_.get();
    auto ctx = WasiContext::Create(options);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = std::move(ctx).value();
    memory_.assign(kMemSize, 0);
    ctx_->BindMemoryView([this] { return GuestMemory(memory_.data(), memory_.size()); });
  }

  GuestPtr Put(GuestPtr at, std::string_view s) {
    std::memcpy(memory_.data() + at, s.data(), s.size());
    return at;
  }
  template <typename T>
  T Get(GuestPtr at) {
    T v;
    std::memcpy(&v, memory_.data() + at, sizeof v);
    return v;
  }
  template <typename T>
  void Set(GuestPtr at, const T& v) {
    std::memcpy(memory_.data() + at, &v, sizeof v);
  }

  // path_open relative to the preopen; returns the new fd or the errno.
  ErrnoOr<Fd> Open(std::string_view path, uint32_t oflags = 0, Rights rights = kReadWrite,
                   uint32_t lookup = kLookupSymlinkFollow, uint32_t fdflags = 0) {
    Put(kPathBuf, path);
    Errno e = PathOpen(*ctx_, kPreopen, lookup, kPathBuf, static_cast<GuestSize>(path.size()),
                       oflags, rights, rights, fdflags, kOut);
    if (e != Errno::Success) return e;
    return Get<uint32_t>(kOut);
  }
  Errno Write(Fd fd, std::string_view data) {
    Put(kDataBuf, data);
    Set(kIovs, WasiIovec{kDataBuf, static_cast<uint32_t>(data.size())});
    return FdWrite(*ctx_, fd, kIovs, 1, kOut);
  }
  ErrnoOr<std::string> Read(Fd fd, uint32_t max) {
    Set(kIovs, WasiIovec{kDataBuf, max});
    Errno e = FdRead(*ctx_, fd, kIovs, 1, kOut);
    if (e != Errno::Success) return e;
    return std::string(reinterpret_cast<char*>(memory_.data() + kDataBuf), Get<uint32_t>(kOut));
  }
  Errno PathCall(Errno (*fn)(WasiContext&, Fd, GuestPtr, GuestSize), std::string_view path) {
    Put(kPathBuf, path);
    return fn(*ctx_, kPreopen, kPathBuf, static_cast<GuestSize>(path.size()));
  }

  static constexpr uint64_t kMemSize = 65536;
  static constexpr GuestPtr kOut = 16;
  static constexpr GuestPtr kIovs = 64;
  static constexpr GuestPtr kPathBuf = 1024;
  static constexpr GuestPtr kPathBuf2 = 8192;
  static constexpr GuestPtr kDataBuf = 16384;
  static constexpr GuestPtr kEnd = static_cast<GuestPtr>(kMemSize);

  TempDir tmp_;
  UniqueFd stdin_, stdout_;
  std::unique_ptr<WasiContext> ctx_;
  std::vector<uint8_t> memory_;
};

TEST_F(WasiHandlersTest, Args) {
  ASSERT_EQ(ArgsSizesGet(*ctx_, kOut, kOut + 4), Errno::Success);
  EXPECT_EQ(Get<uint32_t>(kOut), 3u);
  EXPECT_EQ(Get<uint32_t>(kOut + 4), 5u + 6u + 7u);  // "wörld" is 6 bytes of UTF-8
  ASSERT_EQ(ArgsGet(*ctx_, 100, 200), Errno::Success);
  EXPECT_EQ(Get<uint32_t>(100), 200u);
  EXPECT_STREQ(reinterpret_cast<char*>(memory_.data() + Get<uint32_t>(104)), "hello");
  EXPECT_STREQ(reinterpret_cast<char*>(memory_.data() + Get<uint32_t>(108)), "wörld");
  EXPECT_EQ(ArgsGet(*ctx_, kEnd - 8, 200), Errno::Fault);
  EXPECT_EQ(ArgsGet(*ctx_, 100, kEnd - 10), Errno::Fault);
  EXPECT_EQ(ArgsSizesGet(*ctx_, kEnd - 2, 0), Errno::Fault);
}

TEST_F(WasiHandlersTest, Environ) {
  ASSERT_EQ(EnvironSizesGet(*ctx_, kOut, kOut + 4), Errno::Success);
  EXPECT_EQ(Get<uint32_t>(kOut), 2u);
  EXPECT_EQ(Get<uint32_t>(kOut + 4), 4u + 7u);
  ASSERT_EQ(EnvironGet(*ctx_, 100, 200), Errno::Success);
  EXPECT_STREQ(reinterpret_cast<char*>(memory_.data() + Get<uint32_t>(100)), "A=1");
  EXPECT_STREQ(reinterpret_cast<char*>(memory_.data() + Get<uint32_t>(104)), "EMPTY=");
}

TEST_F(WasiHandlersTest, InvalidOptionsAreUsageErrors) {
  WasiOptions bad;
  bad.env = {{"A=B", "x"}};
  auto ctx = WasiContext::Create(bad);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().kind, ErrorKind::Usage);
  WasiOptions missing;
  missing.preopens = {{tmp_.Join("does-not-exist"), "/x"}};
  auto ctx2 = WasiContext::Create(missing);
  ASSERT_FALSE(ctx2.ok());
  EXPECT_EQ(ctx2.error().kind, ErrorKind::Io);
}

TEST_F(WasiHandlersTest, NoMemoryBoundIsFault) {
  ctx_->BindMemoryView(nullptr);
  EXPECT_EQ(ArgsSizesGet(*ctx_, 0, 4), Errno::Fault);
}

TEST_F(WasiHandlersTest, StdioReadWrite) {
  auto line = Read(0, 5);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, "line ");
  // Two iovecs, one empty.
  Put(kDataBuf, "out:");
  Put(kDataBuf + 100, "put\n");
  Set(kIovs, WasiIovec{kDataBuf, 4});
  Set(kIovs + 8, WasiIovec{kDataBuf + 50, 0});
  Set(kIovs + 16, WasiIovec{kDataBuf + 100, 4});
  ASSERT_EQ(FdWrite(*ctx_, 1, kIovs, 3, kOut), Errno::Success);
  EXPECT_EQ(Get<uint32_t>(kOut), 8u);
  EXPECT_EQ(tmp_.ReadFile("stdout.txt"), "out:put\n");
}

TEST_F(WasiHandlersTest, BadPointersAreFaultsAndWriteNothing) {
  Set(kIovs, WasiIovec{kEnd - 2, 4});
  EXPECT_EQ(FdWrite(*ctx_, 1, kIovs, 1, kOut), Errno::Fault);
  Set(kIovs, WasiIovec{0xfffffff0u, 0x20});
  EXPECT_EQ(FdWrite(*ctx_, 1, kIovs, 1, kOut), Errno::Fault);
  EXPECT_EQ(FdWrite(*ctx_, 1, kEnd - 4, 1, kOut), Errno::Fault);
  Set(kIovs, WasiIovec{kDataBuf, 4});
  EXPECT_EQ(FdWrite(*ctx_, 1, kIovs, 1, kEnd), Errno::Fault);  // result pointer
  EXPECT_EQ(FdRead(*ctx_, 0, kIovs, 1, kEnd - 3), Errno::Fault);
  EXPECT_EQ(tmp_.ReadFile("stdout.txt"), "");
  EXPECT_EQ(RandomGet(*ctx_, kEnd - 10, 11), Errno::Fault);
  EXPECT_EQ(ClockTimeGet(*ctx_, 0, 0, kEnd - 7), Errno::Fault);
  EXPECT_EQ(PathCall(PathCreateDirectory, "x"), Errno::Success);
  EXPECT_EQ(PathCreateDirectory(*ctx_, kPreopen, kEnd - 1, 2), Errno::Fault);
  EXPECT_EQ(FdPrestatDirName(*ctx_, kPreopen, kEnd - 3, 8), Errno::Fault);
  // The name would fit, the buffer the guest claims would not.
  EXPECT_EQ(FdPrestatDirName(*ctx_, kPreopen, kEnd - 8, 9), Errno::Fault);
  EXPECT_EQ(FdPrestatDirName(*ctx_, kPreopen, kEnd - 8, 8), Errno::Success);
}

TEST_F(WasiHandlersTest, BadDescriptors) {
  EXPECT_EQ(FdWrite(*ctx_, 99, kIovs, 0, kOut), Errno::Badf);
  EXPECT_EQ(FdClose(*ctx_, 99), Errno::Badf);
  EXPECT_EQ(FdWrite(*ctx_, kPreopen, kIovs, 0, kOut), Errno::NotCapable);  // a directory
  EXPECT_EQ(FdSeek(*ctx_, 0xffffffffu, 0, 0, kOut), Errno::Badf);
}

TEST_F(WasiHandlersTest, Prestat) {
  ASSERT_EQ(FdPrestatGet(*ctx_, kPreopen, kOut), Errno::Success);
  EXPECT_EQ(Get<uint8_t>(kOut), 0);
  EXPECT_EQ(Get<uint32_t>(kOut + 4), 8u);
  ASSERT_EQ(FdPrestatDirName(*ctx_, kPreopen, 100, 8), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(memory_.data() + 100), 8), "/sandbox");
  EXPECT_EQ(FdPrestatDirName(*ctx_, kPreopen, 100, 7), Errno::NameTooLong);
  EXPECT_EQ(FdPrestatGet(*ctx_, kPreopen + 1, kOut), Errno::Badf);
  EXPECT_EQ(FdPrestatGet(*ctx_, 1, kOut), Errno::Badf);
}

TEST_F(WasiHandlersTest, FdstatOfPreopenAndFile) {
  ASSERT_EQ(FdFdstatGet(*ctx_, kPreopen, kOut), Errno::Success);
  auto st = Get<WasiFdstat>(kOut);
  EXPECT_EQ(st.fs_filetype, static_cast<uint8_t>(Filetype::Directory));
  EXPECT_TRUE(st.fs_rights_base & right::kPathOpen);
  EXPECT_TRUE(st.fs_rights_inheriting & right::kFdRead);
  auto fd = Open("f.txt", kOflagCreat, kReadWrite, kLookupSymlinkFollow, kFdflagAppend);
  ASSERT_TRUE(fd.ok()) << ErrnoName(fd.error());
  ASSERT_EQ(FdFdstatGet(*ctx_, *fd, kOut), Errno::Success);
  st = Get<WasiFdstat>(kOut);
  EXPECT_EQ(st.fs_filetype, static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(st.fs_flags, kFdflagAppend);
  EXPECT_EQ(st.fs_rights_base, kReadWrite & ~right::kFdReaddir);  // not for a file
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, *fd, 0), Errno::Success);
  ASSERT_EQ(FdFdstatGet(*ctx_, *fd, kOut), Errno::Success);
  EXPECT_EQ(Get<WasiFdstat>(kOut).fs_flags, 0);
}

TEST_F(WasiHandlersTest, FileLifecycle) {
  auto fd = Open("data.bin", kOflagCreat | kOflagExcl);
  ASSERT_TRUE(fd.ok()) << ErrnoName(fd.error());
  EXPECT_EQ(*fd, 4u);  // lowest free number after the preopen
  EXPECT_EQ(Open("data.bin", kOflagCreat | kOflagExcl).error(), Errno::Exist);
  ASSERT_EQ(Write(*fd, "0123456789"), Errno::Success);
  ASSERT_EQ(FdSeek(*ctx_, *fd, static_cast<uint64_t>(-4), 1, kOut), Errno::Success);  // CUR-4
  EXPECT_EQ(Get<uint64_t>(kOut), 6u);
  EXPECT_EQ(*Read(*fd, 100), "6789");
  ASSERT_EQ(FdTell(*ctx_, *fd, kOut), Errno::Success);
  EXPECT_EQ(Get<uint64_t>(kOut), 10u);
  EXPECT_EQ(FdSeek(*ctx_, *fd, 0, 7, kOut), Errno::Inval);
  // pread/pwrite leave the position alone.
  Set(kIovs, WasiIovec{kDataBuf, 3});
  ASSERT_EQ(FdPread(*ctx_, *fd, kIovs, 1, 2, kOut), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(memory_.data() + kDataBuf), 3), "234");
  Put(kDataBuf, "AB");
  Set(kIovs, WasiIovec{kDataBuf, 2});
  ASSERT_EQ(FdPwrite(*ctx_, *fd, kIovs, 1, 0, kOut), Errno::Success);
  ASSERT_EQ(FdTell(*ctx_, *fd, kOut), Errno::Success);
  EXPECT_EQ(Get<uint64_t>(kOut), 10u);
  ASSERT_EQ(FdFilestatSetSize(*ctx_, *fd, 5), Errno::Success);
  ASSERT_EQ(FdFilestatGet(*ctx_, *fd, kOut), Errno::Success);
  auto st = Get<WasiFilestat>(kOut);
  EXPECT_EQ(st.size, 5u);
  EXPECT_EQ(st.filetype, static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(st.nlink, 1u);
  ASSERT_EQ(FdFilestatSetTimes(*ctx_, *fd, 1'000'000'000ull * 1000, 1'000'000'000ull * 2000,
                               kFstflagAtim | kFstflagMtim),
            Errno::Success);
  ASSERT_EQ(FdFilestatGet(*ctx_, *fd, kOut), Errno::Success);
  EXPECT_EQ(Get<WasiFilestat>(kOut).mtim, 2000'000'000'000ull);
  EXPECT_EQ(FdFilestatSetTimes(*ctx_, *fd, 0, 0, kFstflagAtim | kFstflagAtimNow), Errno::Inval);
  EXPECT_EQ(FdSync(*ctx_, *fd), Errno::NotCapable);  // not among the requested rights
  ASSERT_EQ(FdClose(*ctx_, *fd), Errno::Success);
  EXPECT_EQ(tmp_.ReadFile("pre/data.bin"), "AB234");
  EXPECT_EQ(FdClose(*ctx_, *fd), Errno::Badf);
}

TEST_F(WasiHandlersTest, ReadOnlyRightsRefuseWrites) {
  tmp_.WriteFile("pre/ro.txt", "ro");
  auto fd = Open("ro.txt", 0, right::kFdRead);
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(Write(*fd, "x"), Errno::NotCapable);
  EXPECT_EQ(*Read(*fd, 10), "ro");
}

TEST_F(WasiHandlersTest, DirectoryOperations) {
  ASSERT_EQ(PathCall(PathCreateDirectory, "d"), Errno::Success);
  EXPECT_EQ(PathCall(PathCreateDirectory, "d"), Errno::Exist);
  ASSERT_TRUE(Open("d/one", kOflagCreat).ok());
  ASSERT_TRUE(Open("d/two", kOflagCreat).ok());
  EXPECT_EQ(PathCall(PathRemoveDirectory, "d"), Errno::NotEmpty);
  // rename d/one -> d/three
  Put(kPathBuf, "d/one");
  Put(kPathBuf2, "d/three");
  ASSERT_EQ(PathRename(*ctx_, kPreopen, kPathBuf, 5, kPreopen, kPathBuf2, 7), Errno::Success);
  EXPECT_TRUE(tmp_.Exists("pre/d/three"));
  EXPECT_EQ(PathCall(PathUnlinkFile, "d"), Errno::IsDir);
  EXPECT_EQ(PathCall(PathUnlinkFile, "d/two/"), Errno::NotDir);

  auto dir = Open("d", kOflagDirectory, right::kFdReaddir);
  ASSERT_TRUE(dir.ok()) << ErrnoName(dir.error());
  // Read with a small buffer to exercise cookies and truncated records.
  std::set<std::string> names;
  uint64_t cookie = 0;
  for (int rounds = 0; rounds < 20; ++rounds) {
    ASSERT_EQ(FdReaddir(*ctx_, *dir, kDataBuf, 40, cookie, kOut), Errno::Success);
    uint32_t used = Get<uint32_t>(kOut);
    uint32_t pos = 0;
    while (pos + sizeof(WasiDirent) <= used) {
      auto d = Get<WasiDirent>(kDataBuf + pos);
      if (pos + sizeof(WasiDirent) + d.d_namlen > used) break;  // cut off: ask again
      names.insert(
          std::string(reinterpret_cast<char*>(memory_.data() + kDataBuf + pos + 24), d.d_namlen));
      if (names.count("two") && d.d_namlen == 3) {
        EXPECT_EQ(d.d_type, static_cast<uint8_t>(Filetype::RegularFile));
      }
      cookie = d.d_next;
      pos += sizeof(WasiDirent) + d.d_namlen;
    }
    if (used < 40) break;
  }
  EXPECT_EQ(names, (std::set<std::string>{".", "..", "three", "two"}));
  EXPECT_EQ(FdReaddir(*ctx_, *dir, kEnd - 10, 40, 0, kOut), Errno::Fault);

  ASSERT_EQ(PathCall(PathUnlinkFile, "d/two"), Errno::Success);
  ASSERT_EQ(PathCall(PathUnlinkFile, "d/three"), Errno::Success);
  ASSERT_EQ(PathCall(PathRemoveDirectory, "d"), Errno::Success);
  EXPECT_FALSE(tmp_.Exists("pre/d"));
}

TEST_F(WasiHandlersTest, SymlinksAndLinks) {
  tmp_.WriteFile("pre/target.txt", "T");
  Put(kPathBuf, "target.txt");
  Put(kPathBuf2, "ln");
  ASSERT_EQ(PathSymlink(*ctx_, kPathBuf, 10, kPreopen, kPathBuf2, 2), Errno::Success);
  ASSERT_EQ(PathReadlink(*ctx_, kPreopen, kPathBuf2, 2, kDataBuf, 100, kOut), Errno::Success);
  EXPECT_EQ(Get<uint32_t>(kOut), 10u);
  EXPECT_EQ(*Read(*Open("ln"), 10), "T");
  EXPECT_EQ(Open("ln", 0, kReadWrite, /*lookup=*/0).error(), Errno::Loop);  // O_NOFOLLOW
  // Filestat with and without following.
  ASSERT_EQ(PathFilestatGet(*ctx_, kPreopen, 0, kPathBuf2, 2, kOut), Errno::Success);
  EXPECT_EQ(Get<WasiFilestat>(kOut).filetype, static_cast<uint8_t>(Filetype::SymbolicLink));
  ASSERT_EQ(PathFilestatGet(*ctx_, kPreopen, kLookupSymlinkFollow, kPathBuf2, 2, kOut),
            Errno::Success);
  EXPECT_EQ(Get<WasiFilestat>(kOut).filetype, static_cast<uint8_t>(Filetype::RegularFile));
  // Absolute symlink targets are not planted (PERM, as node).
  Put(kPathBuf, "/etc/passwd");
  Put(kPathBuf2, "abs");
  EXPECT_EQ(PathSymlink(*ctx_, kPathBuf, 11, kPreopen, kPathBuf2, 3), Errno::Perm);
  EXPECT_FALSE(tmp_.Exists("pre/abs"));
  // Hard link.
  Put(kPathBuf, "target.txt");
  Put(kPathBuf2, "hard");
  ASSERT_EQ(PathLink(*ctx_, kPreopen, 0, kPathBuf, 10, kPreopen, kPathBuf2, 4), Errno::Success);
  ASSERT_EQ(PathFilestatGet(*ctx_, kPreopen, 0, kPathBuf, 10, kOut), Errno::Success);
  EXPECT_EQ(Get<WasiFilestat>(kOut).nlink, 2u);
}

// Relative targets that climb out of the directory are not planted either (NOTCAPABLE, as
// node): a host program would follow them. Judged from the link's own directory.
TEST_F(WasiHandlersTest, SymlinkTargetsThatLeaveTheDirectoryAreRefused) {
  tmp_.MakeDir("pre/d");
  tmp_.WriteFile("pre/target.txt", "T");
  auto symlink = [&](std::string_view target, std::string_view link) {
    Put(kPathBuf, target);
    Put(kPathBuf2, link);
    return PathSymlink(*ctx_, kPathBuf, static_cast<GuestSize>(target.size()), kPreopen, kPathBuf2,
                       static_cast<GuestSize>(link.size()));
  };
  EXPECT_EQ(symlink("../../../../etc/passwd", "l1"), Errno::NotCapable);
  EXPECT_EQ(symlink("..", "l2"), Errno::NotCapable);
  EXPECT_EQ(symlink("a/../../secret.txt", "l3"), Errno::NotCapable);
  EXPECT_EQ(symlink("../../secret.txt", "d/l4"), Errno::NotCapable);
  EXPECT_EQ(symlink("../secret.txt", "d/../l5"), Errno::NotCapable);  // the link is in pre/
  for (const char* name : {"pre/l1", "pre/l2", "pre/l3", "pre/d/l4", "pre/l5"})
    EXPECT_FALSE(tmp_.Exists(name)) << name;
  // Targets that stay inside are planted and work.
  ASSERT_EQ(symlink("../target.txt", "d/up"), Errno::Success);
  EXPECT_EQ(*Read(*Open("d/up"), 10), "T");
  ASSERT_EQ(symlink("d/../target.txt", "across"), Errno::Success);
  EXPECT_EQ(*Read(*Open("across"), 10), "T");
}

TEST_F(WasiHandlersTest, EscapesAreRefused) {
  tmp_.Symlink("../secret.txt", "pre/out");
  tmp_.Symlink(tmp_.Join("secret.txt"), "pre/abs");
  tmp_.Symlink("..", "pre/up");
  EXPECT_EQ(Open("../secret.txt").error(), Errno::NotCapable);
  EXPECT_EQ(Open(tmp_.Join("secret.txt")).error(), Errno::NotCapable);
  EXPECT_EQ(Open("out").error(), Errno::NotCapable);
  EXPECT_EQ(Open("abs").error(), Errno::NotCapable);
  EXPECT_EQ(Open("up/secret.txt").error(), Errno::NotCapable);
  EXPECT_EQ(Open("up", kOflagDirectory).error(), Errno::NotCapable);
  EXPECT_EQ(Open("out", kOflagCreat | kOflagTrunc).error(), Errno::NotCapable);
  EXPECT_EQ(PathCall(PathCreateDirectory, "../evil"), Errno::NotCapable);
  EXPECT_EQ(PathCall(PathCreateDirectory, "up/evil"), Errno::NotCapable);
  EXPECT_EQ(PathCall(PathUnlinkFile, "../secret.txt"), Errno::NotCapable);
  EXPECT_EQ(PathCall(PathUnlinkFile, "up/secret.txt"), Errno::NotCapable);
  // A subdirectory descriptor is a sandbox of its own: no ".." above it either.
  ASSERT_EQ(PathCall(PathCreateDirectory, "sub"), Errno::Success);
  auto sub = Open("sub", kOflagDirectory, right::kPathOpen | right::kFdReaddir);
  ASSERT_TRUE(sub.ok());
  Put(kPathBuf, "../../secret.txt");
  EXPECT_EQ(PathOpen(*ctx_, *sub, 0, kPathBuf, 16, 0, kReadWrite, 0, 0, kOut), Errno::NotCapable);
  // Unlinking the escaping symlink itself is fine (it is inside).
  EXPECT_EQ(PathCall(PathUnlinkFile, "out"), Errno::Success);
  EXPECT_EQ(tmp_.ReadFile("secret.txt"), "secret");
  EXPECT_FALSE(tmp_.Exists("evil"));
}

TEST_F(WasiHandlersTest, RenumberAndLowestFreeFd) {
  auto a = Open("a", kOflagCreat);
  auto b = Open("b", kOflagCreat);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(Write(*a, "from-a"), Errno::Success);
  ASSERT_EQ(FdRenumber(*ctx_, *a, *b), Errno::Success);
  EXPECT_EQ(FdClose(*ctx_, *a), Errno::Badf);
  ASSERT_EQ(Write(*b, "!"), Errno::Success);
  EXPECT_EQ(tmp_.ReadFile("pre/a"), "from-a!");
  EXPECT_EQ(tmp_.ReadFile("pre/b"), "");
  EXPECT_EQ(*Open("c", kOflagCreat), *a);  // the freed number is reused
  EXPECT_EQ(FdRenumber(*ctx_, *b, 77), Errno::Badf);
}

TEST_F(WasiHandlersTest, StdioCloseDoesNotCloseTheHostDescriptor) {
  ASSERT_EQ(FdClose(*ctx_, 1), Errno::Success);
  EXPECT_EQ(write(stdout_.get(), "still open", 10), 10);
}

TEST_F(WasiHandlersTest, ClocksAndRandom) {
  ASSERT_EQ(ClockTimeGet(*ctx_, 1, 0, kOut), Errno::Success);
  uint64_t t1 = Get<uint64_t>(kOut);
  ASSERT_EQ(ClockTimeGet(*ctx_, 1, 0, kOut), Errno::Success);
  EXPECT_GE(Get<uint64_t>(kOut), t1);
  ASSERT_EQ(ClockTimeGet(*ctx_, 0, 0, kOut), Errno::Success);
  EXPECT_GT(Get<uint64_t>(kOut), 1'600'000'000ull * 1'000'000'000ull);
  ASSERT_EQ(ClockResGet(*ctx_, 1, kOut), Errno::Success);
  EXPECT_GT(Get<uint64_t>(kOut), 0u);
  EXPECT_EQ(ClockTimeGet(*ctx_, 4, 0, kOut), Errno::Inval);
  EXPECT_EQ(ClockResGet(*ctx_, 0x80000000u, kOut), Errno::Inval);
  ASSERT_EQ(RandomGet(*ctx_, kDataBuf, 4096), Errno::Success);
  EXPECT_GT(std::count(memory_.begin() + kDataBuf, memory_.begin() + kDataBuf + 4096, 0), 0);
  EXPECT_LT(std::count(memory_.begin() + kDataBuf, memory_.begin() + kDataBuf + 4096, 0), 100);
  EXPECT_EQ(SchedYield(*ctx_), Errno::Success);
}

TEST_F(WasiHandlersTest, PollClockTimeout) {
  WasiSubscription sub{};
  sub.userdata = 0x1234;
  sub.tag = static_cast<uint8_t>(EventType::Clock);
  sub.clock_id_or_fd = 1;
  sub.timeout = 5'000'000;  // 5 ms
  Set(200, sub);
  timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  ASSERT_EQ(PollOneoff(*ctx_, 200, 400, 1, kOut), Errno::Success);
  clock_gettime(CLOCK_MONOTONIC, &b);
  EXPECT_GE((b.tv_sec - a.tv_sec) * 1'000'000'000ll + (b.tv_nsec - a.tv_nsec), 5'000'000ll);
  EXPECT_EQ(Get<uint32_t>(kOut), 1u);
  auto ev = Get<WasiEvent>(400);
  EXPECT_EQ(ev.userdata, 0x1234u);
  EXPECT_EQ(ev.error, 0);
  EXPECT_EQ(ev.type, static_cast<uint8_t>(EventType::Clock));
  EXPECT_EQ(PollOneoff(*ctx_, 200, 400, 0, kOut), Errno::Inval);
  EXPECT_EQ(PollOneoff(*ctx_, 200, kEnd - 31, 1, kOut), Errno::Fault);
}

TEST_F(WasiHandlersTest, PollFdReadyBeatsClock) {
  WasiSubscription subs[3]{};
  subs[0].userdata = 1;
  subs[0].tag = static_cast<uint8_t>(EventType::Clock);
  subs[0].clock_id_or_fd = 1;
  subs[0].timeout = 10'000'000'000ull;  // 10 s: must not be waited for
  subs[1].userdata = 2;
  subs[1].tag = static_cast<uint8_t>(EventType::FdRead);
  subs[1].clock_id_or_fd = 0;  // stdin is a regular file: readable now
  subs[2].userdata = 3;
  subs[2].tag = static_cast<uint8_t>(EventType::FdWrite);
  subs[2].clock_id_or_fd = 42;  // bad descriptor: an error event
  for (int i = 0; i < 3; ++i) Set(200 + i * 48, subs[i]);
  ASSERT_EQ(PollOneoff(*ctx_, 200, 400, 3, kOut), Errno::Success);
  ASSERT_EQ(Get<uint32_t>(kOut), 2u);
  auto e0 = Get<WasiEvent>(400);
  auto e1 = Get<WasiEvent>(432);
  EXPECT_EQ(e0.userdata, 3u);
  EXPECT_EQ(e0.error, static_cast<uint16_t>(Errno::Badf));
  EXPECT_EQ(e1.userdata, 2u);
  EXPECT_EQ(e1.type, static_cast<uint8_t>(EventType::FdRead));
  EXPECT_EQ(e1.fd_readwrite_nbytes, 18u);
}

TEST_F(WasiHandlersTest, UnsupportedAreNoSys) { EXPECT_EQ(ProcRaise(*ctx_, 9), Errno::NoSys); }

TEST_F(WasiHandlersTest, SocketCallsOnNonSockets) {
  EXPECT_EQ(SockShutdown(*ctx_, 0, kSdflagRd), Errno::NotSock);  // a regular file
  EXPECT_EQ(SockShutdown(*ctx_, kPreopen, kSdflagWr), Errno::NotSock);
  EXPECT_EQ(SockShutdown(*ctx_, 99, kSdflagRd), Errno::Badf);
  EXPECT_EQ(SockRecv(*ctx_, 0, kIovs, 1, 0, kOut, kOut + 4), Errno::NotSock);
  EXPECT_EQ(SockSend(*ctx_, 99, kIovs, 1, 0, kOut), Errno::Badf);
  EXPECT_EQ(SockAccept(*ctx_, 1, 0, kOut), Errno::NotSock);
}

// A socket reaches a guest only as inherited stdio; sock_shutdown then shuts it down.
TEST(WasiSockets, ShutdownOfAnInheritedSocket) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  UniqueFd ours(pair[0]), theirs(pair[1]);
  WasiOptions options;
  options.stdin_fd = theirs.get();
  auto ctx = WasiContext::Create(options);
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  EXPECT_EQ(SockShutdown(**ctx, 0, 0), Errno::Inval);
  EXPECT_EQ(SockShutdown(**ctx, 0, 4), Errno::Inval);
  ASSERT_EQ(SockShutdown(**ctx, 0, kSdflagWr), Errno::Success);
  char c;
  EXPECT_EQ(read(ours.get(), &c, 1), 0) << "the peer sees end of file";
  ASSERT_EQ(FdFdstatSetRights(**ctx, 0, 0, 0), Errno::Success);
  EXPECT_EQ(SockShutdown(**ctx, 0, kSdflagRd), Errno::NotCapable);
}

// What the handlers show --memcheck (vm/guest_memory_observer.h): every range they read or
// write, named by the call and the witx parameter, and what they wrote once written.
class RecordingObserver : public GuestMemoryObserver {
 public:
  struct Seen {
    Access access;
    uint64_t address;
    uint64_t length;
    std::string name;
    bool operator==(const Seen&) const = default;
  };
  void OnHostAccess(Access access, uint64_t address, uint64_t length, std::string_view call,
                    std::string_view param) override {
    seen.push_back({access, address, length, std::string(call) + "(" + std::string(param) + ")"});
  }
  void OnHostWrote(uint64_t address, uint64_t length) override {
    wrote.emplace_back(address, length);
  }
  std::vector<Seen> seen;
  std::vector<std::pair<uint64_t, uint64_t>> wrote;
};

TEST_F(WasiHandlersTest, EveryGuestRangeIsShownToTheObserver) {
  using Access = GuestMemoryObserver::Access;
  using Seen = RecordingObserver::Seen;
  RecordingObserver observer;
  ctx_->BindMemoryView([&] { return GuestMemory(memory_.data(), memory_.size(), &observer); });

  ctx_->set_current_call("fd_write");
  Put(kDataBuf, "ab");
  Put(kDataBuf + 100, "cde");
  Set(kIovs, WasiIovec{kDataBuf, 2});
  Set(kIovs + 8, WasiIovec{kDataBuf + 100, 3});
  ASSERT_EQ(FdWrite(*ctx_, 1, kIovs, 2, kOut), Errno::Success);
  EXPECT_EQ(observer.seen, (std::vector<Seen>{
                               {Access::Read, kIovs, 16, "fd_write(iovs)"},
                               {Access::Read, kDataBuf, 2, "fd_write(buf)"},
                               {Access::Read, kDataBuf + 100, 3, "fd_write(buf)"},
                               {Access::Write, kOut, 4, "fd_write(nwritten)"},
                           }));
  EXPECT_EQ(observer.wrote, (std::vector<std::pair<uint64_t, uint64_t>>{{kOut, 4}}));

  // A read fills its buffer: checked as a write, and only what was read is written.
  observer.seen.clear();
  observer.wrote.clear();
  ctx_->set_current_call("fd_read");
  Set(kIovs, WasiIovec{kDataBuf, 64});
  ASSERT_EQ(FdRead(*ctx_, 0, kIovs, 1, kOut), Errno::Success);
  EXPECT_EQ(observer.seen, (std::vector<Seen>{
                               {Access::Read, kIovs, 8, "fd_read(iovs)"},
                               {Access::Write, kDataBuf, 64, "fd_read(buf)"},
                               {Access::Write, kOut, 4, "fd_read(nread)"},
                           }));
  EXPECT_EQ(observer.wrote,
            (std::vector<std::pair<uint64_t, uint64_t>>{{kDataBuf, 18}, {kOut, 4}}));

  observer.seen.clear();
  ctx_->set_current_call("path_open");
  ASSERT_TRUE(Open("new.txt", kOflagCreat).ok());
  ASSERT_FALSE(observer.seen.empty());
  EXPECT_EQ(observer.seen.front(), (Seen{Access::Read, kPathBuf, 7, "path_open(path)"}));
  EXPECT_EQ(observer.seen.back(), (Seen{Access::Write, kOut, 4, "path_open(fd)"}));
}

}  // namespace
}  // namespace wasmgrind::wasi
