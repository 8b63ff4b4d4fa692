// The CLI spellings of WASI options: --dir HOST[::GUEST], --env NAME[=VALUE], --inherit-env.
#include "wasi_options.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace wasmgrind::wasi {
namespace {

TEST(WasiOptionsTest, ParsePreopen) {
  auto p = ParsePreopen("/tmp/data::/data");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host_path, "/tmp/data");
  EXPECT_EQ(p->guest_path, "/data");
  p = ParsePreopen(".");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host_path, ".");
  EXPECT_EQ(p->guest_path, ".");
  EXPECT_EQ(ParsePreopen("").error().kind, ErrorKind::Usage);
  EXPECT_EQ(ParsePreopen("::/x").error().kind, ErrorKind::Usage);
  EXPECT_EQ(ParsePreopen("/x::").error().kind, ErrorKind::Usage);
}

TEST(WasiOptionsTest, ParseEnvVar) {
  auto v = ParseEnvVar("A=b=c");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first, "A");
  EXPECT_EQ(v->second, "b=c");
  v = ParseEnvVar("EMPTY=");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->second, "");
  setenv("WG_WASI_OPTIONS_TEST", "from host", 1);
  v = ParseEnvVar("WG_WASI_OPTIONS_TEST");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->second, "from host");
  unsetenv("WG_WASI_OPTIONS_TEST");
  EXPECT_EQ(ParseEnvVar("WG_WASI_OPTIONS_TEST").error().kind, ErrorKind::Usage);
  EXPECT_EQ(ParseEnvVar("=x").error().kind, ErrorKind::Usage);
}

TEST(WasiOptionsTest, HostEnvironment) {
  setenv("WG_WASI_OPTIONS_TEST2", "v=1", 1);
  auto env = HostEnvironment();
  bool found = false;
  for (const auto& [name, value] : env) found |= name == "WG_WASI_OPTIONS_TEST2" && value == "v=1";
  EXPECT_TRUE(found);
  unsetenv("WG_WASI_OPTIONS_TEST2");
}

}  // namespace
}  // namespace wasmgrind::wasi
