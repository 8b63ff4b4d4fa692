// Hostile paths against ResolveBeneath, on a real directory tree with symlinks that point
// inside, outside, absolutely, and in loops. The base is <tmp>/sandbox; <tmp>/secret.txt is
// the thing no resolution may reach.
#include "sandbox_path.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "wasi_test_util.h"

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

class SandboxPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.MakeDir("sandbox/sub/deeper");
    tmp_.WriteFile("secret.txt", "secret");
    tmp_.WriteFile("sandbox/file.txt", "file");
    tmp_.WriteFile("sandbox/sub/inner.txt", "inner");
    tmp_.Symlink("sub/inner.txt", "sandbox/link_in");
    tmp_.Symlink("sub", "sandbox/link_dir");
    tmp_.Symlink("sub/../file.txt", "sandbox/link_up_ok");
    tmp_.Symlink("../secret.txt", "sandbox/link_out");
    tmp_.Symlink("..", "sandbox/link_out_dir");
    tmp_.Symlink(tmp_.Join("secret.txt"), "sandbox/link_abs");
    tmp_.Symlink("/", "sandbox/link_root");
    tmp_.Symlink("../../secret.txt", "sandbox/sub/link_escape");
    tmp_.Symlink("../link_out", "sandbox/sub/link_chain_out");
    tmp_.Symlink("loop_b", "sandbox/loop_a");
    tmp_.Symlink("loop_a", "sandbox/loop_b");
    tmp_.Symlink("self", "sandbox/self");
    tmp_.Symlink("new_file", "sandbox/dangling");
    base_ = UniqueFd(open(tmp_.Join("sandbox").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(base_.valid());
  }

  ErrnoOr<ResolvedPath> Resolve(std::string_view path, bool follow = true) {
    return ResolveBeneath(base_.get(), path, follow);
  }

  // Inode of what `r` names (without following a final symlink), to compare with host paths.
  static ino_t InoOf(const ResolvedPath& r) {
    struct stat st;
    EXPECT_EQ(fstatat(r.dir_fd(), r.name().c_str(), &st, AT_SYMLINK_NOFOLLOW), 0) << r.name();
    return st.st_ino;
  }
  ino_t HostIno(const std::string& rel) {
    struct stat st;
    EXPECT_EQ(lstat(tmp_.Join(rel).c_str(), &st), 0) << rel;
    return st.st_ino;
  }
  void ExpectResolvesTo(std::string_view path, const std::string& host_rel, bool follow = true) {
    auto r = Resolve(path, follow);
    ASSERT_TRUE(r.ok()) << path << ": " << ErrnoName(r.error());
    EXPECT_EQ(InoOf(*r), HostIno(host_rel)) << path;
    EXPECT_EQ(r->name().find('/'), std::string::npos);
    EXPECT_NE(r->name(), "..");
  }
  void ExpectRefused(std::string_view path, Errno expected, bool follow = true) {
    auto r = Resolve(path, follow);
    ASSERT_FALSE(r.ok()) << path << " resolved to " << r->name();
    EXPECT_EQ(r.error(), expected) << path << ": got " << ErrnoName(r.error());
  }

  TempDir tmp_;
  UniqueFd base_;
};

TEST_F(SandboxPathTest, PlainPaths) {
  ExpectResolvesTo("file.txt", "sandbox/file.txt");
  ExpectResolvesTo("sub/inner.txt", "sandbox/sub/inner.txt");
  ExpectResolvesTo("sub//./inner.txt", "sandbox/sub/inner.txt");
  ExpectResolvesTo("sub/deeper/../../file.txt", "sandbox/file.txt");
  ExpectResolvesTo("sub/./deeper/.././../sub/inner.txt", "sandbox/sub/inner.txt");
  ExpectResolvesTo(".", "sandbox");
  ExpectResolvesTo("./", "sandbox");
  ExpectResolvesTo("sub/..", "sandbox");
  ExpectResolvesTo("sub/.", "sandbox/sub");
}

