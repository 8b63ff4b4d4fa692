// libFuzzer target: decode and validate arbitrary bytes as a module, every function body
// included (DecodeFunction validates each instruction), without compiling. Any input must end
// in a module or an Error value: a crash, an ASan report, a hang or a leak is a bug.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vm/decode/decode_function.h"
#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"

namespace {

struct IgnoreInstr {
  wasmgrind::Result<void> OnInstr(const wasmgrind::Instr&, const wasmgrind::FunctionValidator&) {
    return wasmgrind::Ok();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info = wasmgrind::DecodeModule(std::vector<uint8_t>(data, data + size));
  if (!info.ok() || !wasmgrind::ValidateModule(*info).ok()) return 0;
  IgnoreInstr consumer;
  for (uint32_t i = 0; i < info->codes.size(); ++i)
    if (!wasmgrind::DecodeFunction(*info, i, consumer).ok()) break;
  return 0;
}
