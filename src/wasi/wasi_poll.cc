// poll_oneoff: wait for clock timeouts and descriptor readiness.
//
// Clock subscriptions become one timeout (the earliest); fd_read/fd_write subscriptions
// become a ppoll(2) set. Subscriptions that are invalid (bad descriptor, missing rights,
// unknown clock) produce an event with that error right away and make the call not block.
// If any descriptor is ready, only descriptor events are reported; otherwise the clock
// subscriptions whose time has come are. At most nsubscriptions events are written.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <optional>

#include "host_convert.h"
#include "wasi_functions.h"
#include "wasi_time.h"

namespace wasmgrind::wasi {
namespace {

constexpr uint64_t kNoTimeout = std::numeric_limits<uint64_t>::max();

struct FdWait {
  size_t sub_index;
  int host_fd;
};

// Bytes available to read, for fd_read events (best effort: 0 if unknown).
uint64_t ReadableBytes(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? static_cast<uint64_t>(st.st_size - pos) : 0;
  }
  int avail = 0;
  if (ioctl(fd, FIONREAD, &avail) == 0 && avail > 0) return static_cast<uint64_t>(avail);
  return 0;
}

WasiEvent MakeEvent(const WasiSubscription& sub, Errno error) {
  WasiEvent ev{};
  ev.userdata = sub.userdata;
  ev.error = static_cast<uint16_t>(error);
  ev.type = sub.tag;
  return ev;
}

// Nanoseconds from now until the clock subscription fires (0 if it already has).
ErrnoOr<uint64_t> ClockRemaining(const WasiSubscription& sub) {
  if (!(sub.flags & kSubclockAbstime)) {
    WASI_TRY(HostClock(sub.clock_id_or_fd).error());
    return sub.timeout;
  }
  WASI_TRY_ASSIGN(Timestamp now, ClockNow(sub.clock_id_or_fd));
  return sub.timeout > now ? sub.timeout - now : 0;
}

}  // namespace

Errno PollOneoff(WasiContext& ctx, GuestPtr in, GuestPtr out, uint32_t nsubscriptions,
                 GuestPtr nevents_out) {
  if (nsubscriptions == 0) return Errno::Inval;
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  uint64_t n = nsubscriptions;
  if (!mem.InBounds(in, n * sizeof(WasiSubscription)) ||
      !mem.InBounds(out, n * sizeof(WasiEvent)) || !mem.InBounds(nevents_out, 4))
    return Errno::Fault;

  std::vector<WasiSubscription> subs(nsubscriptions);
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    WASI_TRY_ASSIGN(subs[i],
                    mem.Read<WasiSubscription>(in + uint64_t{i} * sizeof(WasiSubscription), "in"));
  }

  std::vector<WasiEvent> events;
  std::vector<FdWait> waits;
  std::vector<pollfd> pollfds;
  std::vector<std::optional<uint64_t>> remaining(nsubscriptions);  // clock subscriptions
  uint64_t timeout = kNoTimeout;
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    const WasiSubscription& sub = subs[i];
    switch (sub.tag) {
      case static_cast<uint8_t>(EventType::Clock): {
        ErrnoOr<uint64_t> left = ClockRemaining(sub);
        if (!left.ok()) {
          events.push_back(MakeEvent(sub, left.error()));
          break;
        }
        remaining[i] = *left;
        timeout = std::min(timeout, *left);
        break;
      }
      case static_cast<uint8_t>(EventType::FdRead):
      case static_cast<uint8_t>(EventType::FdWrite): {
        ErrnoOr<FdEntry*> entry = ctx.fds().Get(sub.clock_id_or_fd, right::kPollFdReadwrite);
        if (!entry.ok()) {
          events.push_back(MakeEvent(sub, entry.error()));
          break;
        }
        bool read = sub.tag == static_cast<uint8_t>(EventType::FdRead);
        waits.push_back({i, (*entry)->fd.get()});
        pollfds.push_back({(*entry)->fd.get(), static_cast<short>(read ? POLLIN : POLLOUT), 0});
        break;
      }
      default: return Errno::Inval;
    }
  }
  if (!events.empty()) timeout = 0;  // errors to report: do not block

  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  timespec ts = TimespecFromTimestamp(timeout == kNoTimeout ? 0 : timeout);
  int ready;
  do {
    ready = ppoll(pollfds.data(), pollfds.size(), timeout == kNoTimeout ? nullptr : &ts, nullptr);
  } while (ready < 0 && errno == EINTR);  // (a restart waits the full time again; rare)
  if (ready < 0) return LastHostErrno();

  if (ready > 0) {
    for (size_t k = 0; k < pollfds.size(); ++k) {
      short revents = pollfds[k].revents;
      if (revents == 0) continue;
      const WasiSubscription& sub = subs[waits[k].sub_index];
      WasiEvent ev = MakeEvent(sub, Errno::Success);
      if (revents & POLLNVAL)
        ev.error = static_cast<uint16_t>(Errno::Badf);
      else if (revents & POLLERR)
        ev.error = static_cast<uint16_t>(Errno::Io);
      if (revents & POLLHUP) ev.fd_readwrite_flags |= kEventFdReadwriteHangup;
      if (sub.tag == static_cast<uint8_t>(EventType::FdRead) && ev.error == 0)
        ev.fd_readwrite_nbytes = ReadableBytes(waits[k].host_fd);
      events.push_back(ev);
    }
  } else if (timeout != kNoTimeout) {
    timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    uint64_t elapsed = TimestampFromTimespec(end) - TimestampFromTimespec(start);
    for (uint32_t i = 0; i < nsubscriptions; ++i) {
      if (remaining[i] && (*remaining[i] <= elapsed || *remaining[i] == timeout))
        events.push_back(MakeEvent(subs[i], Errno::Success));
    }
  }

  for (size_t k = 0; k < events.size() && k < nsubscriptions; ++k) {
    WASI_TRY(mem.Write(out + k * sizeof(WasiEvent), events[k], "out"));
  }
  uint32_t count = static_cast<uint32_t>(std::min<size_t>(events.size(), nsubscriptions));
  return mem.Write<uint32_t>(nevents_out, count, "nevents");
}

}  // namespace wasmgrind::wasi
