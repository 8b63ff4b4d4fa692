// KnownFailures: the checked-in list of spec-test cases expected to fail, one `file.wast:LINE`
// per line (`#` starts a comment). A run is green only if its failures equal the listed entries
// for the files it ran, checked both ways: a new failure is an error, and so is a listed case
// that now passes (so the list shrinks as bugs are fixed instead of hiding them).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.h"

namespace wasmgrind {

// "i32.wast:42": the key of one case; `file` is the script's file name without directories.
std::string FailureKey(std::string_view file, uint32_t line);

class KnownFailures {
 public:
  // `source` names the list in messages ("known_failures.txt:3: ...").
  static Result<KnownFailures> Parse(std::string_view text, std::string_view source);
  static Result<KnownFailures> Load(const std::filesystem::path& path);

  const std::set<std::string>& entries() const { return entries_; }
  bool Contains(const std::string& key) const { return entries_.count(key) != 0; }

 private:
  std::set<std::string> entries_;
};

struct KnownFailuresVerdict {
  std::vector<std::string> new_failures;       // failed, not listed
  std::vector<std::string> unexpected_passes;  // listed for a file that ran, did not fail
  size_t known = 0;                            // failed and listed
  bool green() const { return new_failures.empty() && unexpected_passes.empty(); }
};

// `files`: the file names that ran; `failures`: keys of every failed case of those files.
KnownFailuresVerdict CompareWithKnown(const KnownFailures& known,
                                      const std::set<std::string>& files,
                                      const std::set<std::string>& failures);

}  // namespace wasmgrind
