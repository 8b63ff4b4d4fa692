// Command-line values for `wasmgrind run --invoke`: arguments parsed by the export's param
// types, results printed one per line (the way `wasmtime run --invoke` prints them).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.h"
#include "vm/value.h"

namespace wasmgrind {

// i32/i64: decimal (signed or unsigned) or 0x hex; f32/f64: decimal or hex floats, nan, inf,
// and nan:0x<payload> (the text format's NaN with a payload, e.g. -nan:0x1).
// Errors are of kind Usage and name the offending text.
Result<Value> ParseCliValue(ValType type, std::string_view text);
Result<std::vector<Value>> ParseCliArgs(std::span<const ValType> types,
                                        std::span<const std::string> texts);

// i32/i64 as signed decimal, floats in their shortest round-trip form ("inf", "-inf"); a NaN
// as the text format writes it: "nan"/"-nan" when canonical, else "nan:0x<payload>".
std::string FormatCliValue(const Value& v);

}  // namespace wasmgrind
