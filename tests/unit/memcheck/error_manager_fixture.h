// A fixture for the tests of what an ErrorManager reports: a text report (pid 7) into a
// string, stacks from the FakeSymbolizer. Start() makes the manager from options_ as set.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "fake_symbolizer.h"
#include "memcheck/error_manager.h"
#include "memcheck/report_sink.h"

namespace wasmgrind::memcheck::testing {

class ErrorManagerFixture : public ::testing::Test {
 protected:
  void Start(std::vector<Suppression> suppressions = {}) {
    TextLayout layout;
    layout.quiet = options_.quiet;
    layout.show_error_list = options_.show_error_list;
    writer_ = MakeTextWriter(sink_, 7, layout);
    manager_ = std::make_unique<ErrorManager>(options_, backtraces_, symbolizer_, *writer_,
                                              std::move(suppressions));
  }

  MemcheckOptions options_;
  BacktraceStore backtraces_;
  FakeSymbolizer symbolizer_;
  StringSink sink_;
  std::unique_ptr<ReportWriter> writer_;
  std::unique_ptr<ErrorManager> manager_;
};

}  // namespace wasmgrind::memcheck::testing
