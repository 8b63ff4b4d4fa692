// The replacement of asmjit's RAAssignment::verify, and AsmjitCompiler (see asmjit_shim.h).
#include "vm/jit/asmjit_shim.h"

#include <string_view>

// verify() is an inline member that Debian's libasmjit.a (built without NDEBUG) carries as a
// weak symbol and calls after every instruction it allocates; this strong definition replaces
// it at link time. It only checks asmjit's own invariants (it asserts, it computes nothing),
// and the spec suite and the csmith differential tests run with it replaced. Its mangled name
// holds asmjit's ABI namespace: the static_assert stops the build if the headers name another
// one (then update the name), and jit_tests' AsmjitShimTest fails if asmjit stops calling it.
#define WG_ASMJIT_STR2(x) #x
#define WG_ASMJIT_STR(x) WG_ASMJIT_STR2(x)
static_assert(std::string_view(WG_ASMJIT_STR(ASMJIT_ABI_NAMESPACE)) == "_abi_1_9",
              "asmjit's ABI namespace changed: update the mangled name of RAAssignment::verify");

namespace {
thread_local uint64_t verify_calls = 0;
}  // namespace

extern "C" void WgAsmjitReplacedAssignmentVerify() __asm__(
    "_ZN6asmjit8_abi_1_912RAAssignment6verifyEv");
extern "C" void WgAsmjitReplacedAssignmentVerify() { ++verify_calls; }

namespace wasmgrind::jit {

AsmjitCompiler::AsmjitCompiler(asmjit::CodeHolder* code) : asmjit::x86::Compiler(code) {}

uint64_t AsmjitVerifyCallsOnThisThread() { return verify_calls; }

}  // namespace wasmgrind::jit
