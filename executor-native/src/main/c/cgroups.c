/* Per-job cgroup: memory, pids and CPU accounting for every process of the job together.
 * cgroup v2 when the unified hierarchy has the controllers, else v1's memory/pids/cpuacct
 * hierarchies, else none (rlimits only). The job's cgroup is PARENT/job-<pid>, named after the
 * launcher (or the stub that stands for it). */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "die.h"
#include "io.h"
#include "options.h"

static bool has_token(const char *list, const char *token, char sep) {
  size_t n = strlen(token);
  for (const char *p = list; p != NULL && *p != '\0';) {
    const char *end = strchr(p, sep);
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && strncmp(p, token, n) == 0)
      return true;
    p = end ? end + 1 : NULL;
  }
  return false;
}

/* /proc/self/mountinfo, read once: up to four hierarchies are looked up in it. */
static const char *mountinfo(void) {
  static char *text;
  if (text == NULL) {
    int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      die_errno("open /proc/self/mountinfo");
    size_t len;
    read_all_fd(fd, &text, &len, "/proc/self/mountinfo");
    if (close(fd) < 0)
      die_errno("close /proc/self/mountinfo");
    char *terminated = realloc(text, len + 1);
    if (terminated == NULL)
      die("out of memory reading /proc/self/mountinfo");
    terminated[len] = '\0';
    text = terminated;
  }
  return text;
}

/* Finds the mount point of a cgroup hierarchy: fstype cgroup2 (controller NULL), or a v1
 * hierarchy whose super options list the controller. */
static bool find_hierarchy(const char *controller, char *out, size_t size) {
  for (const char *line = mountinfo(); *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char copy[4096], mountpoint[1024], fstype[64], superopts[1024];
    if (len < sizeof copy) {
      memcpy(copy, line, len);
      copy[len] = '\0';
      char *dash = strstr(copy, " - ");
      if (dash != NULL && sscanf(copy, "%*s %*s %*s %*s %1023s", mountpoint) == 1 &&
          sscanf(dash + 3, "%63s %*s %1023s", fstype, superopts) == 2 &&
          (controller == NULL ? strcmp(fstype, "cgroup2") == 0
                              : strcmp(fstype, "cgroup") == 0 && has_token(superopts, controller, ','))) {
        if (strlen(mountpoint) >= size)
          die("cgroup mount point too long: %s", mountpoint);
        memcpy(out, mountpoint, strlen(mountpoint) + 1);
        return true;
      }
    }
    line = end ? end + 1 : line + len;
  }
  return false;
}

static int write_file(const char *dir, const char *file, const char *content) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  ssize_t n = write(fd, content, strlen(content));
  int err = n < 0 ? errno : 0;
  close(fd);
  return err;
}

static void write_file_or_die(const char *dir, const char *file, const char *content) {
  int err = write_file(dir, file, content);
  if (err != 0) {
    errno = err;
    die_errno("write '%s' to %s/%s", content, dir, file);
  }
}

/* Reads "key value" lines (memory.events, cpu.stat, ...) or a single number when key is NULL. */
static uint64_t read_number(const char *dir, const char *file, const char *key) {
  char path[1024], line[256];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "re");
  if (f == NULL)
    return 0;
  uint64_t value = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    char name[128];
    unsigned long long v;
    if (key == NULL ? sscanf(line, "%llu", &v) == 1
                    : sscanf(line, "%127s %llu", name, &v) == 2 && strcmp(name, key) == 0) {
      value = v;
      break;
    }
  }
  fclose(f);
  return value;
}

static void make_dir(const char *path) {
  if (mkdir(path, 0755) < 0 && errno != EEXIST)
    die_errno("mkdir cgroup %s", path);
}

static void job_dir(char *out, size_t size, const char *root, const struct config *cfg, pid_t named_after) {
  char parent[1024];
  snprintf(parent, sizeof parent, "%s/%s", root, cfg->cgroup_parent);
  make_dir(parent);
  int n = snprintf(out, size, "%s/job-%d", parent, (int)named_after);
  if (n < 0 || (size_t)n >= size)
    die("cgroup path too long under %s", parent);
  make_dir(out);
}

