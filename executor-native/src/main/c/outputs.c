/* Output files. The job writes them under its output directory (inside its own size-limited
 * /tmp); once init has been reaped, the PID namespace is empty, so nothing of the job runs any
 * more and nothing can change the files while they are read. The launcher then forks a collector
 * that enters the job's mount namespace (which the launcher holds open), drops to the job's uid
 * with no capabilities (it can read no more than the job could), and walks the directory under
 * directory fds: every component opened with O_NOFOLLOW, every file's type checked with fstat on
 * the opened fd (O_NONBLOCK, so a FIFO never blocks; /tmp is nodev, so a device node never
 * opens). Symlinks, FIFOs, sockets, devices, unreadable entries and whatever is over the count
 * or the bytes are left out, and the end record says so ("truncated").
 *
 * The files-out file, written in order (the caller reads it after the status line):
 *   F <size> <path length>\n<path><size bytes of content>   one per file, path relative, '/'-separated
 *   E <truncated: 0|1>\n                                      the collector ended normally
 *   X <length>\n<message>                                     or: it failed, and this is why
 */
#include "outputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "credentials.h"
#include "die.h"
#include "io.h"

/* Directories below the output directory that are walked; deeper ones are left out. */
#define MAX_DEPTH 8

struct collection {
  int out_fd;
  uint64_t max_files;
  uint64_t max_bytes;
  uint64_t max_entries; /* entries looked at, of any kind: a million empty files cost no time */
  uint64_t files;
  uint64_t bytes;
  uint64_t entries;
  bool truncated;
};

void make_output_dir(const struct config *cfg) {
  if (cfg->output_dir == NULL)
    return;
  if (mkdir(cfg->output_dir, 0755) < 0)
    die_errno("mkdir the output directory %s", cfg->output_dir);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the directory (sorted, so that what is kept does not depend on the order the file
 * system lists them in), up to what the collection may still look at. */
static char **list_names(struct collection *c, int dir_fd, size_t *count) {
  int fd = dup(dir_fd);
  if (fd < 0)
    die_errno("dup an output directory fd");
  DIR *dir = fdopendir(fd);
  if (dir == NULL)
    die_errno("fdopendir in the output directory");
  size_t n = 0, capacity = 16;
  char **names = malloc(capacity * sizeof *names);
  if (names == NULL)
    die("out of memory listing the output directory");
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(dir);
    if (e == NULL) {
      if (errno != 0)
        die_errno("readdir in the output directory");
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (c->entries == c->max_entries) {
      c->truncated = true;
      break;
    }
    c->entries++;
    if (n == capacity) {
      capacity *= 2;
      char **grown = realloc(names, capacity * sizeof *names);
      if (grown == NULL)
        die("out of memory listing the output directory");
      names = grown;
    }
    names[n] = strdup(e->d_name);
    if (names[n] == NULL)
      die("out of memory listing the output directory");
    n++;
  }
  if (closedir(dir) < 0)
    die_errno("closedir in the output directory");
  qsort(names, n, sizeof *names, compare_names);
  *count = n;
  return names;
}

static void copy_file(struct collection *c, int dir_fd, const char *name, const char *path) {
  if (c->files == c->max_files) {
    c->truncated = true;
    return;
  }
  int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == EACCES || errno == ELOOP || errno == ENXIO || errno == EPERM) {
      c->truncated = true; /* unreadable to the job's uid, or no longer a regular file */
      return;
    }
    die_errno("open the output file %s", path);
  }
  struct stat st;
  if (fstat(fd, &st) < 0)
    die_errno("fstat the output file %s", path);
  uint64_t size = (uint64_t)st.st_size;
  if (!S_ISREG(st.st_mode) || size > c->max_bytes - c->bytes) {
    c->truncated = true;
    close(fd);
    return;
  }
  char *content = malloc(size > 0 ? size : 1);
  if (content == NULL)
    die("out of memory reading the output file %s (%llu bytes)", path, (unsigned long long)size);
  size_t got = 0;
  while (got < size) {
    ssize_t r = read(fd, content + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      die_errno("read the output file %s", path);
    if (r == 0)
      die("the output file %s shrank while it was read (%zu of %llu bytes)", path, got, (unsigned long long)size);
    got += (size_t)r;
  }
  if (close(fd) < 0)
    die_errno("close the output file %s", path);
  char header[64];
  int n = snprintf(header, sizeof header, "F %llu %zu\n", (unsigned long long)size, strlen(path));
  write_all(c->out_fd, header, (size_t)n, "the files-out file");
  write_all(c->out_fd, path, strlen(path), "the files-out file");
  write_all(c->out_fd, content, size, "the files-out file");
  free(content);
  c->files++;
  c->bytes += size;
}

static void walk(struct collection *c, int dir_fd, const char *prefix, int depth) {
  size_t count;
  char **names = list_names(c, dir_fd, &count);
  for (size_t i = 0; i < count; i++) {
    char path[PATH_MAX];
    int len = snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] == '\0' ? "" : "/", names[i]);
    struct stat st;
    if (len < 0 || (size_t)len >= sizeof path) {
      c->truncated = true;
    } else if (fstatat(dir_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
      /* A directory the job made unsearchable (mode 0600, say) is its own choice, not a failure of
       * the collector's: what is in it is left out. */
      if (errno != EACCES)
        die_errno("fstatat the output entry %s", path);
      c->truncated = true;
    } else if (S_ISREG(st.st_mode)) {
      copy_file(c, dir_fd, names[i], path);
    } else if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
      int sub = openat(dir_fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) {
        walk(c, sub, path, depth + 1);
        if (close(sub) < 0)
          die_errno("close the output directory %s", path);
      } else if (errno == EACCES || errno == ELOOP || errno == ENOTDIR) {
        c->truncated = true;
      } else {
        die_errno("open the output directory %s", path);
      }
    } else {
      c->truncated = true; /* a symlink, FIFO, socket or device node, or too deep */
    }
    free(names[i]);
  }
  free(names);
}

