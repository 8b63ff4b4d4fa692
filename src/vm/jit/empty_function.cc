// IsEmptyFunction / EmitEmptyFunction (see empty_function.h).
#include "vm/jit/empty_function.h"

#include "vm/libc_replacements.h"

namespace wasmgrind::jit {

bool IsEmptyFunction(const ModuleEnv& env, uint32_t defined_index) {
  const ModuleInfo& module = env.module;
  uint32_t func_index = module.num_imported_funcs + defined_index;
  if (env.map_every_instruction || !module.func_type(func_index).results.empty()) return false;
  const FunctionBody& body = module.codes[defined_index];
  constexpr uint8_t kNop = 0x01, kEnd = 0x0b;
  if (body.body_end <= body.body_offset || module.bytes[body.body_end - 1] != kEnd) return false;
  for (uint32_t i = body.body_offset; i + 1 < body.body_end; ++i) {
    if (module.bytes[i] != kNop) return false;
  }
  return !env.replace_libc_functions || !FindLibcReplacement(module, func_index).has_value();
}

void EmitEmptyFunction(x86::Compiler& cc, FunctionRecord& record, bool bind_end) {
  // Outside any FuncNode: the register allocator and the frame pass leave these alone.
  // As bytes: one node instead of four instructions to encode (a third of the time such a
  // function costs).
  static constexpr uint8_t kCode[] = {
      0x55,              // push rbp
      0x48, 0x89, 0xe5,  // mov rbp, rsp
      0x5d,              // pop rbp
      0xc3,              // ret
  };
  cc.bind(record.entry);
  cc.embed(kCode, sizeof kCode);
  if (bind_end) cc.bind(record.end);
}

}  // namespace wasmgrind::jit
