// Hostile pointers passed straight to the WASI imports: ranges past the end of memory, ranges
// that wrap around 2^32, huge lengths. Every call must return FAULT (21), never crash the
// host, and write nothing. Prints one "name=errno" line per call.
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

#define AT(addr) ((void*)(uintptr_t)(addr))

// wasi-libc's wrapper takes a C string and runs strlen in the guest; the raw import takes
// (pointer, length), which is what a hostile module controls.
int32_t RawPathOpen(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                    int64_t rights_base, int64_t rights_inheriting, int32_t fdflags,
                    int32_t fd_out)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

int main(void) {
  uint32_t end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
  static __wasi_ciovec_t iov[2];
  static char text[] = "must not appear\n";
  __wasi_size_t n = 0;

  printf("iovs past end=%d\n", __wasi_fd_write(1, AT(end - 4), 1, &n));
  iov[0].buf = (const uint8_t*)AT(end - 2);
  iov[0].buf_len = 4;
  printf("buf past end=%d\n", __wasi_fd_write(1, iov, 1, &n));
  iov[0].buf = (const uint8_t*)AT(0xfffffff0u);
  iov[0].buf_len = 0x20;
  printf("buf wraps=%d\n", __wasi_fd_write(1, iov, 1, &n));
  iov[0].buf = (const uint8_t*)text;
  iov[0].buf_len = sizeof text - 1;
  iov[1].buf = (const uint8_t*)AT(end);
  iov[1].buf_len = 1;
  printf("second buf bad=%d\n", __wasi_fd_write(1, iov, 2, &n));
  printf("result ptr bad=%d\n", __wasi_fd_write(1, iov, 1, AT(end - 1)));
  printf("read into end=%d\n", __wasi_fd_read(0, (__wasi_iovec_t*)iov + 1, 1, &n));
  printf("args_get=%d\n", __wasi_args_get(AT(end - 2), AT(0)));
  printf("random_get=%d\n", __wasi_random_get(AT(end - 8), 16));
  printf("clock_time_get=%d\n", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, AT(end - 4)));
  __wasi_fd_t fd;
  printf("path_open path=%d\n", RawPathOpen(3, 0, (int32_t)(end - 3), 8, 0, 0, 0, 0, (int32_t)(uintptr_t)&fd));
  printf("path_open len=%d\n", RawPathOpen(3, 0, (int32_t)(uintptr_t)text, -1, 0, 0, 0, 0, (int32_t)(uintptr_t)&fd));
  printf("fdstat_get=%d\n", __wasi_fd_fdstat_get(1, AT(0xffffffffu)));
  printf("prestat_dir_name=%d\n", __wasi_fd_prestat_dir_name(3, AT(end - 1), 8));
  printf("poll_oneoff=%d\n", __wasi_poll_oneoff(AT(end - 48), AT(0), 2, &n));
  printf("still alive\n");
  return 0;
}
