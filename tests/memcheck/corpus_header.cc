// Parses the memcheck corpus header lines (corpus_header.h).
#include "corpus_header.h"

#include <fstream>
#include <sstream>

namespace wasmgrind {
namespace {

const std::set<std::string> kFacts = {"size", "line", "addr", "bytes", "blocks", "origin", "fn"};
// `origin=KIND:LINE`: a heap or stack allocation, a client request (MAKE_MEM_UNDEFINED), or
// memory.grow (natively brk, where Valgrind names no kind).
const std::set<std::string> kOriginKinds = {"heap", "stack", "client", "grow"};

bool IsOrigin(const std::string& value) {
  const size_t colon = value.find(':');
  if (colon == std::string::npos || !kOriginKinds.contains(value.substr(0, colon))) return false;
  const std::string line = value.substr(colon + 1);
  return !line.empty() && line.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

Error HeaderError(const std::string& path, int line, const std::string& what) {
  return Error::Make(ErrorKind::Malformed, path + ":" + std::to_string(line) + ": " + what);
}

Result<CorpusExpectation> ParseExpectation(const std::string& text, const std::string& path,
                                           int line) {
  std::vector<std::string> words = Words(text);
  if (words.empty()) return HeaderError(path, line, "empty expectation");
  CorpusExpectation e;
  e.text = text;
  std::istringstream kinds(words[0]);
  for (std::string kind; std::getline(kinds, kind, '|');) {
    if (!CorpusKnownKinds().contains(kind))
      return HeaderError(path, line, "unknown error kind '" + kind + "'");
    e.kinds.insert(kind);
  }
  for (size_t i = 1; i < words.size(); ++i) {
    const size_t eq = words[i].find('=');
    const std::string key = words[i].substr(0, eq);
    if (eq == std::string::npos || eq + 1 == words[i].size() || !kFacts.contains(key))
      return HeaderError(path, line, "bad fact '" + words[i] + "'");
    e.facts[key] = words[i].substr(eq + 1);
    if (key == "origin" && !IsOrigin(e.facts[key]))
      return HeaderError(path, line,
                         "bad origin '" + words[i] + "' (heap:N, stack:N, client:N or grow:N)");
  }
  return e;
}

Result<CorpusRunEnd> ParseRunEnd(const std::string& text, const std::string& path, int line) {
  CorpusRunEnd end;
  if (text.rfind("exit=", 0) == 0) {
    const std::string code = text.substr(5);
    if (code.empty() || code.find_first_not_of("0123456789") != std::string::npos)
      return HeaderError(path, line, "bad exit status '" + code + "'");
    end.exit_code = std::stoi(code);
  } else if (text.rfind("trap=", 0) == 0 && text.size() > 5) {
    end.trap = true;
    end.trap_text = text.substr(5);
  } else {
    return HeaderError(path, line, "RUN must be exit=N or trap=TEXT, not '" + text + "'");
  }
  return end;
}

}  // namespace

const std::set<std::string>& CorpusKnownKinds() {
  static const std::set<std::string> kinds = {
      "InvalidRead",         "InvalidWrite",        "InvalidFree",       "MismatchedFree",
      "InvalidJump",         "SyscallParam",        "ClientCheck",       "Overlap",
      "InvalidMemPool",      "FishyValue",          "UninitCondition",   "UninitValue",
      "Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost", "Leak_StillReachable",
      "StackOverflow"};
  return kinds;
}

Result<CorpusHeader> ReadCorpusHeader(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::Make(ErrorKind::Io, "cannot read " + path);
  CorpusHeader header;
  bool saw_expect = false, saw_run = false, saw_none = false;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind("// ", 0) != 0) continue;
    const size_t colon = line.find(": ", 3);
    if (colon == std::string::npos) continue;
    const std::string name = line.substr(3, colon - 3);
    const std::string value = line.substr(colon + 2);
    if (name == "EXPECT" || name == "EXPECT-NATIVE") {
      std::vector<CorpusExpectation>* list = &header.expect;
      if (name == "EXPECT") {
        saw_expect = true;
      } else {
        if (!header.expect_native) header.expect_native.emplace();
        list = &*header.expect_native;
      }
      if (value == "none") {
        if (name == "EXPECT") saw_none = true;
        continue;
      }
      TRY_ASSIGN(CorpusExpectation e, ParseExpectation(value, path, number));
      list->push_back(std::move(e));
    } else if (name == "DIFFERS") {
      header.differs += (header.differs.empty() ? "" : " ") + value;
    } else if (name == "VALGRIND") {
      for (std::string& w : Words(value)) header.valgrind_args.push_back(std::move(w));
    } else if (name == "LINK-FLAGS") {
      for (std::string& w : Words(value)) header.link_flags.push_back(std::move(w));
    } else if (name == "RUN") {
      if (saw_run) return HeaderError(path, number, "a second RUN line");
      saw_run = true;
      TRY_ASSIGN(header.run, ParseRunEnd(value, path, number));
    }
  }
  if (!saw_expect) return HeaderError(path, 1, "no '// EXPECT:' line");
  if (saw_none && !header.expect.empty())
    return HeaderError(path, 1, "'EXPECT: none' next to other EXPECT lines");
  if (!saw_run) return HeaderError(path, 1, "no '// RUN:' line");
  if (header.expect_native && header.differs.empty())
    return HeaderError(path, 1, "EXPECT-NATIVE without a DIFFERS line saying why");
  return header;
}

}  // namespace wasmgrind
