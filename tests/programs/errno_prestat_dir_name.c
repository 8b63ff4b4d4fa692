// fd_prestat_dir_name checks the whole buffer the guest names, not only the bytes the name
// fills: a buffer that runs past the end of memory is FAULT even when the name would fit.
// A buffer shorter than the name is NAMETOOLONG. Needs fd 3 preopened as "/sandbox".
#include "errno_check.h"

int main(void) {
  __wasi_prestat_t prestat;
  CHECK_ERRNO(__wasi_fd_prestat_get(kScratch, &prestat), __WASI_ERRNO_SUCCESS);
  const __wasi_size_t len = prestat.u.dir.pr_name_len;
  CHECK(len == 8);
  // A page of our own at the end of memory (malloc does not know it, so nothing lives there).
  size_t end = (__builtin_wasm_memory_grow(0, 1) + 1) * 65536;
  uint8_t* name = (uint8_t*)(end - len);

  CHECK_ERRNO(__wasi_fd_prestat_dir_name(kScratch, name, len + 1), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(kScratch, name, 0x7fffffff), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(kScratch, name, len - 1), __WASI_ERRNO_NAMETOOLONG);
  CHECK(name[0] == 0);  // nothing was written
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(kScratch, name, len), __WASI_ERRNO_SUCCESS);
  CHECK(memcmp(name, "/sandbox", 8) == 0);
  uint8_t big[64] = {0};
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(kScratch, big, sizeof big), __WASI_ERRNO_SUCCESS);
  CHECK(memcmp(big, "/sandbox", 8) == 0 && big[8] == 0);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(1, big, sizeof big), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(99, big, sizeof big), __WASI_ERRNO_BADF);
  puts("errno_prestat_dir_name: ok");
  return 0;
}
