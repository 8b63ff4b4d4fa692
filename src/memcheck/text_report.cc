// Valgrind's text report: "==PID== " before every line, errors as they happen, the heap, leak
// and error summaries at exit; -q keeps only the errors (see report_writer.h).
#include <algorithm>
#include <array>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memcheck/report_writer.h"

namespace wasmgrind::memcheck {

std::string WithCommas(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string ElapsedTime(std::chrono::steady_clock::time_point start) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(steady_clock::now() - start).count();
  char text[64];
  snprintf(text, sizeof text, "%02lld:%02lld:%02lld:%02lld.%03lld",
           static_cast<long long>(ms / 86400000), static_cast<long long>(ms / 3600000 % 24),
           static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
           static_cast<long long>(ms % 1000));
  return text;
}

std::string LeakChange(uint64_t n, uint64_t was) {
  return n >= was ? " (+" + WithCommas(n - was) + ")" : " (-" + WithCommas(was - n) + ")";
}

namespace {

std::string Hex(uint64_t v, bool upper) {
  char buf[24];
  snprintf(buf, sizeof buf, upper ? "0x%" PRIX64 : "0x%" PRIx64, v);
  return buf;
}

class TextWriter : public ReportWriter {
 public:
  TextWriter(ReportSink& sink, int pid, TextLayout layout)
      : sink_(sink),
        prefix_("==" + std::to_string(pid) + "== "),
        debug_prefix_("--" + std::to_string(pid) + "-- "),
        quiet_(layout.quiet),
        show_error_list_(layout.show_error_list),
        fullpath_after_(std::move(layout.fullpath_after)),
        error_markers_(std::move(layout.error_markers)),
        time_stamp_(layout.time_stamp),
        start_(std::chrono::steady_clock::now()) {}

  void Begin(const RunInfo& run) override {
    if (quiet_) return;
    std::string command;
    for (const std::string& a : run.command) command += (command.empty() ? "" : " ") + a;
    Line("Memcheck, a memory error detector");
    Line("wasmgrind's memcheck: Valgrind's checks and reports for WebAssembly");
    Line("Using " + run.tool_version);
    Line("Command: " + command);
    Line("");
  }

  void Error(const PrintedError& e) override {
    std::string text = Marker(0) + prefix_ + e.what + "\n";
    Stack(text, e.stack);
    for (const PrintedAux& aux : e.aux) {
      text += prefix_ + " " + aux.text + "\n";
      Stack(text, aux.stack);
    }
    text += prefix_ + "\n" + Marker(1);
    // -s lists the errors again at exit, but not the leaks (they have their own records).
    if (show_error_list_ && !e.leak) listed_.emplace(e.unique, text);
    if (e.suppression) text += FormatSuppression(*e.suppression);
    Emit(text);
  }

  void Trace(const std::string& lines) override {
    std::string text;
    for (size_t pos = 0; pos <= lines.size();) {
      size_t end = lines.find('\n', pos);
      if (end == std::string::npos) end = lines.size();
      text += debug_prefix_ + lines.substr(pos, end - pos) + "\n";
      pos = end + 1;
    }
    Emit(text);
  }

  void Notice(const std::vector<std::string>& lines) override {
    for (const std::string& l : lines) Line(l);
  }

  void FatalSignal(const PrintedFatalSignal& f) override {
    if (quiet_ && !f.from_kernel) return;
    // Valgrind's message starts with a blank line, also after an error's own.
    std::string text = prefix_ + "\n" + prefix_ +
                       "Process terminating with default action of signal " +
                       std::to_string(f.signo) + " (" + f.signame + ")\n";
    if (!f.event.empty()) {
      text += prefix_ + " " + f.event + " at address " + Hex(f.address.value_or(0), true) + "\n";
    }
    if (!f.reason.empty()) text += prefix_ + f.reason + "\n";
    Stack(text, f.stack);
    for (const std::string& line : f.advice) text += prefix_ + " " + line + "\n";
    Emit(text);
  }

  void ProgramFinished() override {}

  void OpenFds(const PrintedOpenFds& fds) override {
    // Valgrind's exit starts with a blank line (not under -q), which the heap summary's own
    // blank line is when no list comes first.
    std::string text = quiet_ ? "" : prefix_ + "\n";
    text += prefix_ + "FILE DESCRIPTORS: " + std::to_string(fds.open) + " open (" +
            std::to_string(fds.std) + " std) at exit.\n";
    for (const PrintedOpenFd& fd : fds.shown) {
      text += prefix_ + "Open file descriptor " + std::to_string(fd.fd) + ":" +
              (fd.path.empty() ? "" : " " + fd.path) + "\n";
      if (fd.inherited)
        text += prefix_ + "   <inherited from parent>\n";
      else
        Stack(text, fd.stack);
      text += prefix_ + "\n";
    }
    text += prefix_ + "\n";
    Emit(text);
    exit_blank_written_ = true;
  }

