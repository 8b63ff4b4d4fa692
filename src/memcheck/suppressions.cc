// Suppression files: parsing, matching and generation (see suppressions.h).
#include "memcheck/suppressions.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace wasmgrind::memcheck {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Valgrind's Memcheck kinds (Addr sizes as its memcheck knows them, plus 16 for v128), and
// wasmgrind's StackOverflow.
bool IsMemcheckKind(std::string_view kind) {
  static constexpr std::string_view kKinds[] = {
      "Addr1",      "Addr2",  "Addr4",       "Addr8",        "Addr16",  "Addr32",
      "Value1",     "Value2", "Value4",      "Value8",       "Value16", "Value32",
      "Cond",       "Jump",   "Param",       "Free",         "Overlap", "Leak",
      "FishyValue", "User",   "ReallocZero", "StackOverflow"};
  for (std::string_view k : kKinds) {
    if (k == kind) return true;
  }
  return false;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool FrameMatches(const FramePattern& p, const SymbolizedFrame& f) {
  switch (p.type) {
    case FramePatternType::Fun:
      return (!f.linkage_name.empty() && GlobMatches(p.pattern, f.linkage_name)) ||
             GlobMatches(p.pattern, f.function.empty() ? "???" : f.function);
    case FramePatternType::Obj: return GlobMatches(p.pattern, f.object);
    case FramePatternType::Src:
      return !f.file.empty() && GlobMatches(p.pattern, BaseName(f.file)) &&
             (p.line == 0 || p.line == f.line);
    case FramePatternType::Ellipsis: return true;
  }
  return false;
}

// Patterns from index pi against frames from fi; "..." tries every split (patterns are few).
bool StackMatches(const std::vector<FramePattern>& patterns, size_t pi,
                  const std::vector<SymbolizedFrame>& frames, size_t fi) {
  if (pi == patterns.size()) return true;
  if (patterns[pi].type == FramePatternType::Ellipsis) {
    for (size_t skip = fi; skip <= frames.size(); ++skip) {
      if (StackMatches(patterns, pi + 1, frames, skip)) return true;
    }
    return false;
  }
  return fi < frames.size() && FrameMatches(patterns[pi], frames[fi]) &&
         StackMatches(patterns, pi + 1, frames, fi + 1);
}

}  // namespace

bool GlobMatches(std::string_view pattern, std::string_view text) {
  // Iterative glob with one backtrack point: linear enough for function names.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Expected<std::vector<Suppression>> ParseSuppressions(std::string_view text,
                                                     std::string_view file_name) {
  std::vector<Suppression> out;
  // Lines of the current entry after '{': name, tool:kind, then the rest.
  enum class State { Outside, Name, Kind, Body } state = State::Outside;
  Suppression current;
  bool ours = false;
  uint32_t line_no = 0;
  auto error = [&](const std::string& what) {
    return Fail(std::string(file_name) + ":" + std::to_string(line_no) + ": " + what);
  };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;

    switch (state) {
      case State::Outside:
        if (line != "{")
          return error("expected '{' to start a suppression, got '" + std::string(line) + "'");
        current = Suppression();
        state = State::Name;
        break;
      case State::Name:
        if (line == "{" || line == "}") return error("a suppression needs a name first");
        current.name = line;
        current.origin = std::string(file_name) + ":" + std::to_string(line_no);
        state = State::Kind;
        break;
      case State::Kind: {
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || line == "}") {
          return error("expected 'Tool:kind' (e.g. Memcheck:Addr4), got '" + std::string(line) +
                       "'");
        }
        std::string_view tools = line.substr(0, colon);
        std::string_view kind = line.substr(colon + 1);
        ours = false;
        while (!tools.empty()) {
          size_t comma = tools.find(',');
          ours = ours || tools.substr(0, comma) == "Memcheck";
          tools.remove_prefix(comma == std::string_view::npos ? tools.size() : comma + 1);
        }
        if (ours && !IsMemcheckKind(kind)) {
          return error("unknown Memcheck suppression kind '" + std::string(kind) + "'");
        }
        current.kind = kind;
        state = State::Body;
        break;
      }
      case State::Body:
        if (line == "}") {
          if (ours) out.push_back(std::exchange(current, Suppression()));
          state = State::Outside;
        } else if (line == "...") {
          current.frames.push_back({FramePatternType::Ellipsis, "", 0});
        } else if (line.substr(0, 4) == "fun:" || line.substr(0, 4) == "obj:") {
          current.frames.push_back({line[0] == 'f' ? FramePatternType::Fun : FramePatternType::Obj,
                                    std::string(line.substr(4)), 0});
        } else if (line.substr(0, 4) == "src:") {
          std::string_view spec = line.substr(4);
          FramePattern f{FramePatternType::Src, std::string(spec), 0};
          size_t colon = spec.rfind(':');
          if (colon != std::string_view::npos) {
            std::string_view num = spec.substr(colon + 1);
            auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), f.line);
            if (ec != std::errc() || end != num.data() + num.size() || f.line == 0) {
              return error("bad line number in '" + std::string(line) + "'");
            }
            f.pattern = spec.substr(0, colon);
          }
          current.frames.push_back(std::move(f));
        } else if (line.substr(0, 17) == "match-leak-kinds:") {
          auto kinds = ParseLeakKindSet(Trim(line.substr(17)));
          if (!kinds) return error("bad match-leak-kinds '" + std::string(line) + "'");
          current.leak_kinds = *kinds;
        } else if (current.kind == "Param" && current.extra.empty() && current.frames.empty()) {
          current.extra = line;
        } else if (!ours) {
          // Another tool's extra lines mean nothing to us.
        } else {
          return error("expected a frame line (fun:, obj:, src:, ...) or '}', got '" +
                       std::string(line) + "'");
        }
        break;
    }
  }
  if (state != State::Outside) {
    return Fail(std::string(file_name) + ":" + std::to_string(line_no) +
                ": the file ends inside a suppression (missing '}')");
  }
  return out;
}

