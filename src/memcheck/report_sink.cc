// ReportSink implementations and log-file name expansion (see report_sink.h).
#include "memcheck/report_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasmgrind::memcheck {

Expected<std::string> ExpandLogFileName(std::string_view name, int pid) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      out += name[i];
      continue;
    }
    char next = i + 1 < name.size() ? name[i + 1] : '\0';
    if (next == 'p') {
      out += std::to_string(pid);
    } else if (next == '%') {
      out += '%';
    } else {
      return Fail("bad file name '" + std::string(name) +
                  "': '%' must be followed by 'p' (the process id) or '%'");
    }
    ++i;
  }
  return out;
}

Expected<std::unique_ptr<FdSink>> FdSink::Open(const std::string& path, int pid) {
  auto name = ExpandLogFileName(path, pid);
  if (!name) return Fail(name.error());
  int fd = open(name.value().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Fail("cannot create " + name.value() + ": " + strerror(errno));
  return std::unique_ptr<FdSink>(new FdSink(fd, true));
}

FdSink::~FdSink() {
  if (owned_) close(fd_);
}

void FdSink::Write(std::string_view text) {
  while (!text.empty()) {
    ssize_t n = write(fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed stderr must not stop the program being checked
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace wasmgrind::memcheck
