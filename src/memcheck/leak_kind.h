// The four leak kinds, the leak heuristics, and sets of them (--show-leak-kinds=definite,possible,
// --leak-check-heuristics=all).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace wasmgrind::memcheck {

// Ordered as Valgrind orders loss records of equal size.
enum class LeakKind : uint8_t { Reachable, Possible, Indirect, Definite };

// A set of an enum's values (at most 8 of them, numbered from 0); `kCount` of them in all.
template <typename Enum, unsigned kCount>
class EnumSet {
 public:
  constexpr EnumSet() = default;
  static constexpr EnumSet All() { return EnumSet(uint8_t((1u << kCount) - 1)); }
  static constexpr EnumSet Of(std::initializer_list<Enum> members) {
    EnumSet s;
    for (Enum m : members) s = s.With(m);
    return s;
  }
  constexpr EnumSet With(Enum m) const { return EnumSet(uint8_t(bits_ | Bit(m))); }
  constexpr EnumSet Without(Enum m) const { return EnumSet(uint8_t(bits_ & ~Bit(m))); }
  constexpr bool Has(Enum m) const { return (bits_ & Bit(m)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const EnumSet&) const = default;

 private:
  constexpr explicit EnumSet(uint8_t bits) : bits_(bits) {}
  static constexpr uint8_t Bit(Enum m) { return uint8_t(1u << static_cast<unsigned>(m)); }
  uint8_t bits_ = 0;
};

using LeakKindSet = EnumSet<LeakKind, 4>;

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

using LeakHeuristicSet = EnumSet<LeakHeuristic, kLeakHeuristicCount>;

// "stdstring", "length64", "newarray", "multipleinheritance".
const char* LeakHeuristicWord(LeakHeuristic h);
// "all", "none", or comma-separated words. nullopt: a bad word.
std::optional<LeakHeuristicSet> ParseLeakHeuristicSet(std::string_view text);

}  // namespace wasmgrind::memcheck
