// Whole-file reads for the CLI: errors come back as values of kind Io naming the path.
//
// Only regular files and pipes are read (a device such as /dev/zero never ends), and at most
// kMaxInputFileBytes of them: a larger regular file is refused before reading, a pipe as soon
// as it passes the limit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vm/result.h"

namespace wasmgrind {

// The largest module (or spec-test file) the CLI reads: 1 GiB, V8's limit on module size.
inline constexpr uint64_t kMaxInputFileBytes = uint64_t{1} << 30;

Result<std::vector<uint8_t>> ReadBinaryFile(const std::filesystem::path& path,
                                            uint64_t max_bytes = kMaxInputFileBytes);
Result<std::string> ReadTextFile(const std::filesystem::path& path,
                                 uint64_t max_bytes = kMaxInputFileBytes);

}  // namespace wasmgrind
