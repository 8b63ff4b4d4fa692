// The import signatures derived from the handler prototypes, against the signatures
// wasi-libc's wasm32 headers produce (taken from `wasm-objdump -x` of a program importing
// every function).
#include "wasi_imports.h"

#include <gtest/gtest.h>

#include <map>

namespace wasmgrind::wasi {
namespace {

TEST(WasiImportsTest, SignaturesMatchWasiLibc) {
  const std::map<std::string, std::string> expected = {{"args_get", "ii"},
                                                       {"args_sizes_get", "ii"},
                                                       {"environ_get", "ii"},
                                                       {"environ_sizes_get", "ii"},
                                                       {"clock_res_get", "ii"},
                                                       {"clock_time_get", "iIi"},
                                                       {"fd_advise", "iIIi"},
                                                       {"fd_allocate", "iII"},
                                                       {"fd_close", "i"},
                                                       {"fd_datasync", "i"},
                                                       {"fd_fdstat_get", "ii"},
                                                       {"fd_fdstat_set_flags", "ii"},
                                                       {"fd_fdstat_set_rights", "iII"},
                                                       {"fd_filestat_get", "ii"},
                                                       {"fd_filestat_set_size", "iI"},
                                                       {"fd_filestat_set_times", "iIIi"},
                                                       {"fd_pread", "iiiIi"},
                                                       {"fd_prestat_get", "ii"},
                                                       {"fd_prestat_dir_name", "iii"},
                                                       {"fd_pwrite", "iiiIi"},
                                                       {"fd_read", "iiii"},
                                                       {"fd_readdir", "iiiIi"},
                                                       {"fd_renumber", "ii"},
                                                       {"fd_seek", "iIii"},
                                                       {"fd_sync", "i"},
                                                       {"fd_tell", "ii"},
                                                       {"fd_write", "iiii"},
                                                       {"path_create_directory", "iii"},
                                                       {"path_filestat_get", "iiiii"},
                                                       {"path_filestat_set_times", "iiiiIIi"},
                                                       {"path_link", "iiiiiii"},
                                                       {"path_open", "iiiiiIIii"},
                                                       {"path_readlink", "iiiiii"},
                                                       {"path_remove_directory", "iii"},
                                                       {"path_rename", "iiiiii"},
                                                       {"path_symlink", "iiiii"},
                                                       {"path_unlink_file", "iii"},
                                                       {"poll_oneoff", "iiii"},
                                                       {"proc_raise", "i"},
                                                       {"sched_yield", ""},
                                                       {"random_get", "ii"},
                                                       {"sock_accept", "iii"},
                                                       {"sock_recv", "iiiiii"},
                                                       {"sock_send", "iiiii"},
                                                       {"sock_shutdown", "ii"}};
  for (const auto& [name, params] : expected) {
    std::optional<FuncType> type = WasiImportType(name);
    ASSERT_TRUE(type.has_value()) << name;
    std::string got;
    for (ValType t : type->params) got += t == ValType::I32 ? 'i' : t == ValType::I64 ? 'I' : '?';
    EXPECT_EQ(got, params) << name;
    EXPECT_EQ(type->results, std::vector<ValType>{ValType::I32}) << name;
  }
  std::optional<FuncType> exit_type = WasiImportType("proc_exit");
  ASSERT_TRUE(exit_type.has_value());
  EXPECT_EQ(*exit_type, (FuncType{{ValType::I32}, {}}));
  EXPECT_FALSE(WasiImportType("no_such_function").has_value());
}

}  // namespace
}  // namespace wasmgrind::wasi