TEST_F(SandboxPathTest, FinalNameIsInTheRightDirectory) {
  auto r = Resolve("sub/deeper/new.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name(), "new.txt");
  struct stat dir_st;
  ASSERT_EQ(fstat(r->dir_fd(), &dir_st), 0);
  EXPECT_EQ(dir_st.st_ino, HostIno("sandbox/sub/deeper"));
}

TEST_F(SandboxPathTest, DotDotCannotLeaveTheBase) {
  ExpectRefused("..", Errno::NotCapable);
  ExpectRefused("../secret.txt", Errno::NotCapable);
  ExpectRefused("sub/../../secret.txt", Errno::NotCapable);
  ExpectRefused("sub/deeper/../../../secret.txt", Errno::NotCapable);
  ExpectRefused("./../sandbox/file.txt", Errno::NotCapable);  // even if it comes back in
  ExpectRefused("../", Errno::NotCapable);
}

TEST_F(SandboxPathTest, AbsolutePathsAreRefused) {
  ExpectRefused("/", Errno::NotCapable);
  ExpectRefused("/etc/passwd", Errno::NotCapable);
  ExpectRefused(tmp_.Join("secret.txt"), Errno::NotCapable);
  ExpectRefused(tmp_.Join("sandbox/file.txt"), Errno::NotCapable);
}

TEST_F(SandboxPathTest, SymlinksInsideAreFollowed) {
  ExpectResolvesTo("link_in", "sandbox/sub/inner.txt");
  ExpectResolvesTo("link_dir/inner.txt", "sandbox/sub/inner.txt");
  ExpectResolvesTo("link_up_ok", "sandbox/file.txt");
  ExpectResolvesTo("link_dir/../file.txt", "sandbox/file.txt");  // .. of the target, not the link
  ExpectResolvesTo("link_dir/", "sandbox/sub");
}

TEST_F(SandboxPathTest, FinalSymlinkNotFollowedWhenAsked) {
  ExpectResolvesTo("link_out", "sandbox/link_out", /*follow=*/false);
  ExpectResolvesTo("link_abs", "sandbox/link_abs", /*follow=*/false);
  ExpectResolvesTo("link_in", "sandbox/link_in", /*follow=*/false);
}

TEST_F(SandboxPathTest, SymlinksOutAreRefused) {
  ExpectRefused("link_out", Errno::NotCapable);
  ExpectRefused("link_out_dir/secret.txt", Errno::NotCapable);
  ExpectRefused("link_out_dir/sandbox/file.txt", Errno::NotCapable);
  ExpectRefused("link_abs", Errno::NotCapable);
  ExpectRefused("link_root/etc/passwd", Errno::NotCapable);
  ExpectRefused("sub/link_escape", Errno::NotCapable);
  ExpectRefused("sub/link_chain_out", Errno::NotCapable);
  ExpectRefused("link_out/", Errno::NotCapable, /*follow=*/false);  // '/' forces following
  ExpectRefused("link_out_dir/", Errno::NotCapable, /*follow=*/false);
  // Intermediate symlinks are always followed, so never with follow=false either.
  ExpectRefused("link_out_dir/secret.txt", Errno::NotCapable, /*follow=*/false);
}

TEST_F(SandboxPathTest, LoopsEndInLoop) {
  ExpectRefused("loop_a", Errno::Loop);
  ExpectRefused("loop_a/x", Errno::Loop, /*follow=*/false);
  ExpectRefused("self", Errno::Loop);
}

TEST_F(SandboxPathTest, SymlinkChainLimit) {
  // chain_0 -> file.txt, chain_i -> chain_{i-1}: resolving chain_N expands N+1 links.
  tmp_.Symlink("file.txt", "sandbox/chain_0");
  for (int i = 1; i <= kMaxSymlinkExpansions; ++i)
    tmp_.Symlink("chain_" + std::to_string(i - 1), "sandbox/chain_" + std::to_string(i));
  ExpectResolvesTo("chain_" + std::to_string(kMaxSymlinkExpansions - 1), "sandbox/file.txt");
  ExpectRefused("chain_" + std::to_string(kMaxSymlinkExpansions), Errno::Loop);
}

TEST_F(SandboxPathTest, MalformedPaths) {
  ExpectRefused("", Errno::NoEnt);
  ExpectRefused(std::string_view("file.txt\0/../..", 15), Errno::Inval);
  ExpectRefused(std::string(kMaxGuestPathLength + 1, 'a'), Errno::NameTooLong);
  ExpectRefused("file.txt/x", Errno::NotDir);
  ExpectRefused("missing/x", Errno::NoEnt);
}

TEST_F(SandboxPathTest, DanglingSymlinkResolvesToItsTargetName) {
  auto r = Resolve("dangling");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name(), "new_file");
}

