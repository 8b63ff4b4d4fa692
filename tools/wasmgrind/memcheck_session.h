// MemcheckSession: `wasmgrind run --memcheck` around one program: makes the checker of its
// instance (Store::SetMemcheckFactory) with the user's Valgrind-style options, names frames
// through the tool's Symbolizer, reports an out-of-bounds trap as the invalid access it is,
// and at the end runs the leak check and writes the summaries.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "memcheck/memcheck_options.h"
#include "memcheck/memory_checker.h"
#include "symbolizer.h"
#include "vm/runtime/api.h"
#include "vm/trap_info.h"
#include "wasi_context.h"

namespace wasmgrind {

class MemcheckSession {
 public:
  // `command`: the program and its arguments; `tool_args`: wasmgrind's own argv.
  MemcheckSession(memcheck::MemcheckOptions options, Symbolizer& symbols,
                  std::vector<std::string> tool_args, std::vector<std::string> command);
  ~MemcheckSession();

  MemcheckFactory Factory();

  // The program trapped with `trap`: an out-of-bounds access of memory 0 is first reported as
  // an Invalid read/write ("outside linear memory"), as Valgrind reports the access that
  // killed a program; a C stack overflow as a StackOverflow error. Then, as Valgrind's report
  // of a native program killed by a signal, the fatal signal a native build would die of.
  void OnTrap(const Error& trap, const Instance& instance);

  // --track-fds: has `wasi` ask `instance`'s checker for the caller's backtrace whenever the
  // program opens a descriptor, so that Finish can say where each one open at exit was
  // opened. Call before the program runs; `wasi` must outlive Finish. Nothing without the
  // option.
  void TrackFds(wasi::WasiContext& wasi, const Instance& instance);

  // The program ended with `program_status` (134 for a trap). Lists the descriptors open
  // (--track-fds), runs the leak check and writes the summaries; returns the status to exit
  // with (--error-exitcode).
  int Finish(int program_status, const Instance* instance);

 private:
  class FrameNames;
  // The signal a native build of the program dies of where it trapped with `trap` (`frames`:
  // the trap's frames in the checked module); none for a trap that is no fault (exit, a host
  // error).
  std::optional<memcheck::PrintedFatalSignal> NativeSignalOf(
      const TrapInfo& trap, const memcheck::Backtrace& frames) const;
  memcheck::MemcheckOptions options_;
  Symbolizer& symbols_;
  std::vector<std::string> tool_args_, command_;
  std::vector<std::unique_ptr<FrameNames>> names_;  // one per checked module; outlive checkers
  const wasi::WasiContext* wasi_ = nullptr;         // TrackFds'
};

}  // namespace wasmgrind
