// Reading the known-failures list and comparing a run against it (see known_failures.h).
#include "known_failures.h"

#include <charconv>

#include <fmt/format.h>

#include "file_io.h"

namespace wasmgrind {
namespace {

std::string_view Trim(std::string_view s) {
  const char* kSpace = " \t\r\n";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

// Splits "file.wast:LINE" into its parts; false if it is not of that shape.
bool SplitKey(std::string_view key, std::string_view& file, uint32_t& line) {
  size_t colon = key.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  file = key.substr(0, colon);
  std::string_view digits = key.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
  return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() &&
         file.ends_with(".wast") && file.find('/') == std::string_view::npos;
}

std::string_view FileOfKey(std::string_view key) { return key.substr(0, key.rfind(':')); }

}  // namespace

std::string FailureKey(std::string_view file, uint32_t line) {
  return fmt::format("{}:{}", file, line);
}

Result<KnownFailures> KnownFailures::Parse(std::string_view text, std::string_view source) {
  KnownFailures list;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    std::string_view file;
    uint32_t case_line = 0;
    if (!SplitKey(line, file, case_line))
      return Error::Make(
          ErrorKind::Usage,
          fmt::format("{}:{}: expected `file.wast:LINE`, got \"{}\"", source, line_no, line));
    list.entries_.insert(FailureKey(file, case_line));
  }
  return list;
}

Result<KnownFailures> KnownFailures::Load(const std::filesystem::path& path) {
  TRY_ASSIGN(std::string text, ReadTextFile(path));
  return Parse(text, path.string());
}

KnownFailuresVerdict CompareWithKnown(const KnownFailures& known,
                                      const std::set<std::string>& files,
                                      const std::set<std::string>& failures) {
  KnownFailuresVerdict verdict;
  for (const std::string& key : failures) {
    if (known.Contains(key))
      ++verdict.known;
    else
      verdict.new_failures.push_back(key);
  }
  for (const std::string& key : known.entries()) {
    if (files.count(std::string(FileOfKey(key))) != 0 && failures.count(key) == 0)
      verdict.unexpected_passes.push_back(key);
  }
  return verdict;
}

}  // namespace wasmgrind
