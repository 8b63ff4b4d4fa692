// Valgrind's XML output, protocol 4 (docs/internals/xml-output-protocol4.txt in Valgrind's
// sources): the same elements, order and indentation as valgrind 3.19 writes, so parsers
// written for Valgrind read ours. Only the tool's own lines differ (preamble, <exe>).
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include "memcheck/report_writer.h"

namespace wasmgrind::memcheck {

namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Element(std::string_view indent, std::string_view name, std::string_view value) {
  return std::string(indent) + "<" + std::string(name) + ">" + Escape(value) + "</" +
         std::string(name) + ">\n";
}

std::string HexId(uint64_t v, bool upper) {
  char buf[24];
  snprintf(buf, sizeof buf, upper ? "0x%" PRIX64 : "0x%" PRIx64, v);
  return buf;
}

class XmlWriter : public ReportWriter {
 public:
  XmlWriter(ReportSink& sink, std::string user_comment)
      : sink_(sink),
        start_(std::chrono::steady_clock::now()),
        user_comment_(std::move(user_comment)) {}

  void Begin(const RunInfo& run) override {
    std::string x = "<?xml version=\"1.0\"?>\n\n<valgrindoutput>\n\n";
    x += "<protocolversion>4</protocolversion>\n<protocoltool>memcheck</protocoltool>\n\n";
    x += "<preamble>\n";
    x += Element("  ", "line", "Memcheck, a memory error detector");
    x += Element("  ", "line",
                 "wasmgrind's memcheck: Valgrind's checks and reports for WebAssembly");
    x += Element("  ", "line", "Using " + run.tool_version);
    std::string command;
    for (const std::string& a : run.command) command += (command.empty() ? "" : " ") + a;
    x += Element("  ", "line", "Command: " + command);
    x += "</preamble>\n\n";
    x += Element("", "pid", std::to_string(run.pid));
    x += Element("", "ppid", std::to_string(run.ppid));
    x += Element("", "tool", "memcheck");
    // --xml-user-comment: as given, unescaped (Valgrind's; the user's XML).
    if (!user_comment_.empty()) x += "<usercomment>" + user_comment_ + "</usercomment>\n";
    x += "\n<args>\n  <vargv>\n";
    for (size_t i = 0; i < run.tool_args.size(); ++i) {
      x += Element("    ", i == 0 ? "exe" : "arg", run.tool_args[i]);
    }
    x += "  </vargv>\n  <argv>\n";
    for (size_t i = 0; i < run.command.size(); ++i) {
      x += Element("    ", i == 0 ? "exe" : "arg", run.command[i]);
    }
    x += "  </argv>\n</args>\n\n";
    x += Status("RUNNING");
    sink_.Write(x);
  }

  void Error(const PrintedError& e) override {
    std::string x = "<error>\n";
    x += Element("  ", "unique", HexId(e.unique, false));
    x += Element("  ", "tid", "1");
    x += Element("  ", "kind", ErrorKindXmlName(e.kind));
    if (e.leak) {
      x += "  <xwhat>\n";
      x += Element("    ", "text", e.what);
      x += Element("    ", "leakedbytes",
                   std::to_string(e.leak->direct_bytes + e.leak->indirect_bytes));
      x += Element("    ", "leakedblocks", std::to_string(e.leak->blocks));
      x += "  </xwhat>\n";
    } else {
      x += Element("  ", "what", e.what);
    }
    Stack(x, e.stack);
    for (const PrintedAux& aux : e.aux) {
      x += Element("  ", "auxwhat", aux.text);
      Stack(x, aux.stack);
    }
    if (e.suppression) Suppression(x, *e.suppression);
    x += "</error>\n\n";
    // Valgrind writes the suppression a second time, as a top-level element after the error.
    if (e.suppression) Suppression(x, *e.suppression);
    sink_.Write(x);
  }

  void Notice(const std::vector<std::string>&) override {}
  void Trace(const std::string&) override {}

