// Sandbox escape attempts. argv[1] is the preopened directory ("/sandbox"). The host test
// prepares, next to the preopen, secret.txt, and inside it: inside.txt, link_ok -> inside.txt,
// link_out -> ../secret.txt, link_abs -> <absolute host path of secret.txt>,
// link_up -> .., sub/link_escape -> ../../secret.txt. Every attempt must be refused; each
// prints "refused: <what>" or "ESCAPED: <what>". Raw __wasi_* calls bypass wasi-libc's own
// path handling so that the host sees the hostile paths unmodified.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char* root;
static char buf[512];
static const char* In(const char* rel) {
  snprintf(buf, sizeof buf, "%s/%s", root, rel);
  return buf;
}

static void Report(const char* what, int escaped) {
  printf("%s: %s\n", escaped ? "ESCAPED" : "refused", what);
}

static void TryOpen(const char* path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd >= 0) {
    char content[64] = {0};
    read(fd, content, sizeof content - 1);
    close(fd);
    printf("  (read [%s])\n", content);
  }
  char what[600];
  snprintf(what, sizeof what, "open %s%s", path, (flags & O_CREAT) ? " O_CREAT" : "");
  Report(what, fd >= 0);
}

static void TryStat(const char* path) {
  struct stat st;
  char what[600];
  snprintf(what, sizeof what, "stat %s", path);
  Report(what, stat(path, &st) == 0);
}

static void TryRaw(const char* label, __wasi_lookupflags_t flags, const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(3, flags, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  char what[600];
  snprintf(what, sizeof what, "raw path_open %s (%s)", path, label);
  Report(what, e == 0);
  __wasi_filestat_t st;
  e = __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st);
  snprintf(what, sizeof what, "raw path_filestat_get %s", path);
  Report(what, e == 0);
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  root = argv[1];
  const char* host_secret = argv[2];

  // Control: inside the sandbox, through a symlink that stays inside.
  int fd = open(In("link_ok"), O_RDONLY);
  char content[64] = {0};
  if (fd >= 0) read(fd, content, sizeof content - 1);
  printf("control: %s [%s]\n", fd >= 0 ? "allowed" : "REFUSED", content);
  if (fd >= 0) close(fd);

  TryOpen(In("../secret.txt"), O_RDONLY);
  TryOpen(In("sub/../../secret.txt"), O_RDONLY);
  TryOpen("/etc/passwd", O_RDONLY);
  TryOpen(host_secret, O_RDONLY);
  TryOpen(In("link_out"), O_RDONLY);
  TryOpen(In("link_abs"), O_RDONLY);
  TryOpen(In("link_up/secret.txt"), O_RDONLY);
  TryOpen(In("sub/link_escape"), O_RDONLY);
  TryOpen(In("link_up/created.txt"), O_WRONLY | O_CREAT);
  TryOpen(In("link_out"), O_WRONLY | O_TRUNC);
  TryStat(In("../secret.txt"));
  TryStat(In("link_out"));
  TryStat(In("link_up/secret.txt"));

  DIR* d = opendir(In("link_up"));
  Report("opendir link_up", d != NULL);
  if (d) closedir(d);
  d = opendir(In(".."));
  Report("opendir ..", d != NULL);
  if (d) closedir(d);

  Report("mkdir ../evil", mkdir(In("../evil"), 0755) == 0);
  Report("mkdir link_up/evil", mkdir(In("link_up/evil"), 0755) == 0);
  char target[512];
  snprintf(target, sizeof target, "%s", In("../stolen.txt"));
  Report("rename inside.txt to ../stolen.txt", rename(In("inside.txt"), target) == 0);
  snprintf(target, sizeof target, "%s", In("link_up/stolen.txt"));
  Report("rename inside.txt to link_up/stolen.txt", rename(In("inside.txt"), target) == 0);
  snprintf(target, sizeof target, "%s", In("hard"));
  Report("link link_up/secret.txt", link(In("link_up/secret.txt"), target) == 0);
  Report("unlink ../secret.txt", unlink(In("../secret.txt")) == 0);
  Report("symlink to an absolute path", symlink("/etc/passwd", In("made_abs")) == 0);
  // Nor one pointing out through `..` (host programs would follow it; node refuses it too).
  Report("symlink to ../secret.txt", symlink("../secret.txt", In("made_out")) == 0);
  Report("symlink to sub/../../secret.txt", symlink("sub/../../secret.txt", In("made_out")) == 0);
  TryOpen(In("made_out"), O_RDONLY);

  TryRaw("dotdot", 0, "../secret.txt");
  TryRaw("dotdot", 0, "sub/../../secret.txt");
  TryRaw("absolute", 0, "/etc/passwd");
  TryRaw("through link_up", 0, "link_up/secret.txt");
  TryRaw("follow link_out", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_out");
  TryRaw("follow link_abs", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_abs");
  TryRaw("follow sub/link_escape", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sub/link_escape");

  // Still usable afterwards.
  fd = open(In("inside.txt"), O_RDONLY);
  printf("inside.txt still there: %d\n", fd >= 0);
  return 0;
}
