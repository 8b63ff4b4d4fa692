// ValidateFunctionBody: DecodeFunction with a consumer that does nothing.
#include "vm/decode/decode_function.h"

namespace wasmgrind {

namespace {
struct NullConsumer {
  Result<void> OnInstr(const Instr&, const FunctionValidator&) { return Ok(); }
};
}  // namespace

Result<void> ValidateFunctionBody(const ModuleInfo& module, uint32_t defined_index) {
  NullConsumer consumer;
  return DecodeFunction(module, defined_index, consumer);
}

}  // namespace wasmgrind
