// libFuzzer target: decode, validate, compile (the JIT) and instantiate arbitrary bytes. Any
// input must end in an instance or an Error value: a crash, an ASan report, a hang or a leak is
// a bug. Nothing runs: a module with a start function is compiled but not instantiated (its
// code could loop forever), and no imports are defined, so modules with imports stop at linking.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One engine per input, so that interned types and code memory do not pile up across inputs.
  wasmgrind::Engine engine(wasmgrind::EngineOptions{.compile_threads = 1});
  auto module = wasmgrind::Module::Compile(engine, std::vector<uint8_t>(data, data + size));
  if (!module.ok() || (*module)->info().start) return 0;
  wasmgrind::Store store(engine);
  wasmgrind::Linker linker;
  (void)linker.Instantiate(store, *module);
  return 0;
}