static bool v2_usable(char *root, size_t size) {
  if (!find_hierarchy(NULL, root, size))
    return false;
  char path[1100];
  snprintf(path, sizeof path, "%s/cgroup.controllers", root);
  FILE *f = fopen(path, "re");
  if (f == NULL)
    return false;
  char line[512] = "";
  bool ok = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  line[strcspn(line, "\n")] = '\0';
  return ok && has_token(line, "memory", ' ') && has_token(line, "pids", ' ') && access(root, W_OK) == 0;
}

static bool v1_usable(struct cgroup *cg) {
  return find_hierarchy("memory", cg->memory, sizeof cg->memory) && find_hierarchy("pids", cg->pids, sizeof cg->pids) &&
         find_hierarchy("cpuacct", cg->cpuacct, sizeof cg->cpuacct) && access(cg->memory, W_OK) == 0 &&
         access(cg->pids, W_OK) == 0 && access(cg->cpuacct, W_OK) == 0;
}

static void set_limits_v2(const struct config *cfg, pid_t named_after, struct cgroup *cg, const char *root) {
  char parent[1100];
  snprintf(parent, sizeof parent, "%s/%s", root, cfg->cgroup_parent);
  make_dir(parent);
  write_file_or_die(root, "cgroup.subtree_control", "+memory +pids");
  write_file_or_die(parent, "cgroup.subtree_control", "+memory +pids");
  job_dir(cg->unified, sizeof cg->unified, root, cfg, named_after);
  char value[32];
  if (cfg->memory_bytes > 0) {
    snprintf(value, sizeof value, "%llu", (unsigned long long)cfg->memory_bytes);
    write_file_or_die(cg->unified, "memory.max", value);
    int err = write_file(cg->unified, "memory.swap.max", "0");
    if (err != 0 && err != ENOENT) {
      errno = err;
      die_errno("write 0 to %s/memory.swap.max", cg->unified);
    }
  }
  if (cfg->processes > 0) {
    snprintf(value, sizeof value, "%llu", (unsigned long long)cfg->processes);
    write_file_or_die(cg->unified, "pids.max", value);
  }
}

static void set_limits_v1(const struct config *cfg, pid_t named_after, struct cgroup *cg) {
  char root[3][512];
  snprintf(root[0], sizeof root[0], "%s", cg->memory);
  snprintf(root[1], sizeof root[1], "%s", cg->pids);
  snprintf(root[2], sizeof root[2], "%s", cg->cpuacct);
  job_dir(cg->memory, sizeof cg->memory, root[0], cfg, named_after);
  job_dir(cg->pids, sizeof cg->pids, root[1], cfg, named_after);
  job_dir(cg->cpuacct, sizeof cg->cpuacct, root[2], cfg, named_after);
  char value[32];
  if (cfg->memory_bytes > 0) {
    snprintf(value, sizeof value, "%llu", (unsigned long long)cfg->memory_bytes);
    write_file_or_die(cg->memory, "memory.limit_in_bytes", value);
    int err = write_file(cg->memory, "memory.memsw.limit_in_bytes", value);
    if (err != 0 && err != ENOENT) {
      errno = err;
      die_errno("write %s to %s/memory.memsw.limit_in_bytes", value, cg->memory);
    }
  }
  if (cfg->processes > 0) {
    snprintf(value, sizeof value, "%llu", (unsigned long long)cfg->processes);
    write_file_or_die(cg->pids, "pids.max", value);
  }
}

void cgroup_create(const struct config *cfg, pid_t named_after, struct cgroup *cg) {
  *cg = (struct cgroup){.mode = CGROUP_NONE};
  char root[512];
  switch (cfg->cgroup_mode) {
  case CGROUP_NONE:
    return;
  case CGROUP_V2:
    if (!v2_usable(root, sizeof root))
      die("--cgroup v2: no writable cgroup2 hierarchy with the memory and pids controllers");
    break;
  case CGROUP_V1:
    if (!v1_usable(cg))
      die("--cgroup v1: no writable v1 hierarchies for memory, pids and cpuacct");
    break;
  case CGROUP_AUTO:
    if (v2_usable(root, sizeof root)) {
      cg->mode = CGROUP_V2;
    } else {
      *cg = (struct cgroup){.mode = CGROUP_NONE};
      if (!v1_usable(cg)) {
        *cg = (struct cgroup){.mode = CGROUP_NONE};
        return;
      }
      cg->mode = CGROUP_V1;
    }
    break;
  }
  if (cfg->cgroup_mode == CGROUP_V2 || cg->mode == CGROUP_V2) {
    cg->mode = CGROUP_V2;
    set_limits_v2(cfg, named_after, cg, root);
  } else {
    cg->mode = CGROUP_V1;
    set_limits_v1(cfg, named_after, cg);
  }
}

