// The front end and the JIT agree on every single-byte corruption of a module: what decodes and
// validates compiles (the JIT never refuses valid code), and what does not is refused by
// Module::Compile with the same kind of error.
#include <gtest/gtest.h>

#include "common/rich_module.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using namespace test;

TEST(CorruptModuleTest, EveryCorruptionThatValidatesCompiles) {
  Engine engine;
  const Bytes full = RichModule();
  size_t compiled = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    for (uint8_t v : kCorruptBytes) {
      Bytes corrupt = full;
      corrupt[i] = v;
      SCOPED_TRACE(testing::Message() << "byte " << i << " = 0x" << std::hex << int{v});
      Result<void> front_end = DecodeAndValidate(corrupt);
      auto module = Module::Compile(engine, corrupt);
      ASSERT_EQ(module.ok(), front_end.ok())
          << (module.ok() ? front_end.error().ToString() : module.error().ToString());
      if (module.ok()) {
        ++compiled;
      } else {
        EXPECT_EQ(module.error().kind, front_end.error().kind) << module.error().ToString();
      }
    }
  }
  EXPECT_GT(compiled, 0u);
}

}  // namespace
}  // namespace wasmgrind
