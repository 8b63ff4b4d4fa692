// Feature enum and facts, expanded from features.def, and the one way to refuse a module for
// using a proposal we do not implement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "vm/result.h"

namespace wasmgrind {

enum class Feature : uint8_t {
#define WG_FEATURE(name, text, supported, prefix) name,
#include "vm/features.def"
#undef WG_FEATURE
};

struct FeatureInfo {
  std::string_view text;
  bool supported;
  uint8_t prefix;  // opcode prefix it adds, 0 if none
};

inline constexpr FeatureInfo kFeatureInfo[] = {
#define WG_FEATURE(name, text, supported, prefix) {text, supported, prefix},
#include "vm/features.def"
#undef WG_FEATURE
};

constexpr const FeatureInfo& Info(Feature f) { return kFeatureInfo[static_cast<uint8_t>(f)]; }
constexpr bool Supported(Feature f) { return Info(f).supported; }

// The unsupported feature that adds opcode prefix `byte`, if any.
constexpr std::optional<Feature> UnsupportedFeatureOfPrefix(uint8_t byte) {
  for (size_t i = 0; i < std::size(kFeatureInfo); ++i) {
    if (kFeatureInfo[i].prefix == byte && !kFeatureInfo[i].supported)
      return static_cast<Feature>(i);
  }
  return std::nullopt;
}

// "SIMD is not supported yet: <what>", kind Unsupported, at `offset`.
Error UnsupportedFeatureError(Feature f, std::string_view what, std::optional<size_t> offset);

}  // namespace wasmgrind
