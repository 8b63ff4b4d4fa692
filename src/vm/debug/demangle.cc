// Demangling through the C++ runtime's __cxa_demangle (libstdc++ ships it; no extra library).
#include "vm/debug/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace wasmgrind {

std::string Demangle(std::string_view name) {
  if (name.size() < 3 || name.substr(0, 2) != "_Z") return std::string(name);
  std::string owned(name);
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(
      abi::__cxa_demangle(owned.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !out) return owned;
  return std::string(out.get());
}

}  // namespace wasmgrind
