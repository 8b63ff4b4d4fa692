// The CLI runs each command on a thread whose stack it sizes itself, so that wasm gets the same
// stack whatever `ulimit -s` says: the main thread's stack is the limit's size (64 KiB under
// `ulimit -s 64`, with every call into wasm trapping), or, under `ulimit -s unlimited`, whatever
// the address space allows (infinite recursion then grows memory until the OOM killer).
//
// The command thread's stack: kCommandHostStack for the CLI's own frames above the entry into
// wasm (compiling, linking, the WASI host functions' callers), then max_wasm_stack for wasm
// frames, then signals::kHostStackReserve for what runs below the deepest wasm frame.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string_view>

#include "vm/result.h"

namespace wasmgrind {

inline constexpr uint64_t kCommandHostStack = 8u << 20;  // a default Linux main thread's stack

// --max-wasm-stack's accepted range.
inline constexpr uint64_t kMinMaxWasmStack = 4u << 10;
inline constexpr uint64_t kMaxMaxWasmStack = 1u << 30;

// Parses a byte count for --max-wasm-stack: decimal digits, optionally followed by K, M or G
// (KiB, MiB, GiB; either case), within [kMinMaxWasmStack, kMaxMaxWasmStack]. A Usage error
// otherwise, saying what was expected.
Result<uint64_t> ParseMaxWasmStack(std::string_view text);

// Makes threads created later without an explicit stack size (the JIT's compile threads) get
// kCommandHostStack instead of the `ulimit -s` size that glibc would give them.
void UseFixedDefaultThreadStack();

// Runs `command` on a new thread with a stack for `max_wasm_stack` bytes of wasm frames (see
// above), waits for it and returns its exit status. If the thread cannot be created, prints one
// "wasmgrind: error: ..." line to `err` and returns kExitError.
int RunOnCommandThread(uint64_t max_wasm_stack, const std::function<int()>& command,
                       std::ostream& err);

}  // namespace wasmgrind
