// ReportSink: where a report's text goes: stderr, a file memcheck opened (--log-file,
// --xml-file; closed on destruction), or a string (tests). Writes are unbuffered whole
// chunks, so a report interleaves sanely with the program's own stderr.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "memcheck/expected.h"

namespace wasmgrind::memcheck {

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void Write(std::string_view text) = 0;
};

class FdSink : public ReportSink {
 public:
  // Does not own fd (stderr).
  explicit FdSink(int fd) : fd_(fd), owned_(false) {}
  // Creates or truncates `path` after expanding %p (ExpandLogFileName).
  static Expected<std::unique_ptr<FdSink>> Open(const std::string& path, int pid);
  ~FdSink() override;
  FdSink(const FdSink&) = delete;
  FdSink& operator=(const FdSink&) = delete;
  void Write(std::string_view text) override;

 private:
  FdSink(int fd, bool owned) : fd_(fd), owned_(owned) {}
  int fd_;
  bool owned_;
};

class StringSink : public ReportSink {
 public:
  void Write(std::string_view text) override { text_ += text; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Valgrind's file-name escapes: %p is the process id, %% a percent sign. A % before anything
// else is an error, as Valgrind's.
Expected<std::string> ExpandLogFileName(std::string_view name, int pid);

}  // namespace wasmgrind::memcheck
