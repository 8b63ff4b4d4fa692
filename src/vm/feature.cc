// UnsupportedFeatureError (feature.h).
#include "vm/feature.h"

#include <fmt/format.h>

namespace wasmgrind {

Error UnsupportedFeatureError(Feature f, std::string_view what, std::optional<size_t> offset) {
  return Error::Make(ErrorKind::Unsupported,
                     fmt::format("{} is not supported yet: {}", Info(f).text, what), offset);
}

}  // namespace wasmgrind
