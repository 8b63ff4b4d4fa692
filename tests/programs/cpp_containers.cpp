// libc++ without exceptions: iostream, std::string, std::vector, std::map, algorithms.
#include <algorithm>
#include <iostream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> words = {"pear", "apple", "fig", "banana", "apple", "fig", "apple"};
  for (int i = 1; i < argc; ++i) words.emplace_back(argv[i]);
  std::map<std::string, int> counts;
  for (const std::string& w : words) ++counts[w];
  for (const auto& [word, n] : counts) std::cout << word << ": " << n << "\n";

  std::vector<int> v(10);
  std::iota(v.begin(), v.end(), 1);
  std::reverse(v.begin(), v.end());
  std::sort(v.begin(), v.begin() + 5);
  std::cout << "sum=" << std::accumulate(v.begin(), v.end(), 0) << " first=" << v.front()
            << " last=" << v.back() << "\n";

  std::ostringstream os;
  os << "pi~" << 3.14159 << " hex=" << std::hex << 255;
  std::string s = os.str();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  std::cout << s << " len=" << std::dec << s.size() << std::endl;
  std::cerr << "cerr works" << std::endl;
  return 0;
}