Expected<std::vector<Suppression>> LoadSuppressionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read suppressions file " + path + ": " + strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseSuppressions(buffer.str(), path);
}

bool SuppressionMatches(const Suppression& s, const MemcheckError& error,
                        const std::vector<SymbolizedFrame>& stack) {
  if (s.kind != SuppressionKindOf(error.kind, error.access_size)) return false;
  if (auto leak = LeakKindOf(error.kind); leak && !s.leak_kinds.Has(*leak)) return false;
  if (error.kind == ErrorKind::SyscallParam && s.extra != error.param) return false;
  return StackMatches(s.frames, 0, stack, 0);
}

Suppression GenerateSuppression(const MemcheckError& error,
                                const std::vector<SymbolizedFrame>& stack) {
  Suppression s;
  s.name = "<insert_a_suppression_name_here>";
  s.kind = SuppressionKindOf(error.kind, error.access_size);
  if (error.kind == ErrorKind::SyscallParam) s.extra = error.param;
  if (auto leak = LeakKindOf(error.kind)) s.leak_kinds = LeakKindSet::Of({*leak});
  for (const SymbolizedFrame& f : stack) {
    if (!f.linkage_name.empty() || !f.function.empty()) {
      s.frames.push_back(
          {FramePatternType::Fun, f.linkage_name.empty() ? f.function : f.linkage_name, 0});
    } else if (!f.object.empty()) {
      s.frames.push_back({FramePatternType::Obj, f.object, 0});
    } else {
      s.frames.push_back(
          {FramePatternType::Obj, "*", 0});  // Valgrind's, for a frame naming nothing
    }
  }
  return s;
}

std::string FormatFramePattern(const FramePattern& f) {
  switch (f.type) {
    case FramePatternType::Fun: return "fun:" + f.pattern;
    case FramePatternType::Obj: return "obj:" + f.pattern;
    case FramePatternType::Src:
      return "src:" + f.pattern + (f.line ? ":" + std::to_string(f.line) : "");
    case FramePatternType::Ellipsis: return "...";
  }
  return "";
}

std::string FormatSuppression(const Suppression& s) {
  std::string out = "{\n   " + s.name + "\n   Memcheck:" + s.kind + "\n";
  if (s.kind == "Leak") out += "   match-leak-kinds: " + LeakKindSetWords(s.leak_kinds) + "\n";
  if (!s.extra.empty()) out += "   " + s.extra + "\n";
  for (const FramePattern& f : s.frames) out += "   " + FormatFramePattern(f) + "\n";
  out += "}\n";
  return out;
}

}  // namespace wasmgrind::memcheck
