// The four leak kinds and sets of them (--show-leak-kinds=definite,possible).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wasmgrind::memcheck {

// Ordered as Valgrind orders loss records of equal size.
enum class LeakKind : uint8_t { Reachable, Possible, Indirect, Definite };

class LeakKindSet {
 public:
  constexpr LeakKindSet() = default;
  static constexpr LeakKindSet All() { return LeakKindSet(0xf); }
  static constexpr LeakKindSet Of(std::initializer_list<LeakKind> kinds) {
    LeakKindSet s;
    for (LeakKind k : kinds) s = s.With(k);
    return s;
  }
  constexpr LeakKindSet With(LeakKind k) const { return LeakKindSet(bits_ | Bit(k)); }
  constexpr bool Has(LeakKind k) const { return (bits_ & Bit(k)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const LeakKindSet&) const = default;

 private:
  constexpr explicit LeakKindSet(uint8_t bits) : bits_(bits) {}
  static constexpr uint8_t Bit(LeakKind k) { return uint8_t(1u << static_cast<unsigned>(k)); }
  uint8_t bits_ = 0;
};

// "definite", "indirect", "possible", "reachable": option values and match-leak-kinds words.
const char* LeakKindWord(LeakKind k);
// "definitely lost", "indirectly lost", "possibly lost", "still reachable".
const char* LeakKindPhrase(LeakKind k);
// Valgrind's list syntax: "all", "none", or comma-separated words. nullopt: a bad word.
std::optional<LeakKindSet> ParseLeakKindSet(std::string_view text);
// The list back in Valgrind's words ("definite,possible").
std::string LeakKindSetWords(LeakKindSet set);

// Valgrind's leak heuristics (--leak-check-heuristics, all by default): interior pointers that
// C and C++ programs make routinely, which count as start pointers where the block around
// them has the shape each one expects (leak_checker.h says which). In Valgrind's order.
enum class LeakHeuristic : uint8_t { StdString, Length64, NewArray, MultipleInheritance };
inline constexpr int kLeakHeuristicCount = 4;

class LeakHeuristicSet {
 public:
  constexpr LeakHeuristicSet() = default;
  static constexpr LeakHeuristicSet All() { return LeakHeuristicSet(0xf); }
  constexpr LeakHeuristicSet With(LeakHeuristic h) const {
    return LeakHeuristicSet(bits_ | Bit(h));
  }
  constexpr bool Has(LeakHeuristic h) const { return (bits_ & Bit(h)) != 0; }
  constexpr bool operator==(const LeakHeuristicSet&) const = default;

 private:
  constexpr explicit LeakHeuristicSet(uint8_t bits) : bits_(bits) {}
  static constexpr uint8_t Bit(LeakHeuristic h) { return uint8_t(1u << static_cast<unsigned>(h)); }
  uint8_t bits_ = 0;
};

// "stdstring", "length64", "newarray", "multipleinheritance".
const char* LeakHeuristicWord(LeakHeuristic h);
// "all", "none", or comma-separated words. nullopt: a bad word.
std::optional<LeakHeuristicSet> ParseLeakHeuristicSet(std::string_view text);

}  // namespace wasmgrind::memcheck
