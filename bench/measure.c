/* measure: runs one command and reports its wall time, peak memory and exit status, for bench/run.
 *
 *   measure RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARGS...]
 *
 * PROGRAM inherits stdin, stdout and stderr. When it ends, RESULT_FILE gets one line:
 *   <wall seconds> <max RSS KiB> <status> <timed out: 0|1> <user CPU seconds> <system CPU seconds>
 * where status is the exit code, or minus the signal number that killed it. PROGRAM runs in a
 * process group of its own; after TIMEOUT_SECONDS, or when measure gets SIGINT, SIGTERM or
 * SIGHUP, the whole group is killed with SIGKILL (so no helper process outlives a run).
 *
 * Why not Python's subprocess: Linux carries the peak RSS of the process image before exec into
 * the child's ru_maxrss, so every child forked from the Python runner would report at least
 * Python's own ~20 MiB. Forked from this small program, the floor is about a megabyte, as with
 * GNU time. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_timed_out;
static pid_t g_child;

static void OnSignal(int sig) {
  if (sig == SIGALRM) g_timed_out = 1;
  kill(-g_child, SIGKILL);
}

static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: measure RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARGS...]\n");
    return 2;
  }
  FILE *result = fopen(argv[1], "w");
  if (!result) {
    fprintf(stderr, "measure: cannot write %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  unsigned timeout = (unsigned)strtoul(argv[2], NULL, 10);

  double start = Now();
  g_child = fork();
  if (g_child < 0) {
    fprintf(stderr, "measure: fork: %s\n", strerror(errno));
    return 2;
  }
  if (g_child == 0) {
    setpgid(0, 0);
    fclose(result);
    execvp(argv[3], argv + 3);
    fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
    _exit(127);
  }

  setpgid(g_child, g_child); /* also here, so that a signal cannot come before the child's call */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal; /* no SA_RESTART: wait4 returns EINTR, then waits again */
  sigaction(SIGALRM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  if (timeout > 0) alarm(timeout);

  int status;
  struct rusage usage;
  while (wait4(g_child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
      return 2;
    }
  }
  double wall = Now() - start;
  alarm(0);

  int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
  fprintf(result, "%.6f %ld %d %d %ld.%06ld %ld.%06ld\n", wall, usage.ru_maxrss, code, (int)g_timed_out,
          (long)usage.ru_utime.tv_sec, (long)usage.ru_utime.tv_usec, (long)usage.ru_stime.tv_sec,
          (long)usage.ru_stime.tv_usec);
  return fclose(result) == 0 ? 0 : 2;
}
