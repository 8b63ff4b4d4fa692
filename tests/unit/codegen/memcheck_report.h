// For the codegen tests of --memcheck: quiet checkers whose text report goes to a temporary
// file the test reads back, with each frame named "f<function index>" so that a report's stack
// says which function it was in.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "memcheck/memory_checker.h"
#include "vm/runtime/api.h"

namespace wasmgrind::test {

class IndexSymbolizer : public memcheck::Symbolizer {
 public:
  std::vector<memcheck::SymbolizedFrame> Symbolize(const memcheck::Frame& frame) const override {
    memcheck::SymbolizedFrame f;
    f.pc = frame.offset;
    f.function = "f" + std::to_string(frame.function_index);
    return {f};
  }
};

class MemcheckReport {
 public:
  MemcheckReport() : file_(std::tmpfile()) {}
  ~MemcheckReport() {
    if (file_ != nullptr) std::fclose(file_);
  }
  MemcheckReport(const MemcheckReport&) = delete;
  MemcheckReport& operator=(const MemcheckReport&) = delete;

  // A Store's memcheck factory: checkers with the options `options()` returns (read when each
  // is made), quiet, reporting here. The report must outlive the Store.
  template <typename Options>
  auto Factory(Options options) {
    return [this, options](const Module&, const memcheck::MemoryLayout& layout)
               -> Result<std::unique_ptr<memcheck::MemoryChecker>> {
      memcheck::MemcheckOptions o = options();
      o.quiet = true;
      auto c = memcheck::MemoryChecker::Create(o, layout, symbolizer_, {}, fileno(file_));
      if (!c) return Error::Make(ErrorKind::Usage, c.error());
      return std::move(c).value();
    };
  }

  std::string Text() const {
    std::fflush(file_);
    std::string text;
    char buf[4096];
    ssize_t n;
    for (off_t at = 0; (n = pread(fileno(file_), buf, sizeof buf, at)) > 0; at += n)
      text.append(buf, static_cast<size_t>(n));
    return text;
  }

 private:
  IndexSymbolizer symbolizer_;
  FILE* file_;
};

}  // namespace wasmgrind::test
