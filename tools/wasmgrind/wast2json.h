// Running wabt's wast2json: the spec scripts are in the text format, which wasmgrind does not
// parse; wast2json turns a script into JSON commands plus one .wasm file per module.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "vm/result.h"

namespace wasmgrind {

// The first executable `name` on $PATH (or `name` itself if it contains a '/').
std::optional<std::filesystem::path> FindOnPath(std::string_view name);

// Runs `tool wast -o out_dir/<stem>.json` and returns the JSON's path. A failure (kind Io)
// carries the first line wast2json printed.
Result<std::filesystem::path> ConvertWast(const std::filesystem::path& tool,
                                          const std::filesystem::path& wast,
                                          const std::filesystem::path& out_dir);

}  // namespace wasmgrind
