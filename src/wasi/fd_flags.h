// The guest's fdflags (APPEND, NONBLOCK, DSYNC, SYNC) on its descriptors: what
// fd_fdstat_get reports, what fd_fdstat_set_flags changes, and the emulation that keeps
// inherited stdio's flags to the guest.
//
// Inherited stdio shares its open file description with the host process and whoever else
// holds it (the user's terminal, the shell's pipe): flags set on it outlive the program (a
// terminal left non-blocking). So on such an entry (FdEntry::shared_description) the guest's
// APPEND and NONBLOCK live in FdEntry::emulated_flags and the host's are never changed:
// - APPEND: the file position moves to the end before each fd_write (a seekable file only;
//   a pipe or terminal has no position). Not atomic as O_APPEND is: another writer can slip
//   in between. A host description opened O_APPEND appends whatever the guest asks.
// - NONBLOCK: fd_read/fd_write first poll the descriptor without waiting and return AGAIN
//   when it is not ready. A write larger than a pipe's free space may still wait for the
//   rest once part of it fits.
// - A guest that has not asked for NONBLOCK on a description the host left O_NONBLOCK waits
//   for readiness and retries instead of seeing AGAIN.
// Descriptors the guest opened itself are its own: their flags are the host's, set directly.
#pragma once

#include <cstdint>

#include "fd_table.h"

namespace wasmgrind::wasi {

// The fdflags fd_fdstat_get reports for `entry`.
ErrnoOr<uint16_t> GuestFdflags(const FdEntry& entry);
// fd_fdstat_set_flags: APPEND and NONBLOCK only (NotSup for DSYNC, RSYNC and SYNC, which Linux
// cannot change on an open descriptor). Bits outside kFdflagsAll are the caller's to reject.
Errno SetGuestFdflags(FdEntry& entry, uint32_t fdflags);
// Sets emulated_flags from the host's flags, for a shared description about to be handed to
// the guest (so a `>>` redirection shows as APPEND).
void InitEmulatedFdflags(FdEntry& entry);

enum class TransferKind { Read, Write };
// Before an fd_read/fd_write (`at_position`: at the file position, not pread/pwrite): the
// emulation of APPEND and NONBLOCK on a shared description. Again if the guest asked for
// NONBLOCK and the descriptor is not ready.
Errno BeforeTransfer(const FdEntry& entry, TransferKind kind, bool at_position);
// After a transfer failed with EAGAIN: true if it should be retried, having waited until
// the descriptor is ready (a shared description the host left O_NONBLOCK, for a guest that
// did not ask for NONBLOCK).
bool WaitAfterAgain(const FdEntry& entry, TransferKind kind);

}  // namespace wasmgrind::wasi
