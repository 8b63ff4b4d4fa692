// Correct: the C++ standard containers: vector, string, map, unordered_map, set, deque, list
// and unique_ptr, grown, searched, erased and destroyed.
// EXPECT: none
// RUN: exit=0
#include <cstdio>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

int main() {
  std::vector<int> numbers;
  for (int i = 0; i < 1000; ++i) numbers.push_back(i);
  numbers.erase(numbers.begin(), numbers.begin() + 500);
  numbers.shrink_to_fit();

  std::string text;
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + ",";
  std::string small = "sso";  // fits in the string object itself

  std::map<std::string, int> ordered;
  std::unordered_map<int, std::string> hashed;
  for (int i = 0; i < 200; ++i) {
    ordered["key" + std::to_string(i)] = i;
    hashed[i] = std::string(i % 20, 'x');
  }
  for (int i = 0; i < 200; i += 2) {
    ordered.erase("key" + std::to_string(i));
    hashed.erase(i);
  }

  std::set<long> seen(numbers.begin(), numbers.end());
  std::deque<int> window;
  for (int i = 0; i < 300; ++i) {
    window.push_back(i);
    if (window.size() > 16) window.pop_front();
  }
  std::list<std::unique_ptr<int>> owned;
  for (int i = 0; i < 50; ++i) owned.push_back(std::make_unique<int>(i));
  owned.remove_if([](const std::unique_ptr<int> &p) { return *p % 3 == 0; });

  bool ok = numbers.front() == 500 && numbers.size() == 500 && text.size() == 290 &&
            small.size() == 3 && ordered.size() == 100 && hashed.size() == 100 &&
            hashed.at(19).size() == 19 && seen.count(999) == 1 && window.front() == 284 &&
            owned.size() == 33;
  std::printf("stl containers %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