  void FatalSignal(const PrintedFatalSignal& f) override {
    std::string x = "<fatal_signal>\n";
    x += Element("  ", "tid", "1");
    x += Element("  ", "signo", std::to_string(f.signo));
    x += Element("  ", "signame", f.signame);
    x += Element("  ", "sicode", std::to_string(f.sicode));
    if (!f.event.empty()) x += Element("  ", "event", f.event);
    if (f.address) x += Element("  ", "siaddr", HexId(*f.address, true));
    Stack(x, f.stack);
    x += "</fatal_signal>\n\n";
    sink_.Write(x);
  }
  void ProgramFinished() override { sink_.Write("\n" + Status("FINISHED")); }
  // Valgrind 3.19's XML has no element for the list (its text goes to the text report); what
  // reaches the XML is each open site's bare <stack>, as its VG_(pp_ExeContext) writes it.
  void OpenFds(const PrintedOpenFds& fds) override {
    std::string x;
    for (const PrintedOpenFd& fd : fds.shown) Stack(x, fd.stack);
    sink_.Write(x);
  }
  // Valgrind ends the document at once: no status, no counts.
  void ExitOnFirstError() override { sink_.Write("</valgrindoutput>\n"); }
  void HeapSummary(const HeapStats&) override {}
  void LeakSummary(const LeakOverview&) override {}

  void End(const ErrorCounts&, const std::vector<std::pair<uint64_t, uint64_t>>& per_context,
           const std::vector<SuppressionUse>& per_suppression) override {
    std::string x = "<errorcounts>\n";
    // Valgrind lists the most recently created context first.
    for (auto it = per_context.rbegin(); it != per_context.rend(); ++it) {
      x += "  <pair>\n" + Element("    ", "count", std::to_string(it->second)) +
           Element("    ", "unique", HexId(it->first, false)) + "  </pair>\n";
    }
    x += "</errorcounts>\n\n<suppcounts>\n";
    for (const SuppressionUse& used : per_suppression) {
      x += "  <pair>\n" + Element("    ", "count", std::to_string(used.count)) +
           Element("    ", "name", used.name) + "  </pair>\n";
    }
    x += "</suppcounts>\n\n</valgrindoutput>\n\n";
    sink_.Write(x);
  }

 private:
  std::string Status(const char* state) const {
    const std::string time = ElapsedTime(start_) + " ";  // Valgrind's trailing space
    return "<status>\n" + Element("  ", "state", state) + Element("  ", "time", time) +
           "</status>\n\n";
  }

  static void Stack(std::string& x, const std::vector<SymbolizedFrame>& frames) {
    if (frames.empty()) return;
    x += "  <stack>\n";
    for (const SymbolizedFrame& f : frames) {
      x += "    <frame>\n";
      x += Element("      ", "ip", HexId(f.pc, true));
      if (!f.object.empty()) x += Element("      ", "obj", f.object);
      if (!f.function.empty()) x += Element("      ", "fn", f.function);
      if (!f.file.empty()) {
        if (!f.directory.empty()) x += Element("      ", "dir", f.directory);
        x += Element("      ", "file", f.file);
        if (f.line) x += Element("      ", "line", std::to_string(f.line));
      }
      x += "    </frame>\n";
    }
    x += "  </stack>\n";
  }

  static void Suppression(std::string& x, const struct Suppression& s) {
    std::string name = s.name;
    if (name.size() >= 2 && name.front() == '<' && name.back() == '>') {
      name = name.substr(1, name.size() - 2);  // Valgrind drops the brackets here
    }
    x += "  <suppression>\n";
    x += Element("    ", "sname", name);
    x += Element("    ", "skind", "Memcheck:" + s.kind);
    if (s.kind == "Leak") {
      x += Element("    ", "skaux", "match-leak-kinds: " + LeakKindSetWords(s.leak_kinds));
    } else if (!s.extra.empty()) {
      x += Element("    ", "skaux", s.extra);
    }
    for (const FramePattern& f : s.frames) {
      std::string line = FormatFramePattern(f);
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;  // "..." never appears in generated ones
      std::string tag = line.substr(0, colon);
      x += "    <sframe> <" + tag + ">" + Escape(line.substr(colon + 1)) + "</" + tag +
           "> </sframe>\n";
    }
    x += "    <rawtext>\n<![CDATA[\n" + FormatSuppression(s) + "]]>\n    </rawtext>\n";
    x += "  </suppression>\n";
  }

  ReportSink& sink_;
  std::chrono::steady_clock::time_point start_;
  std::string user_comment_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeXmlWriter(ReportSink& sink, std::string user_comment) {
  return std::make_unique<XmlWriter>(sink, std::move(user_comment));
}

}  // namespace wasmgrind::memcheck
