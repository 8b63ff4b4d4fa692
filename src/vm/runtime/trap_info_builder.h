// AttachTrapInfo: turns the raw record an unwind left (trap_boundary.h: TrapRecord) into the
// TrapInfo value of the Error (trap_info.h), after the jump, in ordinary code: which module,
// function and wasm instruction each JIT frame is at (PC maps and trap sites of the store's
// instances), which instance and memory a fault hit (the instance's interval map of memory
// reservations), the wasm address of the access (from the faulting instruction's memory
// operand and the saved registers when they agree with the kernel's fault address), and the
// access size and direction (from the opcode table, decoding the wasm instruction).
#pragma once

#include "vm/result.h"
#include "vm/runtime/runtime_access.h"
#include "vm/runtime/trap_boundary.h"

namespace wasmgrind {

// For an Error of kind Trap without trap_info: sets error.trap_info, and error.offset (the
// trapping wasm instruction) if it was not set. Other errors are left alone.
void AttachTrapInfo(const StoreImpl& store, const TrapRecord& record, Error& error);

}  // namespace wasmgrind
