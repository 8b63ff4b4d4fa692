// GuestMemoryObserver: what host code that reads or writes a guest's memory 0 on the guest's
// behalf (the WASI host functions, through wasi/guest_memory.h) tells the memory checker.
//
// Why here, in the core: the WASI layer may not include the checker (src/memcheck) and the
// runtime, which implements this for `--memcheck` (runtime/memcheck_runtime.cc), may not
// include the WASI layer; both see the core. A LinearMemory holds the observer of the
// instance checking it (LinearMemory::host_observer), null without --memcheck: a reader that
// finds null does nothing more, so an unchecked run pays one pointer test per access.
//
// The runtime's own readers and writers (the libc replacements, memory.copy/fill/init, data
// segments) call the checker directly: they know their JIT caller's frame, which a host
// function's code does not (the observer finds it from the innermost host call).
#pragma once

#include <cstdint>
#include <string_view>

namespace wasmgrind {

class GuestMemoryObserver {
 public:
  enum class Access : uint8_t { Read, Write };

  // The host is about to read or write [address, address + length) (already checked to lie
  // inside the memory) for `call`'s parameter `param`, named as in the witx ("fd_write",
  // "buf"). A bad range is reported as Valgrind reports a system call's ("Syscall param
  // fd_write(buf) points to unaddressable byte(s)"); the call goes ahead either way, as the
  // system call does under Valgrind.
  virtual void OnHostAccess(Access access, uint64_t address, uint64_t length, std::string_view call,
                            std::string_view param) = 0;
  // The host wrote [address, address + length): the bytes hold defined values now (the hook
  // for uninitialised-value tracking; Valgrind's POST_MEM_WRITE).
  virtual void OnHostWrote(uint64_t address, uint64_t length) = 0;

 protected:
  ~GuestMemoryObserver() = default;
};

}  // namespace wasmgrind
