// Finding and running wast2json (see wast2json.h). posix_spawn rather than system(): no shell
// quoting of user paths. wast2json's output goes to a file in the private directory so that
// its complaint can be quoted.
#include "wast2json.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "file_io.h"

extern char** environ;

namespace wasmgrind {

std::optional<std::filesystem::path> FindOnPath(std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    if (::access(std::string(name).c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path_env = std::getenv("PATH");
  std::string_view dirs = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    size_t colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (colon == std::string_view::npos) break;
    dirs = dirs.substr(colon + 1);
  }
  return std::nullopt;
}

Result<std::filesystem::path> ConvertWast(const std::filesystem::path& tool,
                                          const std::filesystem::path& wast,
                                          const std::filesystem::path& out_dir) {
  std::filesystem::path json = out_dir / (wast.stem().string() + ".json");
  std::filesystem::path log = out_dir / "wast2json.log";

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);

  std::vector<std::string> args = {tool.string(), wast.string(), "-o", json.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return Error::Make(ErrorKind::Io,
                       fmt::format("cannot run {}: {}", tool.string(), std::strerror(rc)));

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return Error::Make(ErrorKind::Io,
                         fmt::format("waiting for {}: {}", tool.string(), std::strerror(errno)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return json;

  std::string first_line = "no output";
  if (auto text = ReadTextFile(log); text.ok() && !text->empty())
    first_line = text->substr(0, text->find('\n'));
  return Error::Make(ErrorKind::Io,
                     fmt::format("wast2json failed on {}: {}", wast.string(), first_line));
}

}  // namespace wasmgrind
