// Preview1 clock ids on the host, shared by the clock functions and poll_oneoff.
#pragma once

#include <time.h>

#include <cstdint>

#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

ErrnoOr<clockid_t> HostClock(uint32_t clock_id);  // Inval for an unknown id
ErrnoOr<Timestamp> ClockNow(uint32_t clock_id);

}  // namespace wasmgrind::wasi
