// clock_res_get, clock_time_get, random_get and sched_yield: thin wrappers over the host's
// clocks, getrandom(2) and sched_yield(2). Preview1 clock ids map 1:1 onto the POSIX clocks.
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>

#include "host_convert.h"
#include "wasi_functions.h"
#include "wasi_time.h"

namespace wasmgrind::wasi {

ErrnoOr<clockid_t> HostClock(uint32_t clock_id) {
  switch (static_cast<ClockId>(clock_id)) {
    case ClockId::Realtime: return CLOCK_REALTIME;
    case ClockId::Monotonic: return CLOCK_MONOTONIC;
    case ClockId::ProcessCputime: return CLOCK_PROCESS_CPUTIME_ID;
    case ClockId::ThreadCputime: return CLOCK_THREAD_CPUTIME_ID;
  }
  return Errno::Inval;
}

ErrnoOr<Timestamp> ClockNow(uint32_t clock_id) {
  WASI_TRY_ASSIGN(clockid_t clock, HostClock(clock_id));
  timespec ts;
  if (clock_gettime(clock, &ts) != 0) return LastHostErrno();
  return TimestampFromTimespec(ts);
}

Errno ClockResGet(WasiContext& ctx, uint32_t clock_id, GuestPtr resolution_out) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(clockid_t clock, HostClock(clock_id));
  timespec ts;
  if (clock_getres(clock, &ts) != 0) return LastHostErrno();
  return mem.Write<uint64_t>(resolution_out, TimestampFromTimespec(ts), "resolution");
}

Errno ClockTimeGet(WasiContext& ctx, uint32_t clock_id, uint64_t /*precision*/, GuestPtr time_out) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(Timestamp now, ClockNow(clock_id));
  return mem.Write<uint64_t>(time_out, now, "time");
}

Errno RandomGet(WasiContext& ctx, GuestPtr buf, GuestSize buf_len) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::span<uint8_t> bytes, mem.Bytes(buf, buf_len, "buf"));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = getrandom(bytes.data() + done, bytes.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return LastHostErrno();
    }
    done += static_cast<size_t>(n);
  }
  mem.Wrote(buf, buf_len);
  return Errno::Success;
}

Errno SchedYield(WasiContext& /*ctx*/) {
  sched_yield();
  return Errno::Success;
}

}  // namespace wasmgrind::wasi
