// Whole-file reads for the CLI: errors come back as values of kind Io naming the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "result.h"

namespace wasmgrind {

Result<std::vector<uint8_t>> ReadBinaryFile(const std::filesystem::path& path);
Result<std::string> ReadTextFile(const std::filesystem::path& path);

}  // namespace wasmgrind
