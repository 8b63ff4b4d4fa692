// Leak kind names and Valgrind's list syntax (see leak_kind.h).
#include "memcheck/leak_kind.h"

namespace wasmgrind::memcheck {

namespace {
constexpr LeakKind kAllKinds[] = {LeakKind::Definite, LeakKind::Indirect, LeakKind::Possible,
                                  LeakKind::Reachable};
}

const char* LeakKindWord(LeakKind k) {
  switch (k) {
    case LeakKind::Definite: return "definite";
    case LeakKind::Indirect: return "indirect";
    case LeakKind::Possible: return "possible";
    case LeakKind::Reachable: return "reachable";
  }
  return "?";
}

const char* LeakKindPhrase(LeakKind k) {
  switch (k) {
    case LeakKind::Definite: return "definitely lost";
    case LeakKind::Indirect: return "indirectly lost";
    case LeakKind::Possible: return "possibly lost";
    case LeakKind::Reachable: return "still reachable";
  }
  return "?";
}

std::optional<LeakKindSet> ParseLeakKindSet(std::string_view text) {
  if (text == "all") return LeakKindSet::All();
  if (text == "none") return LeakKindSet();
  LeakKindSet set;
  while (true) {
    size_t comma = text.find(',');
    std::string_view word = text.substr(0, comma);
    bool known = false;
    for (LeakKind k : kAllKinds) {
      if (word == LeakKindWord(k)) {
        set = set.With(k);
        known = true;
      }
    }
    if (!known) return std::nullopt;
    if (comma == std::string_view::npos) return set;
    text.remove_prefix(comma + 1);
  }
}

std::string LeakKindSetWords(LeakKindSet set) {
  std::string out;
  for (LeakKind k : kAllKinds) {
    if (!set.Has(k)) continue;
    if (!out.empty()) out += ',';
    out += LeakKindWord(k);
  }
  return out.empty() ? "none" : out;
}

}  // namespace wasmgrind::memcheck