  void ExitOnFirstError() override {
    // Valgrind's words, whatever -q says.
    Emit(prefix_ + "\n" + prefix_ + "Exit program on first error (--exit-on-first-error=yes)\n");
  }

  void HeapSummary(const HeapStats& s) override {
    if (quiet_) return;
    if (!exit_blank_written_) Line("");
    Line("HEAP SUMMARY:");
    Line("    in use at exit: " + WithCommas(s.live_bytes) + " bytes in " +
         WithCommas(s.live_blocks) + " blocks");
    Line("  total heap usage: " + WithCommas(s.allocs) + " allocs, " + WithCommas(s.frees) +
         " frees, " + WithCommas(s.bytes_allocated) + " bytes allocated");
    Line("");
  }

  void LeakSummary(const LeakOverview& o) override {
    if (quiet_) return;
    uint64_t blocks = o.now.suppressed.blocks;
    for (const LeakTotal& t : o.now.by_kind) blocks += t.blocks;
    if (blocks == 0) {
      Line("All heap blocks were freed -- no leaks are possible");
      Line("");
      return;
    }
    // "40 bytes in 2 blocks", and in a search that shows changes "40 (+30) bytes in 2 (+1)
    // blocks".
    auto amount = [&o](const LeakTotal& now, const LeakTotal& was) {
      auto change = [&o](uint64_t n, uint64_t before) {
        return o.show_changes ? LeakChange(n, before) : std::string();
      };
      return WithCommas(now.bytes) + change(now.bytes, was.bytes) + " bytes in " +
             WithCommas(now.blocks) + change(now.blocks, was.blocks) + " blocks";
    };
    auto total = [&](LeakKind k) { return amount(o.now.of(k), o.before.of(k)); };
    Line("LEAK SUMMARY:");
    Line("   definitely lost: " + total(LeakKind::Definite));
    Line("   indirectly lost: " + total(LeakKind::Indirect));
    Line("     possibly lost: " + total(LeakKind::Possible));
    Line("   still reachable: " + total(LeakKind::Reachable));
    bool heading = false;
    for (int h = 0; h < kLeakHeuristicCount; ++h) {
      const LeakTotal& via = o.now.reachable_via[h];
      const LeakTotal& was = o.before.reachable_via[h];
      // A heuristic that reached blocks in this search or the one before (Valgrind's test, in
      // every mode).
      if (via.blocks == 0 && was.blocks == 0) continue;
      if (!heading) Line("                      of which reachable via heuristic:");
      heading = true;
      std::string name = LeakHeuristicWord(static_cast<LeakHeuristic>(h));
      name.resize(std::max<size_t>(name.size(), 19), ' ');  // Valgrind's %-19s
      Line("                        " + name + ": " + amount(via, was));
    }
    Line("        suppressed: " + amount(o.now.suppressed, o.before.suppressed));
    const uint64_t unsuppressed = blocks - o.now.suppressed.blocks;
    if (o.mode != LeakCheck::Full && unsuppressed > 0) {
      Line("Rerun with --leak-check=full to see details of leaked memory");
    } else if (o.mode == LeakCheck::Full && !o.shown.Has(LeakKind::Reachable) &&
               o.now.of(LeakKind::Reachable).blocks > 0) {
      Line("Reachable blocks (those to which a pointer was found) are not shown.");
      Line("To see them, rerun with: --leak-check=full --show-leak-kinds=all");
    }
    Line("");
  }

