// Leak kind names and Valgrind's list syntax (see leak_kind.h).
#include "memcheck/leak_kind.h"

#include <algorithm>
#include <iterator>

namespace wasmgrind::memcheck {

namespace {
constexpr LeakKind kAllKinds[] = {LeakKind::Definite, LeakKind::Indirect, LeakKind::Possible,
                                  LeakKind::Reachable};
constexpr LeakHeuristic kAllHeuristics[] = {LeakHeuristic::StdString, LeakHeuristic::Length64,
                                            LeakHeuristic::NewArray,
                                            LeakHeuristic::MultipleInheritance};

// Valgrind's list syntax: "all", "none", or words of `members` joined by commas.
template <typename Set, typename Member, size_t N>
std::optional<Set> ParseSet(std::string_view text, const Member (&members)[N],
                            const char* (*word)(Member)) {
  if (text == "all") return Set::All();
  if (text == "none") return Set();
  Set set;
  while (true) {
    size_t comma = text.find(',');
    std::string_view w = text.substr(0, comma);
    const Member* found = std::find_if(std::begin(members), std::end(members),
                                       [&](Member m) { return w == word(m); });
    if (found == std::end(members)) return std::nullopt;
    set = set.With(*found);
    if (comma == std::string_view::npos) return set;
    text.remove_prefix(comma + 1);
  }
}
}  // namespace

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
  return ParseSet<LeakKindSet>(text, kAllKinds, LeakKindWord);
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

const char* LeakHeuristicWord(LeakHeuristic h) {
  switch (h) {
    case LeakHeuristic::StdString: return "stdstring";
    case LeakHeuristic::Length64: return "length64";
    case LeakHeuristic::NewArray: return "newarray";
    case LeakHeuristic::MultipleInheritance: return "multipleinheritance";
  }
  return "?";
}

std::optional<LeakHeuristicSet> ParseLeakHeuristicSet(std::string_view text) {
  return ParseSet<LeakHeuristicSet>(text, kAllHeuristics, LeakHeuristicWord);
}

}  // namespace wasmgrind::memcheck
