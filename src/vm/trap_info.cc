// The register names of TrapInfo (see trap_info.h); the order matches signals::SavedRegister.
#include "vm/trap_info.h"

namespace wasmgrind {

const char* const kTrapRegisterNames[kTrapRegisterCount] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags"};

}  // namespace wasmgrind
