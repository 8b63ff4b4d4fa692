// The wasi_snapshot_preview1 functions: one C++ handler per import, with the parameter types
// of its wasm signature (uint32_t = i32, uint64_t = i64; every handler returns the errno as
// the i32 result). wasi_imports.cc derives each import's FuncType from these prototypes, so
// the prototypes are the signature table. WASI_FUNCTIONS lists (import name, handler).
// proc_exit, which returns nothing and does not come back, is defined in wasi_imports.cc.
//
// Handlers are spread over wasi_args_env.cc, wasi_clock_random.cc, wasi_fd.cc,
// wasi_fd_stat.cc, wasi_readdir.cc, wasi_path.cc, wasi_path_stat.cc, wasi_poll.cc,
// wasi_sock.cc and wasi_unsupported.cc.
#pragma once

#include <cstdint>

#include "wasi_context.h"
#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

using Fd = uint32_t;

#define WASI_FUNCTIONS(X)                          \
  X(args_get, ArgsGet)                             \
  X(args_sizes_get, ArgsSizesGet)                  \
  X(environ_get, EnvironGet)                       \
  X(environ_sizes_get, EnvironSizesGet)            \
  X(clock_res_get, ClockResGet)                    \
  X(clock_time_get, ClockTimeGet)                  \
  X(random_get, RandomGet)                         \
  X(sched_yield, SchedYield)                       \
  X(fd_advise, FdAdvise)                           \
  X(fd_allocate, FdAllocate)                       \
  X(fd_close, FdClose)                             \
  X(fd_datasync, FdDatasync)                       \
  X(fd_fdstat_get, FdFdstatGet)                    \
  X(fd_fdstat_set_flags, FdFdstatSetFlags)         \
  X(fd_fdstat_set_rights, FdFdstatSetRights)       \
  X(fd_filestat_get, FdFilestatGet)                \
  X(fd_filestat_set_size, FdFilestatSetSize)       \
  X(fd_filestat_set_times, FdFilestatSetTimes)     \
  X(fd_pread, FdPread)                             \
  X(fd_prestat_get, FdPrestatGet)                  \
  X(fd_prestat_dir_name, FdPrestatDirName)         \
  X(fd_pwrite, FdPwrite)                           \
  X(fd_read, FdRead)                               \
  X(fd_readdir, FdReaddir)                         \
  X(fd_renumber, FdRenumber)                       \
  X(fd_seek, FdSeek)                               \
  X(fd_sync, FdSync)                               \
  X(fd_tell, FdTell)                               \
  X(fd_write, FdWrite)                             \
  X(path_create_directory, PathCreateDirectory)    \
  X(path_filestat_get, PathFilestatGet)            \
  X(path_filestat_set_times, PathFilestatSetTimes) \
  X(path_link, PathLink)                           \
  X(path_open, PathOpen)                           \
  X(path_readlink, PathReadlink)                   \
  X(path_remove_directory, PathRemoveDirectory)    \
  X(path_rename, PathRename)                       \
  X(path_symlink, PathSymlink)                     \
  X(path_unlink_file, PathUnlinkFile)              \
  X(poll_oneoff, PollOneoff)                       \
  X(proc_raise, ProcRaise)                         \
  X(sock_accept, SockAccept)                       \
  X(sock_recv, SockRecv)                           \
  X(sock_send, SockSend)                           \
  X(sock_shutdown, SockShutdown)

// wasi_args_env.cc
Errno ArgsGet(WasiContext& ctx, GuestPtr argv, GuestPtr argv_buf);
Errno ArgsSizesGet(WasiContext& ctx, GuestPtr argc_out, GuestPtr argv_buf_size_out);
Errno EnvironGet(WasiContext& ctx, GuestPtr environ, GuestPtr environ_buf);
Errno EnvironSizesGet(WasiContext& ctx, GuestPtr count_out, GuestPtr buf_size_out);

// wasi_clock_random.cc
Errno ClockResGet(WasiContext& ctx, uint32_t clock_id, GuestPtr resolution_out);
Errno ClockTimeGet(WasiContext& ctx, uint32_t clock_id, uint64_t precision, GuestPtr time_out);
Errno RandomGet(WasiContext& ctx, GuestPtr buf, GuestSize buf_len);
Errno SchedYield(WasiContext& ctx);

