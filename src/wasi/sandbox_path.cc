// ResolveBeneath: the component-by-component walk described in sandbox_path.h.
//
// State: `stack` holds the directories opened below the base (the base itself is not owned);
// `pending` holds the components still to walk, front first. A symlink replaces its own
// component with its target's components. Nothing here follows a symlink or a `..` through
// the kernel.
#include "sandbox_path.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

namespace wasmgrind::wasi {
namespace {

// Splits on '/', dropping empty components ("a//b" is "a/b").
void PushComponentsFront(std::deque<std::string>& pending, std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty()) parts.emplace_back(part);
    start = slash + 1;
  }
  pending.insert(pending.begin(), parts.begin(), parts.end());
}

bool EndsWithSlash(std::string_view s) { return !s.empty() && s.back() == '/'; }

// The symlink's target if `name` in `dir` is a symlink; Inval if it is not one.
ErrnoOr<std::string> ReadLink(int dir, const std::string& name) {
  std::string target(kMaxGuestPathLength + 1, '\0');
  ssize_t n = readlinkat(dir, name.c_str(), target.data(), target.size());
  if (n < 0) return LastHostErrno();
  if (static_cast<size_t>(n) > kMaxGuestPathLength) return Errno::NameTooLong;
  target.resize(static_cast<size_t>(n));
  return target;
}

class Walker {
 public:
  explicit Walker(int base) : base_(base) {}

  ErrnoOr<ResolvedPath> Run(std::string_view path, bool follow_final) {
    if (path.empty()) return Errno::NoEnt;
    if (path.size() > kMaxGuestPathLength) return Errno::NameTooLong;
    if (path.find('\0') != std::string_view::npos) return Errno::Inval;
    if (path.front() == '/') return Errno::NotCapable;
    bool must_be_dir = EndsWithSlash(path);
    if (must_be_dir) follow_final = true;
    PushComponentsFront(pending_, path);

    while (!pending_.empty()) {
      std::string component = std::move(pending_.front());
      pending_.pop_front();
      bool last = pending_.empty();
      if (component == ".") {
        if (last) return Finish(".", must_be_dir);  // "x/." names the directory x itself
        continue;
      }
      if (component == "..") {
        if (stack_.empty()) return Errno::NotCapable;  // would leave the base directory
        stack_.pop_back();
        continue;
      }
      if (last && !follow_final) return Finish(std::move(component), must_be_dir);
      if (last) {
        ErrnoOr<std::string> target = ReadLink(current(), component);
        if (!target.ok()) {
          // Not a symlink (Inval), or absent (NoEnt: may be created): the name is final.
          if (target.error() == Errno::Inval || target.error() == Errno::NoEnt)
            return Finish(std::move(component), must_be_dir);
          return target.error();
        }
        if (EndsWithSlash(*target)) must_be_dir = true;
        WASI_TRY(ExpandSymlink(*target));
        continue;
      }
      WASI_TRY(Descend(component));
    }
    // The walk ended on a ".." ("a/.."): the final object is the directory we are in.
    return Finish(".", must_be_dir);
  }

 private:
  int current() const { return stack_.empty() ? base_ : stack_.back().get(); }

  // Enters directory `name` of the current directory, expanding it if it is a symlink.
  Errno Descend(const std::string& name) {
    int fd = openat(current(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      stack_.emplace_back(fd);
      return Errno::Success;
    }
    int err = errno;
    if (err != ENOTDIR && err != ELOOP) return ErrnoFromHost(err);
    ErrnoOr<std::string> target = ReadLink(current(), name);
    if (!target.ok()) return target.error() == Errno::Inval ? Errno::NotDir : target.error();
    return ExpandSymlink(*target);
  }

  Errno ExpandSymlink(const std::string& target) {
    if (++expansions_ > kMaxSymlinkExpansions) return Errno::Loop;
    if (target.empty()) return Errno::NoEnt;
    if (target.front() == '/') return Errno::NotCapable;
    PushComponentsFront(pending_, target);
    return Errno::Success;
  }

  ErrnoOr<ResolvedPath> Finish(std::string name, bool must_be_dir) {
    size_t depth = stack_.size();
    UniqueFd owned;
    if (!stack_.empty()) owned = std::move(stack_.back());
    return ResolvedPath(std::move(owned), base_, std::move(name), must_be_dir, depth);
  }

  int base_;
  std::vector<UniqueFd> stack_;
  std::deque<std::string> pending_;
  int expansions_ = 0;
};

}  // namespace

bool RelativeTargetStaysBeneath(std::string_view target, size_t depth) {
  std::deque<std::string> components;
  PushComponentsFront(components, target);
  for (const std::string& c : components) {
    if (c == ".") continue;
    if (c != "..") {
      ++depth;
    } else if (depth-- == 0) {
      return false;
    }
  }
  return true;
}

ErrnoOr<ResolvedPath> ResolveBeneath(int base_dir_fd, std::string_view path,
                                     bool follow_final_symlink) {
  return Walker(base_dir_fd).Run(path, follow_final_symlink);
}

}  // namespace wasmgrind::wasi
