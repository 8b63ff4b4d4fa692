// Correct: C++ containers that grow: a deque pushed at both ends past many blocks, a
// vector<bool> (each bit a read-modify-write of a partly written word), a vector of structs
// with padding moved on every reallocation, strings grown by append, insert and resize, an
// unordered_map rehashed as it grows, stable_sort (which sorts through an uninitialised
// temporary buffer) and a bitset. Every result is checked.
// EXPECT: none
// RUN: exit=0
#include <algorithm>
#include <bitset>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

int failures = 0;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what);
    ++failures;
  }
}

struct Padded {
  char tag;  // padding after it
  int value;
  short rank;  // and after this one
};

}  // namespace

int main() {
  std::deque<int> deque;
  for (int i = 0; i < 5000; ++i) {
    deque.push_back(i);
    deque.push_front(-i);
  }
  Check(deque.size() == 10000 && deque.front() == -4999 && deque.back() == 4999, "deque ends");
  long deque_sum = 0;
  for (int v : deque) deque_sum += v;
  Check(deque_sum == 0, "deque contents");
  while (deque.size() > 10) deque.pop_front();
  Check(deque.front() == 4990, "deque after pop_front");

  std::vector<bool> bits;
  for (int i = 0; i < 1000; ++i) bits.push_back(i % 3 == 0);
  bits.flip();
  bits[1] = false;
  Check(std::count(bits.begin(), bits.end(), true) == 665, "vector<bool>");

  std::vector<Padded> padded;
  for (int i = 0; i < 3000; ++i) padded.push_back(Padded{static_cast<char>('a' + i % 26), i,
                                                         static_cast<short>(i % 7)});
  padded.insert(padded.begin() + 10, Padded{'z', -1, 0});
  padded.erase(padded.begin());
  long padded_sum = 0;
  for (const Padded& p : padded) padded_sum += p.value + p.rank;
  Check(padded.size() == 3000 && padded[9].value == -1 && padded_sum == 4498499 + 8994,
        "vector of padded structs");

  std::string text = "start";
  for (int i = 0; i < 300; ++i) text.append(std::to_string(i % 10));
  text.insert(0, "<");
  text.resize(text.size() + 5, '.');
  text.reserve(4096);
  text.push_back('>');
  Check(text.size() == 312 && text.compare(0, 6, "<start") == 0 &&
            text.compare(text.size() - 6, 6, ".....>") == 0,
        "string growth");

  std::unordered_map<std::string, int> counts;
  for (int i = 0; i < 2000; ++i) ++counts["k" + std::to_string(i % 1500)];
  Check(counts.size() == 1500 && counts.at("k0") == 2 && counts.at("k1499") == 1,
        "unordered_map growth");

  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < 2000; ++i) pairs.emplace_back((i * 7919) % 100, i);
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  bool stable = true;
  for (size_t i = 1; i < pairs.size(); ++i)
    if (pairs[i - 1].first == pairs[i].first && pairs[i - 1].second > pairs[i].second)
      stable = false;
  Check(stable && pairs.front().first == 0 && pairs.back().first == 99, "stable_sort");

  std::bitset<100> set;
  for (int i = 0; i < 100; i += 5) set.set(i);
  set.flip(0);
  Check(set.count() == 19 && set.test(5) && !set.test(0), "bitset");

  std::printf("stl growth %s\n", failures == 0 ? "ok" : "FAILED");
  return failures != 0;
}
