// fd_fdstat_set_flags on inherited stdio: the guest sees its APPEND and NONBLOCK in
// fd_fdstat_get and gets their behaviour, while the host's open file description (shared
// with the embedder, e.g. the user's terminal) keeps its own flags.
#include "fd_flags.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "wasi_functions.h"
#include "wasi_test_util.h"

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

class FdFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int in[2], out[2];
    ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    stdin_read_ = UniqueFd(in[0]);
    stdin_write_ = UniqueFd(in[1]);
    stdout_read_ = UniqueFd(out[0]);
    stdout_write_ = UniqueFd(out[1]);
    tmp_.WriteFile("log.txt", "hello");
    file_ = UniqueFd(open(tmp_.Join("log.txt").c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_TRUE(file_.valid());
  }

  void CreateContext() {
    WasiOptions options;
    options.stdin_fd = stdin_read_.get();
    options.stdout_fd = stdout_write_.get();
    options.stderr_fd = file_.get();
    auto ctx = WasiContext::Create(options);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = std::move(ctx).value();
    memory_.assign(65536, 0);
    ctx_->BindMemoryView([this] { return GuestMemory(memory_.data(), memory_.size()); });
  }

  uint16_t GuestFlags(Fd fd) {
    EXPECT_EQ(FdFdstatGet(*ctx_, fd, kOut), Errno::Success);
    WasiFdstat st;
    std::memcpy(&st, memory_.data() + kOut, sizeof st);
    return st.fs_flags;
  }
  static int HostFlags(const UniqueFd& fd) {
    return fcntl(fd.get(), F_GETFL) & (O_APPEND | O_NONBLOCK);
  }

  ErrnoOr<std::string> Read(Fd fd) {
    WasiIovec iov{kData, 100};
    std::memcpy(memory_.data() + kIovs, &iov, sizeof iov);
    Errno e = FdRead(*ctx_, fd, kIovs, 1, kOut);
    if (e != Errno::Success) return e;
    uint32_t n;
    std::memcpy(&n, memory_.data() + kOut, 4);
    return std::string(reinterpret_cast<char*>(memory_.data() + kData), n);
  }
  Errno Write(Fd fd, std::string_view data) {
    std::memcpy(memory_.data() + kData, data.data(), data.size());
    WasiIovec iov{kData, static_cast<uint32_t>(data.size())};
    std::memcpy(memory_.data() + kIovs, &iov, sizeof iov);
    return FdWrite(*ctx_, fd, kIovs, 1, kOut);
  }
  // Writes `data` into `fd` after a delay: a read that should not have waited returns it
  // instead of hanging the test.
  static std::thread WriteLater(int fd, std::string data, int ms) {
    return std::thread([fd, data, ms] {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      EXPECT_EQ(write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
    });
  }

  static constexpr GuestPtr kOut = 16, kIovs = 64, kData = 1024;
  TempDir tmp_;
  UniqueFd stdin_read_, stdin_write_, stdout_read_, stdout_write_, file_;
  std::unique_ptr<WasiContext> ctx_;
  std::vector<uint8_t> memory_;
};

TEST_F(FdFlagsTest, GuestFlagsOnStdioLeaveTheHostDescriptionAlone) {
  CreateContext();
  EXPECT_EQ(GuestFlags(0), 0);
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 0, kFdflagNonblock), Errno::Success);
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 1, kFdflagNonblock | kFdflagAppend), Errno::Success);
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 2, kFdflagAppend), Errno::Success);
  EXPECT_EQ(GuestFlags(0), kFdflagNonblock);
  EXPECT_EQ(GuestFlags(1), kFdflagNonblock | kFdflagAppend);
  EXPECT_EQ(GuestFlags(2), kFdflagAppend);
  EXPECT_EQ(HostFlags(stdin_read_), 0);
  EXPECT_EQ(HostFlags(stdout_write_), 0);
  EXPECT_EQ(HostFlags(file_), 0);
  // Still unchanged once the program is gone.
  ctx_.reset();
  EXPECT_EQ(HostFlags(stdin_read_), 0);
  EXPECT_EQ(HostFlags(stdout_write_), 0);
  EXPECT_EQ(HostFlags(file_), 0);
}

TEST_F(FdFlagsTest, NonblockIsEmulated) {
  CreateContext();
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 0, kFdflagNonblock), Errno::Success);
  // Nothing to read: AGAIN at once (if it waited, the late write would end the wait).
  std::thread late = WriteLater(stdin_write_.get(), "late", 500);
  EXPECT_EQ(Read(0).error(), Errno::Again);
  late.join();
  EXPECT_EQ(*Read(0), "late");
  // Back to blocking: the read waits for data.
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 0, 0), Errno::Success);
  late = WriteLater(stdin_write_.get(), "waited", 100);
  EXPECT_EQ(*Read(0), "waited");
  late.join();
  // A full pipe: AGAIN for a guest asking NONBLOCK, on its stdout too.
  ASSERT_EQ(fcntl(stdout_write_.get(), F_SETPIPE_SZ, 4096), 4096);
  std::string fill(4096, 'x');
  ASSERT_EQ(write(stdout_write_.get(), fill.data(), fill.size()), 4096);
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 1, kFdflagNonblock), Errno::Success);
  EXPECT_EQ(Write(1, "more"), Errno::Again);
  EXPECT_EQ(HostFlags(stdout_write_), 0);
}

TEST_F(FdFlagsTest, AppendIsEmulated) {
  CreateContext();
  ASSERT_EQ(Write(2, "J"), Errno::Success);  // at the position: the start
  EXPECT_EQ(tmp_.ReadFile("log.txt"), "Jello");
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 2, kFdflagAppend), Errno::Success);
  ASSERT_EQ(lseek(file_.get(), 0, SEEK_SET), 0);
  ASSERT_EQ(Write(2, "!"), Errno::Success);
  EXPECT_EQ(tmp_.ReadFile("log.txt"), "Jello!");
  EXPECT_EQ(HostFlags(file_), 0);
}

TEST_F(FdFlagsTest, HostFlagsShowAndAGuestThatWantsBlockingWaits) {
  // The host left stdin non-blocking and stderr O_APPEND: the guest sees both.
  ASSERT_EQ(fcntl(stdin_read_.get(), F_SETFL, O_NONBLOCK), 0);
  ASSERT_EQ(fcntl(file_.get(), F_SETFL, O_APPEND), 0);
  CreateContext();
  EXPECT_EQ(GuestFlags(0), kFdflagNonblock);
  EXPECT_EQ(GuestFlags(2), kFdflagAppend);
  EXPECT_EQ(Read(0).error(), Errno::Again);
  // A guest that clears NONBLOCK waits for data, though the host's flag stays.
  ASSERT_EQ(FdFdstatSetFlags(*ctx_, 0, 0), Errno::Success);
  std::thread late = WriteLater(stdin_write_.get(), "data", 100);
  EXPECT_EQ(*Read(0), "data");
  late.join();
  EXPECT_EQ(HostFlags(stdin_read_), O_NONBLOCK);
}

}  // namespace
}  // namespace wasmgrind::wasi
