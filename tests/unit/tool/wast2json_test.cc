// TempDir cleanup and running wast2json (skipped where wabt is not installed).
#include "wast2json.h"

#include <fstream>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace wasmgrind {
namespace {

TEST(TempDir, RemovedWithContents) {
  std::filesystem::path kept;
  {
    auto dir = TempDir::Create("wasmgrind-test-");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    kept = dir->path();
    EXPECT_TRUE(std::filesystem::is_directory(kept));
    std::ofstream(kept / "file.txt") << "x";
    std::filesystem::create_directory(kept / "sub");
    std::ofstream(kept / "sub" / "f") << "y";
    TempDir moved = std::move(dir).value();
    EXPECT_EQ(moved.path(), kept);
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(Wast2Json, FindOnPath) {
  EXPECT_TRUE(FindOnPath("sh"));
  EXPECT_FALSE(FindOnPath("wasmgrind-no-such-tool"));
  EXPECT_FALSE(FindOnPath("/nonexistent/tool"));
}

TEST(Wast2Json, ConvertsAndReportsErrors) {
  auto tool = FindOnPath("wast2json");
  if (!tool) GTEST_SKIP() << "wast2json not installed";
  auto dir = TempDir::Create("wasmgrind-test-");
  ASSERT_TRUE(dir.ok());
  std::filesystem::path wast = dir->path() / "tiny.wast";
  std::ofstream(wast) << "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                         "(assert_return (invoke \"f\") (i32.const 7))\n";
  auto json = ConvertWast(*tool, wast, dir->path());
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_TRUE(std::filesystem::exists(*json));
  EXPECT_TRUE(std::filesystem::exists(dir->path() / "tiny.0.wasm"));

  std::filesystem::path broken = dir->path() / "broken.wast";
  std::ofstream(broken) << "(module (func (i32.frob)))\n";
  auto failed = ConvertWast(*tool, broken, dir->path());
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("wast2json failed"), std::string::npos);
  EXPECT_EQ(failed.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace wasmgrind
