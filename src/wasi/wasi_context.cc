// WasiContext: construction from WasiOptions (stdio duplication, preopens) and memory binding.
#include "wasi_context.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

#include "fd_flags.h"

namespace wasmgrind::wasi {
namespace {

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// Stdio slots hold a duplicate of the embedder's descriptor; a closed one stays empty (Badf).
void AddStdio(FdTable& fds, uint32_t guest_fd, int host_fd) {
  if (host_fd < 0) return;
  UniqueFd dup(fcntl(host_fd, F_DUPFD_CLOEXEC, 0));
  if (!dup.valid()) return;
  ErrnoOr<HostFdInfo> info = InspectHostFd(dup.get());
  if (!info.ok()) return;
  FdEntry entry;
  entry.fd = std::move(dup);
  entry.type = info->type;
  entry.rights_base = info->max_rights;
  entry.rights_inheriting = 0;
  entry.shared_description = true;  // a dup shares the embedder's open file description
  InitEmulatedFdflags(entry);
  fds.InsertAt(guest_fd, std::move(entry));
}

}  // namespace

Result<std::unique_ptr<WasiContext>> WasiContext::Create(const WasiOptions& options) {
  std::unique_ptr<WasiContext> ctx(new WasiContext());
  for (const std::string& arg : options.args) {
    if (HasNul(arg)) return Error::Make(ErrorKind::Usage, "program argument contains a NUL byte");
    ctx->args_.push_back(arg);
  }
  for (const auto& [name, value] : options.env) {
    if (HasNul(name) || HasNul(value) || name.find('=') != std::string::npos || name.empty())
      return Error::Make(ErrorKind::Usage,
                         "invalid environment variable name or value: '" + name + "'");
    ctx->environ_.push_back(name + "=" + value);
  }
  AddStdio(ctx->fds_, 0, options.stdin_fd);
  AddStdio(ctx->fds_, 1, options.stdout_fd);
  AddStdio(ctx->fds_, 2, options.stderr_fd);

  uint32_t next_fd = 3;
  for (const Preopen& preopen : options.preopens) {
    UniqueFd dir(open(preopen.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
      return Error::Make(ErrorKind::Io, "cannot open directory '" + preopen.host_path +
                                            "' for --dir: " + std::strerror(errno));
    }
    FdEntry entry;
    entry.fd = std::move(dir);
    entry.type = Filetype::Directory;
    entry.rights_base = kDirectoryRights;
    entry.rights_inheriting = kDirectoryRights | kRegularFileRights;
    entry.preopen_name = preopen.guest_path.empty() ? preopen.host_path : preopen.guest_path;
    ctx->fds_.InsertAt(next_fd++, std::move(entry));
  }
  return ctx;
}

}  // namespace wasmgrind::wasi