TEST_F(SandboxPathTest, TrailingSlashMeansDirectory) {
  auto r = Resolve("sub/", false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->must_be_dir());
  EXPECT_EQ(r->name(), "sub");
  EXPECT_FALSE(Resolve("sub", false)->must_be_dir());
}

// The final component is never followed by the host: a symlink planted after resolution
// makes an O_NOFOLLOW open fail instead of escaping.
TEST_F(SandboxPathTest, SwappedInSymlinkIsNotFollowedByTheFinalOpen) {
  auto r = Resolve("later");
  ASSERT_TRUE(r.ok());
  tmp_.Symlink("../secret.txt", "sandbox/later");
  int fd = openat(r->dir_fd(), r->name().c_str(), O_RDONLY | O_NOFOLLOW);
  EXPECT_LT(fd, 0);
  EXPECT_EQ(errno, ELOOP);
}

// depth(): how far below the base the final component's directory is, after `..` and
// symlinks.
TEST_F(SandboxPathTest, DepthCountsDirectoriesBelowTheBase) {
  EXPECT_EQ(Resolve("file.txt")->depth(), 0u);
  EXPECT_EQ(Resolve("sub/inner.txt")->depth(), 1u);
  EXPECT_EQ(Resolve("sub/deeper/new")->depth(), 2u);
  EXPECT_EQ(Resolve("sub/deeper/../new")->depth(), 1u);
  EXPECT_EQ(Resolve("link_dir/deeper/new")->depth(), 2u);  // link_dir -> sub
}

// Symlink targets judged on their text from the link's directory (path_symlink's rule).
TEST(RelativeTargetStaysBeneath, DotDotMayNotClimbAboveTheBase) {
  EXPECT_TRUE(RelativeTargetStaysBeneath("x", 0));
  EXPECT_TRUE(RelativeTargetStaysBeneath("./a/b/../c", 0));
  EXPECT_TRUE(RelativeTargetStaysBeneath("y/..", 0));
  EXPECT_TRUE(RelativeTargetStaysBeneath("../x", 1));
  EXPECT_TRUE(RelativeTargetStaysBeneath("../../x", 2));
  EXPECT_TRUE(RelativeTargetStaysBeneath("a//..//../x", 1));
  EXPECT_FALSE(RelativeTargetStaysBeneath("..", 0));
  EXPECT_FALSE(RelativeTargetStaysBeneath("../x", 0));
  EXPECT_FALSE(RelativeTargetStaysBeneath("../../../../etc/passwd", 0));
  EXPECT_FALSE(RelativeTargetStaysBeneath("../../x", 1));
  EXPECT_FALSE(RelativeTargetStaysBeneath("a/../../x", 0));
  EXPECT_FALSE(RelativeTargetStaysBeneath("./../x", 0));
  // Climbing out and back in still passes through the parent.
  EXPECT_FALSE(RelativeTargetStaysBeneath("../sandbox/x", 0));
}

}  // namespace
}  // namespace wasmgrind::wasi
