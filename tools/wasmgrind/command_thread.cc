// The command thread (see command_thread.h): a pthread with an explicit stack size, since
// std::thread cannot set one.
#include "command_thread.h"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

#include "exit_codes.h"
#include "signals/jump_target.h"

namespace wasmgrind {
namespace {

struct CommandCall {
  const std::function<int()>* command;
  int status = kExitError;
};

void* CommandThreadMain(void* arg) {
  auto* call = static_cast<CommandCall*>(arg);
  call->status = (*call->command)();
  return nullptr;
}

uint64_t RoundUpToPage(uint64_t bytes) {
  auto page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

// pthread_attr_t that destroys itself.
class ThreadAttr {
 public:
  ThreadAttr() { ok_ = pthread_attr_init(&attr_) == 0; }
  ~ThreadAttr() {
    if (ok_) pthread_attr_destroy(&attr_);
  }
  ThreadAttr(const ThreadAttr&) = delete;
  ThreadAttr& operator=(const ThreadAttr&) = delete;
  bool ok() const { return ok_; }
  pthread_attr_t* get() { return &attr_; }

 private:
  pthread_attr_t attr_;
  bool ok_ = false;
};

}  // namespace

Result<uint64_t> ParseMaxWasmStack(std::string_view text) {
  auto usage = [&] {
    return Error::Make(
        ErrorKind::Usage,
        fmt::format("--max-wasm-stack: expected bytes from {} to {} (a number, optionally "
                    "with K, M or G), got \"{}\"",
                    kMinMaxWasmStack, kMaxMaxWasmStack, text));
  };
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 10) return usage();  // below 2^34: no overflow even with G
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  std::string_view suffix = text.substr(digits);
  if (suffix.size() > 1) return usage();
  if (suffix.size() == 1) {
    switch (std::tolower(static_cast<unsigned char>(suffix[0]))) {
      case 'k': value <<= 10; break;
      case 'm': value <<= 20; break;
      case 'g': value <<= 30; break;
      default: return usage();
    }
  }
  if (value < kMinMaxWasmStack || value > kMaxMaxWasmStack) return usage();
  return value;
}

void UseFixedDefaultThreadStack() {
  ThreadAttr attr;
  if (!attr.ok()) return;
  // Best effort: without it, compile threads keep glibc's default.
  if (pthread_attr_setstacksize(attr.get(), kCommandHostStack) == 0) {
    pthread_setattr_default_np(attr.get());
  }
}

int RunOnCommandThread(uint64_t max_wasm_stack, const std::function<int()>& command,
                       std::ostream& err) {
  uint64_t size = RoundUpToPage(kCommandHostStack + max_wasm_stack + signals::kHostStackReserve);
  ThreadAttr attr;
  int rc = attr.ok() ? pthread_attr_setstacksize(attr.get(), size) : EINVAL;
  CommandCall call{&command};
  pthread_t thread;
  if (rc == 0) rc = pthread_create(&thread, attr.get(), CommandThreadMain, &call);
  if (rc != 0) {
    err << fmt::format("wasmgrind: error: cannot create a thread with a {}-byte stack: {}\n", size,
                       std::strerror(rc));
    return kExitError;
  }
  pthread_join(thread, nullptr);
  return call.status;
}

}  // namespace wasmgrind