// wasi_fd.cc
Errno FdAdvise(WasiContext& ctx, Fd fd, uint64_t offset, uint64_t len, uint32_t advice);
Errno FdAllocate(WasiContext& ctx, Fd fd, uint64_t offset, uint64_t len);
Errno FdClose(WasiContext& ctx, Fd fd);
Errno FdDatasync(WasiContext& ctx, Fd fd);
Errno FdSync(WasiContext& ctx, Fd fd);
Errno FdPread(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
              GuestPtr nread_out);
Errno FdPwrite(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
               GuestPtr nwritten_out);
Errno FdRead(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr nread_out);
Errno FdWrite(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr nwritten_out);
Errno FdRenumber(WasiContext& ctx, Fd from, Fd to);
Errno FdSeek(WasiContext& ctx, Fd fd, uint64_t offset, uint32_t whence, GuestPtr newoffset_out);
Errno FdTell(WasiContext& ctx, Fd fd, GuestPtr offset_out);

// wasi_fd_stat.cc
Errno FdFdstatGet(WasiContext& ctx, Fd fd, GuestPtr fdstat_out);
Errno FdFdstatSetFlags(WasiContext& ctx, Fd fd, uint32_t fdflags);
Errno FdFdstatSetRights(WasiContext& ctx, Fd fd, uint64_t rights_base, uint64_t rights_inheriting);
Errno FdFilestatGet(WasiContext& ctx, Fd fd, GuestPtr filestat_out);
Errno FdFilestatSetSize(WasiContext& ctx, Fd fd, uint64_t size);
Errno FdFilestatSetTimes(WasiContext& ctx, Fd fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
Errno FdPrestatGet(WasiContext& ctx, Fd fd, GuestPtr prestat_out);
Errno FdPrestatDirName(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len);

// wasi_readdir.cc
Errno FdReaddir(WasiContext& ctx, Fd fd, GuestPtr buf, GuestSize buf_len, uint64_t cookie,
                GuestPtr bufused_out);

// wasi_path.cc
Errno PathCreateDirectory(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len);
Errno PathLink(WasiContext& ctx, Fd old_fd, uint32_t old_flags, GuestPtr old_path,
               GuestSize old_path_len, Fd new_fd, GuestPtr new_path, GuestSize new_path_len);
Errno PathOpen(WasiContext& ctx, Fd fd, uint32_t dirflags, GuestPtr path, GuestSize path_len,
               uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
               GuestPtr fd_out);
Errno PathReadlink(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len, GuestPtr buf,
                   GuestSize buf_len, GuestPtr bufused_out);
Errno PathRemoveDirectory(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len);
Errno PathRename(WasiContext& ctx, Fd fd, GuestPtr old_path, GuestSize old_path_len, Fd new_fd,
                 GuestPtr new_path, GuestSize new_path_len);
Errno PathSymlink(WasiContext& ctx, GuestPtr old_path, GuestSize old_path_len, Fd fd,
                  GuestPtr new_path, GuestSize new_path_len);
Errno PathUnlinkFile(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len);

// wasi_path_stat.cc
Errno PathFilestatGet(WasiContext& ctx, Fd fd, uint32_t flags, GuestPtr path, GuestSize path_len,
                      GuestPtr filestat_out);
Errno PathFilestatSetTimes(WasiContext& ctx, Fd fd, uint32_t flags, GuestPtr path,
                           GuestSize path_len, uint64_t atim, uint64_t mtim, uint32_t fst_flags);

// wasi_poll.cc
Errno PollOneoff(WasiContext& ctx, GuestPtr in, GuestPtr out, uint32_t nsubscriptions,
                 GuestPtr nevents_out);

// wasi_unsupported.cc: returns NoSys.
Errno ProcRaise(WasiContext& ctx, uint32_t signal);

// wasi_sock.cc
Errno SockAccept(WasiContext& ctx, Fd fd, uint32_t flags, GuestPtr fd_out);
Errno SockRecv(WasiContext& ctx, Fd fd, GuestPtr ri_data, uint32_t ri_data_len, uint32_t ri_flags,
               GuestPtr ro_datalen_out, GuestPtr ro_flags_out);
Errno SockSend(WasiContext& ctx, Fd fd, GuestPtr si_data, uint32_t si_data_len, uint32_t si_flags,
               GuestPtr so_datalen_out);
Errno SockShutdown(WasiContext& ctx, Fd fd, uint32_t how);

}  // namespace wasmgrind::wasi