/* The output directory, opened from / one component at a time, never following a link (the job
 * may have replaced the directory, or any below /, with one): its fd, or -1 with errno set by the
 * step that failed (ENOENT: it is gone; ELOOP or ENOTDIR: something else is in its place). */
static int open_output_dir_nofollow(const char *output_dir) {
  int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  char copy[PATH_MAX];
  if (snprintf(copy, sizeof copy, "%s", output_dir) >= (int)sizeof copy) {
    close(fd);
    errno = ENAMETOOLONG;
    return -1;
  }
  char *save = NULL;
  for (char *part = strtok_r(copy, "/", &save); part != NULL; part = strtok_r(NULL, "/", &save)) {
    /* O_NONBLOCK: a FIFO in the directory's place never blocks (O_DIRECTORY refuses it anyway). */
    int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int open_error = errno;
    if (close(fd) < 0)
      return -1;
    if (next < 0) {
      errno = open_error;
      return -1;
    }
    fd = next;
  }
  return fd;
}

/* The collector's: -1 when it is not there as a directory, and refused when something else is. */
static int open_output_dir(const char *output_dir, bool *refused) {
  int fd = open_output_dir_nofollow(output_dir);
  if (fd < 0) {
    if (errno != ENOENT && errno != ELOOP && errno != ENOTDIR && errno != EACCES)
      die_errno("open the output directory %s in the job's mount namespace", output_dir);
    *refused = errno != ENOENT; /* gone is empty; replaced by something else is left out */
  }
  return fd;
}

bool output_dir_may_have_files(const char *output_dir) {
  int fd = open_output_dir_nofollow(output_dir);
  if (fd < 0)
    return errno != ENOENT; /* gone is empty, as the collector finds it; anything else it judges */
  DIR *dir = fdopendir(fd);
  if (dir == NULL) {
    close(fd);
    return true;
  }
  bool found = false;
  errno = 0;
  for (struct dirent *e; !found && (e = readdir(dir)) != NULL;)
    found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  if (errno != 0)
    found = true; /* unreadable: the collector judges */
  if (closedir(dir) < 0)
    found = true;
  return found;
}

/* The last record of a collection that ended normally. */
static void write_end_record(int out_fd, bool truncated) {
  write_all(out_fd, truncated ? "E 1\n" : "E 0\n", 4, "the files-out file");
}

static __attribute__((noreturn)) void run_collector(const struct config *cfg, int mount_ns, int user_ns) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_DUMPABLE 0 in the output collector");
  if (user_ns >= 0 && setns(user_ns, CLONE_NEWUSER) < 0)
    die_errno("setns to the job's user namespace");
  if (setns(mount_ns, CLONE_NEWNS) < 0)
    die_errno("setns to the job's mount namespace");
  drop_privileges(cfg);
  forbid_new_privileges();
  struct collection c = {
      .out_fd = cfg->files_out_fd,
      .max_files = cfg->output_max_files,
      .max_bytes = cfg->output_max_bytes,
      .max_entries = 4 * cfg->output_max_files + 256,
  };
  bool refused = false;
  int dir = open_output_dir(cfg->output_dir, &refused);
  c.truncated = refused;
  if (dir >= 0) {
    walk(&c, dir, "", 0);
    if (close(dir) < 0)
      die_errno("close the output directory");
  }
  write_end_record(c.out_fd, c.truncated);
  _exit(0);
}

static void write_failure(int out_fd, const char *message, size_t len) {
  char header[32];
  int n = snprintf(header, sizeof header, "X %zu\n", len);
  write_all(out_fd, header, (size_t)n, "the files-out file");
  write_all(out_fd, message, len, "the files-out file");
}

void collect_outputs(const struct config *cfg, int mount_ns, int user_ns, bool may_exist) {
  if (!may_exist) {
    write_end_record(cfg->files_out_fd, false);
    return;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    die_errno("pipe2 for the output collector's errors");
  pid_t pid = fork();
  if (pid < 0)
    die_errno("fork the output collector");
  if (pid == 0) {
    if (close(fds[0]) < 0)
      die_errno("close the collector's error pipe (read end)");
    die_set_error_pipe(fds[1]);
    run_collector(cfg, mount_ns, user_ns);
  }
  if (close(fds[1]) < 0)
    die_errno("close the collector's error pipe (write end)");
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      die_errno("waitpid the output collector");
  char *message;
  size_t len;
  read_all_fd(fds[0], &message, &len, "the output collector's error pipe");
  if (close(fds[0]) < 0)
    die_errno("close the collector's error pipe");
  /* The collector shares the file's offset: a failure record goes after what it wrote. */
  if (len > 0) {
    write_failure(cfg->files_out_fd, message, len);
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char text[96];
    int n = WIFSIGNALED(status) ? snprintf(text, sizeof text, "the output collector was killed by signal %d",
                                           WTERMSIG(status))
                                : snprintf(text, sizeof text, "the output collector exited with %d",
                                           WEXITSTATUS(status));
    write_failure(cfg->files_out_fd, text, (size_t)n);
  }
  free(message);
}
