// FindMcClientRequest: which module functions --memcheck replaces by client requests (the
// no-op functions of include/wasmgrind/memcheck.h), by name and exact type.
#include <gtest/gtest.h>

#include <string>

#include "vm/memcheck_calls.h"
#include "vm/module_info.h"

namespace wasmgrind {
namespace {

constexpr ValType I32 = ValType::I32;

// Function 0 is an import, 1.. are defined; type 0 is the requests' (i32 x4) -> i32.
ModuleInfo ModuleWith(const std::string& name, FuncType type, bool imported = false) {
  ModuleInfo m;
  m.types = {FuncType{{I32}, {}}, std::move(type)};
  m.func_types = {0, 1};
  m.num_imported_funcs = 1;
  m.memories.push_back(MemoryType{});
  m.names.functions[imported ? 0 : 1] = name;
  return m;
}

const FuncType kRequestType{{I32, I32, I32, I32}, {I32}};

TEST(McClientRequestTest, EveryRowIsFoundByItsFunctionName) {
  std::vector<std::pair<std::string, McClientRequest>> rows = {
#define WASMGRIND_CLIENT_REQUEST(Name, name) {"wasmgrind_client_" #name, McClientRequest::Name},
#include "wasmgrind/memcheck_requests.def"
#undef WASMGRIND_CLIENT_REQUEST
  };
  ASSERT_FALSE(rows.empty());
  for (const auto& [name, request] : rows) {
    EXPECT_EQ(FindMcClientRequest(ModuleWith(name, kRequestType), 1), request) << name;
  }
}

TEST(McClientRequestTest, OnlyTheExactTypeOfADefinedFunctionWithMemory) {
  const std::string name = "wasmgrind_client_make_mem_noaccess";
  EXPECT_EQ(FindMcClientRequest(ModuleWith(name, kRequestType), 1),
            McClientRequest::MakeMemNoAccess);
  EXPECT_FALSE(FindMcClientRequest(ModuleWith(name, FuncType{{I32, I32}, {I32}}), 1));
  EXPECT_FALSE(FindMcClientRequest(ModuleWith(name, FuncType{{I32, I32, I32, I32}, {}}), 1));
  EXPECT_FALSE(
      FindMcClientRequest(ModuleWith(name, FuncType{{I32, I32, I32, ValType::I64}, {I32}}), 1));
  EXPECT_FALSE(FindMcClientRequest(ModuleWith(name, kRequestType, /*imported=*/true), 0));
  EXPECT_FALSE(FindMcClientRequest(ModuleWith("wasmgrind_client_nothing", kRequestType), 1));
  ModuleInfo no_memory = ModuleWith(name, kRequestType);
  no_memory.memories.clear();
  EXPECT_FALSE(FindMcClientRequest(no_memory, 1));
}

}  // namespace
}  // namespace wasmgrind
