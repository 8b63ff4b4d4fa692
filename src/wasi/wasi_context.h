// WasiContext: the state of one WASI program: its arguments, environment, descriptor table
// (stdio, preopens, everything it opens) and the linear memory it exchanges data through.
//
// Invariants: a context belongs to one Store / one instance and is used by one thread at a
// time. It must outlive every call into the instance whose imports it defined (the host
// functions refer to it). Until BindMemory is called, every function that touches guest
// memory returns Fault. The context owns duplicates of the stdio descriptors it was given,
// so a guest closing fd 1 never closes the embedder's stdout; the duplicates share the
// embedder's open file descriptions, whose flags the guest's are kept apart from
// (fd_flags.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fd_table.h"
#include "guest_memory.h"
#include "vm/result.h"
#include "wasi_options.h"

namespace wasmgrind {
class LinearMemory;
}

namespace wasmgrind::wasi {

class WasiContext {
 public:
  // Opens the preopened directories and duplicates the stdio descriptors. Errors: Usage for
  // an argument or variable containing NUL (or a variable name containing '='), Io for a
  // preopen that cannot be opened as a directory.
  static Result<std::unique_ptr<WasiContext>> Create(const WasiOptions& options);

  // Binds the instance's exported memory; each WASI call then sees its current size
  // (defined in wasi_memory_binding.cc, the only file here that touches the runtime).
  void BindMemory(LinearMemory* memory);
  // Binds any other view of a guest memory (tests, or embedders with their own memory).
  using MemoryView = std::function<GuestMemory()>;
  void BindMemoryView(MemoryView view) { memory_view_ = std::move(view); }
  // The guest memory as of now (Fault if no memory is bound).
  ErrnoOr<GuestMemory> Memory() const {
    if (!memory_view_) return Errno::Fault;
    GuestMemory memory = memory_view_();
    memory.set_call(current_call_);
    return memory;
  }
  // The WASI function being called ("fd_write"), which names the guest memory it touches in
  // memcheck's reports; set by the import's callback (wasi_imports.cc).
  void set_current_call(std::string_view call) { current_call_ = call; }

  // Called by path_open and fd_renumber once they succeeded, to learn where the guest made
  // the descriptor (kept in FdEntry::OpenedBy::site): an id meaningful to whoever installed
  // it (`run --memcheck --track-fds`: the caller's backtrace in the checker), 0 for none.
  // Unset: 0. Keeps this layer free of the checker.
  using OpenSiteHook = std::function<uint64_t()>;
  void set_open_site_hook(OpenSiteHook hook) { open_site_hook_ = std::move(hook); }
  uint64_t OpenSite() const { return open_site_hook_ ? open_site_hook_() : 0; }

  FdTable& fds() { return fds_; }
  const FdTable& fds() const { return fds_; }
  const std::vector<std::string>& args() const { return args_; }
  const std::vector<std::string>& environ() const { return environ_; }  // "NAME=value"

 private:
  WasiContext() = default;

  std::vector<std::string> args_;
  std::vector<std::string> environ_;
  FdTable fds_;
  MemoryView memory_view_;
  std::string_view current_call_;
  OpenSiteHook open_site_hook_;
};

}  // namespace wasmgrind::wasi
