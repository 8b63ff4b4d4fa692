# libFuzzer targets (clang's -fsanitize=fuzzer; the project is built with
# -fsanitize=fuzzer-no-link,address by WASMGRIND_FUZZ, see the top-level CMakeLists.txt):
#   fuzz_decode   decode + validate (every function body) of arbitrary bytes
#   fuzz_compile  decode + validate + JIT compile + instantiate of arbitrary bytes
# How to run them: README.md in this directory.
foreach(target IN ITEMS fuzz_decode fuzz_compile)
  add_executable(${target} ${CMAKE_CURRENT_SOURCE_DIR}/${target}.cc)
  target_link_libraries(${target} PRIVATE wasmgrind_vm)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
endforeach()