  void End(const ErrorCounts& c, const std::vector<std::pair<uint64_t, uint64_t>>& per_context,
           const std::vector<SuppressionUse>& per_suppression) override {
    const std::string summary = "ERROR SUMMARY: " + std::to_string(c.errors) + " errors from " +
                                std::to_string(c.contexts) +
                                " contexts (suppressed: " + std::to_string(c.suppressed_errors) +
                                " from " + std::to_string(c.suppressed_contexts) + ")";
    if (!show_error_list_) {
      if (!quiet_) Line(summary);
      return;
    }
    // Valgrind's order: the least frequent first; of equal counts, the latest first.
    std::vector<std::pair<uint64_t, uint64_t>> shown;
    for (const auto& [unique, count] : per_context) {
      if (listed_.count(unique) != 0) shown.emplace_back(unique, count);
    }
    std::stable_sort(shown.begin(), shown.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second < b.second : a.first > b.first;
    });
    Line(summary);
    for (size_t i = 0; i < shown.size(); ++i) {
      Line("");
      Line(std::to_string(shown[i].second) + " errors in context " + std::to_string(i + 1) +
           " of " + std::to_string(c.contexts) + ":");
      Emit(listed_.at(shown[i].first));
    }
    if (!per_suppression.empty()) {
      Emit(debug_prefix_ + "\n");
      for (const SuppressionUse& used : per_suppression) {
        char count[16];
        snprintf(count, sizeof count, "%6" PRIu64, used.count);
        Emit(debug_prefix_ + "used_suppression: " + count + " " + used.name + " " + used.origin +
             "\n");
      }
      Line("");
    }
    if (!shown.empty() || !per_suppression.empty()) Line(summary);
  }

 private:
  void Line(const std::string& s) { Emit(prefix_ + s + "\n"); }

  // Writes `text`, whole lines. With --time-stamp, each line in the report's prefix gets the
  // time as it is written ("==PID== " becomes "==00:00:00:01.250 PID== "), so that an error
  // listed again at exit (-s) shows the time of the listing, as Valgrind's does.
  void Emit(const std::string& text) {
    if (!time_stamp_) {
      sink_.Write(text);
      return;
    }
    const std::string stamp = ElapsedTime(start_) + " ";
    std::string out;
    for (size_t pos = 0; pos < text.size();) {
      size_t end = text.find('\n', pos);
      end = end == std::string::npos ? text.size() : end + 1;
      const std::string_view line(text.data() + pos, end - pos);
      if (line.starts_with(prefix_) || line.starts_with(debug_prefix_)) {
        out.append(line.substr(0, 2)).append(stamp).append(line.substr(2));
      } else {
        out.append(line);  // a generated suppression: no prefix, no time
      }
      pos = end;
    }
    sink_.Write(out);
  }

  void Stack(std::string& text, const std::vector<SymbolizedFrame>& frames) const {
    bool first = true;
    for (const SymbolizedFrame& f : frames) {
      text += prefix_ + (first ? "   at " : "   by ") + Hex(f.pc, true) + ": " +
              (f.function.empty() ? "???" : f.function);
      if (!f.file.empty()) {
        text += " (" + SourcePath(f) + (f.line ? ":" + std::to_string(f.line) : "") + ")";
      } else if (!f.object.empty()) {
        text += " (in " + f.object + ")";
      }
      text += "\n";
      first = false;
    }
  }

  ReportSink& sink_;
  std::string prefix_;
  // The file as a stack line shows it: its name, or with --fullpath-after its directory too,
  // less everything up to the first given string found in the directory (Valgrind's rule,
  // which also drops a leading "./"; DWARF's comp_dir "." can make that "././").
  std::string SourcePath(const SymbolizedFrame& f) const {
    if (fullpath_after_.empty()) return f.file;
    std::string_view dir = f.directory;
    for (const std::string& prefix : fullpath_after_) {
      if (size_t at = dir.find(prefix); at != std::string_view::npos) {
        dir.remove_prefix(at + prefix.size());
        break;
      }
    }
    while (dir.starts_with("./")) dir.remove_prefix(2);
    return dir.empty() ? f.file : std::string(dir) + "/" + f.file;
  }

  // --error-markers' line before (0) or after (1) an error, if any.
  std::string Marker(size_t which) const {
    return error_markers_[which].empty() ? "" : prefix_ + error_markers_[which] + "\n";
  }

  std::string debug_prefix_;  // Valgrind's "--PID-- " of its debug-level lines
  bool quiet_;
  bool show_error_list_;
  // OpenFds wrote the blank line Valgrind's exit starts with: the heap summary adds none.
  bool exit_blank_written_ = false;
  std::vector<std::string> fullpath_after_;
  std::array<std::string, 2> error_markers_;
  bool time_stamp_;
  std::chrono::steady_clock::time_point start_;
  std::map<uint64_t, std::string> listed_;  // -s: each context's error text, by unique id
};

}  // namespace

std::unique_ptr<ReportWriter> MakeTextWriter(ReportSink& sink, int pid, TextLayout layout) {
  return std::make_unique<TextWriter>(sink, pid, std::move(layout));
}

}  // namespace wasmgrind::memcheck