void cgroup_attach(const struct cgroup *cg, pid_t pid) {
  char value[32];
  snprintf(value, sizeof value, "%d", (int)pid);
  if (cg->mode == CGROUP_V2) {
    write_file_or_die(cg->unified, "cgroup.procs", value);
  } else if (cg->mode == CGROUP_V1) {
    write_file_or_die(cg->memory, "cgroup.procs", value);
    write_file_or_die(cg->pids, "cgroup.procs", value);
    write_file_or_die(cg->cpuacct, "cgroup.procs", value);
  }
}

uint64_t cgroup_cpu_usage_ms(const struct cgroup *cg) {
  if (cg->mode == CGROUP_V2)
    return read_number(cg->unified, "cpu.stat", "usage_usec") / 1000;
  if (cg->mode == CGROUP_V1)
    return read_number(cg->cpuacct, "cpuacct.usage", NULL) / 1000000;
  return 0;
}

void cgroup_collect(const struct cgroup *cg, struct job_stats *stats) {
  if (cg->mode == CGROUP_V2) {
    stats->cpu_ms = cgroup_cpu_usage_ms(cg);
    stats->max_rss_kb = read_number(cg->unified, "memory.peak", NULL) / 1024;
    stats->oom_killed = read_number(cg->unified, "memory.events", "oom_kill") > 0;
    stats->pids_exhausted = read_number(cg->unified, "pids.events", "max") > 0;
  } else if (cg->mode == CGROUP_V1) {
    stats->cpu_ms = cgroup_cpu_usage_ms(cg);
    stats->max_rss_kb = read_number(cg->memory, "memory.max_usage_in_bytes", NULL) / 1024;
    stats->oom_killed = read_number(cg->memory, "memory.oom_control", "oom_kill") > 0;
    stats->pids_exhausted = read_number(cg->pids, "pids.events", "max") > 0;
  }
}

/* The job's processes are gone once its PID namespace's init has been reaped, but the kernel
 * may take a moment to let go of the cgroup: retry rmdir on EBUSY for up to a second.
 * Returns 0 or the errno of the last attempt. */
static int remove_dir(const char *path) {
  if (path[0] == '\0')
    return 0;
  for (int attempt = 0;; attempt++) {
    if (rmdir(path) == 0 || errno == ENOENT)
      return 0;
    if (errno != EBUSY || attempt == 1000)
      return errno;
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

/* Every directory is tried, so that one that cannot go does not leave the others behind; the
 * failures are reported together. */
static void remove_dirs(const char *const *paths, size_t n) {
  char failures[2048] = "";
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    int err = remove_dir(paths[i]);
    if (err != 0 && used < sizeof failures) {
      int w = snprintf(failures + used, sizeof failures - used, "%srmdir cgroup %s: %s", used > 0 ? "; " : "",
                       paths[i], strerror(err));
      used += w > 0 ? (size_t)w : 0;
    }
  }
  if (used > 0)
    die("%s", failures);
}

void cgroup_destroy(const struct cgroup *cg) {
  if (cg->mode == CGROUP_V2) {
    int err = write_file(cg->unified, "cgroup.kill", "1");
    (void)err; /* cgroup.kill exists from Linux 5.14; the namespace is already empty anyway */
    const char *unified[] = {cg->unified};
    remove_dirs(unified, 1);
  } else if (cg->mode == CGROUP_V1) {
    const char *v1[] = {cg->memory, cg->pids, cg->cpuacct};
    remove_dirs(v1, 3);
  }
}

/* Memory and processes both: v1 and v2 alike have the memory and pids controllers or are not used. */
bool cgroup_limits_job(const struct cgroup *cg) { return cg->mode != CGROUP_NONE; }

const char *cgroup_mode_name(const struct cgroup *cg) {
  return cg->mode == CGROUP_V2 ? "v2" : cg->mode == CGROUP_V1 ? "v1" : "none";
}
