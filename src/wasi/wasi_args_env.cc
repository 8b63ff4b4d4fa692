// args_* and environ_*: the program's arguments and environment, as NUL-terminated strings
// packed into one guest buffer plus an array of guest pointers into it.
#include <string_view>
#include <utility>
#include <vector>

#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

// `names`: the witx names of the two pointers, for memcheck ("argv", "argv_buf").
Errno WriteStrings(WasiContext& ctx, const std::vector<std::string>& strings, GuestPtr ptrs,
                   GuestPtr buf, std::pair<std::string_view, std::string_view> names) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  uint64_t cursor = buf;
  for (size_t i = 0; i < strings.size(); ++i) {
    const std::string& s = strings[i];
    if (cursor > UINT32_MAX) return Errno::Fault;
    WASI_TRY(
        mem.Write<uint32_t>(ptrs + uint64_t{i} * 4, static_cast<uint32_t>(cursor), names.first));
    WASI_TRY(mem.WriteString(cursor, s, names.second));
    WASI_TRY(mem.Write<uint8_t>(cursor + s.size(), 0, names.second));
    cursor += s.size() + 1;
  }
  return Errno::Success;
}

Errno WriteSizes(WasiContext& ctx, const std::vector<std::string>& strings, GuestPtr count_out,
                 GuestPtr size_out, std::pair<std::string_view, std::string_view> names) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  if (total > UINT32_MAX || strings.size() > UINT32_MAX) return Errno::Overflow;
  WASI_TRY(mem.Write<uint32_t>(count_out, static_cast<uint32_t>(strings.size()), names.first));
  WASI_TRY(mem.Write<uint32_t>(size_out, static_cast<uint32_t>(total), names.second));
  return Errno::Success;
}

}  // namespace

Errno ArgsGet(WasiContext& ctx, GuestPtr argv, GuestPtr argv_buf) {
  return WriteStrings(ctx, ctx.args(), argv, argv_buf, {"argv", "argv_buf"});
}

Errno ArgsSizesGet(WasiContext& ctx, GuestPtr argc_out, GuestPtr argv_buf_size_out) {
  return WriteSizes(ctx, ctx.args(), argc_out, argv_buf_size_out, {"argc", "argv_buf_size"});
}

Errno EnvironGet(WasiContext& ctx, GuestPtr environ, GuestPtr environ_buf) {
  return WriteStrings(ctx, ctx.environ(), environ, environ_buf, {"environ", "environ_buf"});
}

Errno EnvironSizesGet(WasiContext& ctx, GuestPtr count_out, GuestPtr buf_size_out) {
  return WriteSizes(ctx, ctx.environ(), count_out, buf_size_out, {"environc", "environ_buf_size"});
}

}  // namespace wasmgrind::wasi
