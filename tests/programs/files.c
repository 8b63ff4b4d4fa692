// Files in a preopened directory (argv[1], e.g. "/sandbox"): create, write, read, seek,
// stat, truncate, rename, readdir, unlink, mkdir/rmdir, symlink/readlink, chdir. Prints a
// deterministic log; leaves <dir>/final.txt behind for the host to check.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path_buf[4][512];
static const char* P(int slot, const char* dir, const char* rel) {
  snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, rel);
  return path_buf[slot];
}

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      printf("FAILED line %d: %s (errno %d: %s)\n", __LINE__, #cond, errno,      \
             strerror(errno));                                                   \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

static int CompareNames(const void* a, const void* b) {
  return strcmp((const char*)a, (const char*)b);
}

static void ListDir(const char* path) {
  DIR* d = opendir(path);
  CHECK(d != NULL);
  char names[32][64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    CHECK(n < 32);
    snprintf(names[n++], 64, "%s%s", e->d_name,
             e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "");
  }
  closedir(d);
  qsort(names, n, 64, CompareNames);
  printf("ls:");
  for (int i = 0; i < n; ++i) printf(" %s", names[i]);
  printf("\n");
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  const char* root = argv[1];
  char work[512];
  snprintf(work, sizeof work, "%s/work", root);

  CHECK(mkdir(work, 0755) == 0);
  CHECK(mkdir(work, 0755) == -1 && errno == EEXIST);
  printf("mkdir ok\n");

  FILE* f = fopen(P(0, work, "a.txt"), "w");
  CHECK(f != NULL);
  fprintf(f, "hello file\n");
  for (int i = 0; i < 5; ++i) fprintf(f, "line %d\n", i);
  CHECK(fclose(f) == 0);

  struct stat st;
  CHECK(stat(P(0, work, "a.txt"), &st) == 0);
  printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

  int fd = open(P(0, work, "a.txt"), O_RDWR);
  CHECK(fd >= 0);
  CHECK(lseek(fd, 6, SEEK_SET) == 6);
  char buf[64] = {0};
  CHECK(read(fd, buf, 4) == 4);
  printf("read at 6: [%s]\n", buf);
  printf("tell=%lld end=%lld\n", (long long)lseek(fd, 0, SEEK_CUR), (long long)lseek(fd, 0, SEEK_END));
  CHECK(write(fd, "tail\n", 5) == 5);
  CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
  memset(buf, 0, sizeof buf);
  CHECK(pread(fd, buf, 10, 0) == 10);
  printf("pread: [%s]\n", buf);
  CHECK(ftruncate(fd, 5) == 0);
  CHECK(fstat(fd, &st) == 0);
  printf("after truncate size=%lld\n", (long long)st.st_size);
  CHECK(close(fd) == 0);

  f = fopen(P(0, work, "a.txt"), "a");
  CHECK(f != NULL);
  fputs(" appended", f);
  fclose(f);
  f = fopen(P(0, work, "a.txt"), "r");
  CHECK(f != NULL);
  memset(buf, 0, sizeof buf);
  CHECK(fgets(buf, sizeof buf, f) != NULL);
  fclose(f);
  printf("content: [%s]\n", buf);

  CHECK(rename(P(0, work, "a.txt"), P(1, work, "b.txt")) == 0);
  CHECK(access(P(0, work, "a.txt"), F_OK) == -1 && errno == ENOENT);
  CHECK(access(P(0, work, "b.txt"), F_OK) == 0);
  printf("rename ok\n");

  fd = open(P(0, work, "c.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0);
  close(fd);
  CHECK(open(P(0, work, "c.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
  CHECK(mkdir(P(0, work, "sub"), 0755) == 0);
  CHECK(symlink("b.txt", P(0, work, "link")) == 0);
  memset(buf, 0, sizeof buf);
  CHECK(readlink(P(0, work, "link"), buf, sizeof buf) == 5);
  printf("readlink: [%s]\n", buf);
  CHECK(lstat(P(0, work, "link"), &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat(P(0, work, "link"), &st) == 0 && S_ISREG(st.st_mode));
  CHECK(stat(P(0, work, "sub"), &st) == 0 && S_ISDIR(st.st_mode));
  ListDir(work);

  CHECK(rmdir(work) == -1 && errno == ENOTEMPTY);
  CHECK(unlink(P(0, work, "c.txt")) == 0);
  CHECK(unlink(P(0, work, "link")) == 0);
  CHECK(rmdir(P(0, work, "sub")) == 0);
  CHECK(unlink(P(0, work, "missing")) == -1 && errno == ENOENT);
  ListDir(work);
  CHECK(rename(P(0, work, "b.txt"), P(1, root, "final.txt")) == 0);
  CHECK(rmdir(work) == 0);
  CHECK(access(work, F_OK) == -1 && errno == ENOENT);
  printf("rmdir ok\n");

  CHECK(chdir(root) == 0);
  f = fopen("relative.txt", "w");
  CHECK(f != NULL);
  fputs("relative\n", f);
  fclose(f);
  CHECK(unlink("relative.txt") == 0);
  printf("chdir ok\n");
  ListDir(root);
  return 0;
}
