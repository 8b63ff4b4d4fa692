// Demangle: readable names for C++ symbols found in the name section or DWARF.
#pragma once

#include <string>
#include <string_view>

namespace wasmgrind {

// "_ZN3foo3barEi" -> "foo::bar(int)"; anything that is not an Itanium-mangled name is returned
// unchanged.
std::string Demangle(std::string_view name);

}  // namespace wasmgrind
