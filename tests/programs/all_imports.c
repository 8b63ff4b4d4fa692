// Imports every wasi_snapshot_preview1 function wasi-libc declares (without calling them),
// so that instantiating it checks every name and signature the runtime defines.
#include <stdio.h>
#include <wasi/api.h>

#pragma clang diagnostic ignored "-Wunused-result"  // nothing here is ever called

int main(void) {
  volatile int never = 0;
  if (never) {
    __wasi_args_get(0, 0); __wasi_args_sizes_get(0, 0);
    __wasi_environ_get(0, 0); __wasi_environ_sizes_get(0, 0);
    __wasi_clock_res_get(0, 0); __wasi_clock_time_get(0, 0, 0);
    __wasi_fd_advise(0, 0, 0, 0); __wasi_fd_allocate(0, 0, 0); __wasi_fd_close(0);
    __wasi_fd_datasync(0); __wasi_fd_fdstat_get(0, 0); __wasi_fd_fdstat_set_flags(0, 0);
    __wasi_fd_fdstat_set_rights(0, 0, 0); __wasi_fd_filestat_get(0, 0);
    __wasi_fd_filestat_set_size(0, 0); __wasi_fd_filestat_set_times(0, 0, 0, 0);
    __wasi_fd_pread(0, 0, 0, 0, 0); __wasi_fd_prestat_get(0, 0);
    __wasi_fd_prestat_dir_name(0, 0, 0); __wasi_fd_pwrite(0, 0, 0, 0, 0);
    __wasi_fd_read(0, 0, 0, 0); __wasi_fd_readdir(0, 0, 0, 0, 0); __wasi_fd_renumber(0, 0);
    __wasi_fd_seek(0, 0, 0, 0); __wasi_fd_sync(0); __wasi_fd_tell(0, 0);
    __wasi_fd_write(0, 0, 0, 0); __wasi_path_create_directory(0, 0);
    __wasi_path_filestat_get(0, 0, 0, 0); __wasi_path_filestat_set_times(0, 0, 0, 0, 0, 0);
    __wasi_path_link(0, 0, 0, 0, 0); __wasi_path_open(0, 0, 0, 0, 0, 0, 0, 0);
    __wasi_path_readlink(0, 0, 0, 0, 0); __wasi_path_remove_directory(0, 0);
    __wasi_path_rename(0, 0, 0, 0); __wasi_path_symlink(0, 0, 0);
    __wasi_path_unlink_file(0, 0); __wasi_poll_oneoff(0, 0, 0, 0); __wasi_sched_yield();
    __wasi_random_get(0, 0); __wasi_sock_accept(0, 0, 0); __wasi_sock_recv(0, 0, 0, 0, 0, 0);
    __wasi_sock_send(0, 0, 0, 0, 0); __wasi_sock_shutdown(0, 0); __wasi_proc_exit(0);
  }
  // Harmless to call for real: sched_yield succeeds; stdin is not a socket (NOTSOCK, 57).
  printf("sched_yield: %d\n", __wasi_sched_yield());
  printf("sock_shutdown: %d\n", __wasi_sock_shutdown(0, 0));
  return 0;
}
