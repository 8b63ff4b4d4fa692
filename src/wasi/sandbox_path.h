// The capability sandbox for paths: resolving a guest path relative to a directory descriptor
// without ever leaving that directory.
//
// Security invariants (this is the boundary between the guest and the host file system):
// - Absolute paths are refused (NotCapable); so are symlinks whose target is absolute.
// - Paths are walked one component at a time with openat(O_NOFOLLOW | O_DIRECTORY) from the
//   base descriptor; `..` pops our own stack of opened directories and is refused
//   (NotCapable) at the base, so the kernel never evaluates `..` for us.
// - Symlinks are expanded here, their targets walked by the same rules, at most
//   kMaxSymlinkExpansions times per resolution (then Loop).
// - The result is a parent directory descriptor plus a final name with no '/' that is never
//   "..": callers act on it with *at() calls that do not follow symlinks (O_NOFOLLOW,
//   AT_SYMLINK_NOFOLLOW, unlinkat, renameat...), so a symlink swapped in after resolution
//   is not followed either.
#pragma once

#include <string>
#include <string_view>

#include "unique_fd.h"
#include "wasi_errno.h"

namespace wasmgrind::wasi {

inline constexpr int kMaxSymlinkExpansions = 40;
inline constexpr size_t kMaxGuestPathLength = 4096;

class ResolvedPath {
 public:
  ResolvedPath(UniqueFd owned_dir, int dir_fd, std::string name, bool must_be_dir, size_t depth)
      : owned_dir_(std::move(owned_dir)),
        dir_fd_(dir_fd),
        name_(std::move(name)),
        must_be_dir_(must_be_dir),
        depth_(depth) {}

  // The directory that holds the final component: the base descriptor or one opened here.
  int dir_fd() const { return owned_dir_.valid() ? owned_dir_.get() : dir_fd_; }
  // The final component: non-empty, no '/', never "..". "." means the directory itself.
  const std::string& name() const { return name_; }
  // The path ended in '/': the object must be a directory.
  bool must_be_dir() const { return must_be_dir_; }
  // How many directories dir() is below the base directory (0: the base itself).
  size_t depth() const { return depth_; }

 private:
  UniqueFd owned_dir_;
  int dir_fd_;
  std::string name_;
  bool must_be_dir_;
  size_t depth_;
};

// Resolves `path` beneath `base_dir_fd`. Symlinks in intermediate components are always
// followed (when they stay beneath the base); a symlink in the final component is followed
// only if `follow_final_symlink` (a trailing '/' implies it).
ErrnoOr<ResolvedPath> ResolveBeneath(int base_dir_fd, std::string_view path,
                                     bool follow_final_symlink);

// Whether a relative symlink `target`, placed in a directory `depth` levels below a base
// directory, names something beneath that base, judged on its text: its `..` components
// never climb above the base. (Symlinks already inside the tree are not consulted: the
// guest cannot plant escaping ones, and the resolver refuses to follow any.)
bool RelativeTargetStaysBeneath(std::string_view target, size_t depth);

}  // namespace wasmgrind::wasi
