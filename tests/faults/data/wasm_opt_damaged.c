// The source of wasm_opt_damaged.wasm, a module whose debug info binaryen's wasm-opt destroyed:
// built with binaryen 108's wasm-opt on PATH (Debian 12), in one step, at -O2:
//   clang --target=wasm32-wasi -O2 -g -nostdlib -Wl,--no-entry -Wl,--export=divide \
//     wasm_opt_damaged.c -o wasm_opt_damaged.wasm
// clang's link step ran wasm-opt, which dropped the name section and set the DWARF code
// addresses to 0. Checked in because binaryen is not installed where the tests run.
static int quotient(int a, int b) { return a / b; }

int divide(int a, int b) { return quotient(a, b) + 1; }
