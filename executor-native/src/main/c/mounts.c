/* Mounts: a fresh tmpfs root holding read-only binds of exactly what the profile lists, a
 * size-limited /tmp, a minimal /dev and a fresh /proc; then the root is swapped in and made
 * read-only. Follows bubblewrap: the host stays reachable at /oldroot only until the new root
 * is complete, then it is detached. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "die.h"
#include "io.h"
#include "options.h"

#define BASE "/tmp"
#define NEWROOT "/newroot"
#define OLDROOT "/oldroot"

static const char *const allowed_devices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};

static void path_join(char *out, size_t size, const char *a, const char *b) {
  int n = snprintf(out, size, "%s%s", a, b);
  if (n < 0 || (size_t)n >= size)
    die("path too long: %s%s", a, b);
}

/* mkdir -p for paths inside the new root, all created root-owned 0755. Most parents exist
 * already: the path itself is tried first, and its components one by one only if one is missing. */
static void make_dirs(const char *path) {
  if (mkdir(path, 0755) == 0 || errno == EEXIST)
    return;
  if (errno != ENOENT)
    die_errno("mkdir %s", path);
  char buf[PATH_MAX];
  path_join(buf, sizeof buf, path, "");
  for (char *p = buf + 1; *p != '\0'; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
      die_errno("mkdir %s", buf);
    *p = '/';
  }
  if (mkdir(buf, 0755) < 0 && errno != EEXIST)
    die_errno("mkdir %s", buf);
}

static void make_parent_dirs(const char *path) {
  char buf[PATH_MAX];
  path_join(buf, sizeof buf, path, "");
  char *slash = strrchr(buf, '/');
  if (slash != NULL && slash != buf) {
    *slash = '\0';
    make_dirs(buf);
  }
}

static void make_file(const char *path, mode_t mode) {
  make_parent_dirs(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    die_errno("create mount point %s", path);
  if (close(fd) < 0)
    die_errno("close %s", path);
}

static void mount_or_die(const char *src, const char *dst, const char *type, unsigned long flags, const char *data) {
  if (mount(src, dst, type, flags, data) < 0)
    die_errno("mount %s on %s (type %s, flags 0x%lx, options %s)", src ? src : "none", dst, type ? type : "none",
              flags, data ? data : "none");
}

/* Remount of a bind that keeps the flags the kernel locks in a user namespace (nosuid, nodev,
 * noexec and the atime mode of the original mount); remounting without them fails with EPERM. */
static void remount_bind(const char *dst, bool read_only, bool allow_devices) {
  struct statvfs st;
  if (statvfs(dst, &st) < 0)
    die_errno("statvfs %s", dst);
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_SILENT;
  if (read_only) flags |= MS_RDONLY;
  if (!allow_devices || (st.f_flag & ST_NODEV)) flags |= MS_NODEV;
  if (allow_devices || (st.f_flag & ST_NOEXEC)) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  mount_or_die(NULL, dst, NULL, flags, NULL);
}

static bool is_allowed_device(const char *src) {
  for (size_t i = 0; i < sizeof allowed_devices / sizeof allowed_devices[0]; i++)
    if (strcmp(src, allowed_devices[i]) == 0)
      return true;
  return false;
}

static void bind_one(const struct mount_spec *m) {
  char src[PATH_MAX], dst[PATH_MAX];
  path_join(src, sizeof src, OLDROOT, m->src);
  path_join(dst, sizeof dst, NEWROOT, m->dst);
  if (m->kind == MOUNT_DEV_BIND && !is_allowed_device(m->src))
    die("refusing --dev-bind of %s: only null, zero, full, random and urandom", m->src);
  struct stat st;
  if (stat(src, &st) < 0) {
    if (m->kind == MOUNT_RO_BIND_TRY && errno == ENOENT)
      return;
    die_errno("stat bind source %s", m->src);
  }
  if (m->kind == MOUNT_DEV_BIND && !S_ISCHR(st.st_mode))
    die("refusing --dev-bind of %s: not a character device", m->src);
  if (S_ISDIR(st.st_mode))
    make_dirs(dst);
  else
    make_file(dst, 0444);
  mount_or_die(src, dst, NULL, MS_BIND | MS_SILENT, NULL);
  /* devices stay writable (/dev/null must accept writes); everything else is read-only */
  bool device = m->kind == MOUNT_DEV_BIND;
  remount_bind(dst, !device, device);
}

static void make_symlink(const struct mount_spec *m) {
  char link[PATH_MAX];
  path_join(link, sizeof link, NEWROOT, m->dst);
  make_parent_dirs(link);
  if (symlink(m->src, link) < 0)
    die_errno("symlink %s -> %s", m->dst, m->src);
}

static void write_copy_in(const struct copy_in *c) {
  char path[PATH_MAX];
  path_join(path, sizeof path, NEWROOT, c->path);
  make_parent_dirs(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0444);
  if (fd < 0)
    die_errno("create %s", c->path);
  write_all(fd, c->data, c->len, c->path);
  if (close(fd) < 0)
    die_errno("close %s", c->path);
}

static void mount_proc(void) {
  make_dirs(NEWROOT "/proc");
  unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  /* subset=pid hides /proc/sys, /proc/kcore and the like (Linux >= 5.8); hidepid=invisible
   * hides processes of other users. Without subset support the PID namespace still hides
   * every host process, so fall back rather than refuse. */
  if (mount("proc", NEWROOT "/proc", "proc", flags, "hidepid=invisible,subset=pid") == 0)
    return;
  if (errno != EINVAL)
    die_errno("mount proc on /proc (hidepid=invisible,subset=pid)");
  mount_or_die("proc", NEWROOT "/proc", "proc", flags, "hidepid=2");
}

/* The job's writable places: /tmp and /dev/shm (POSIX semaphores and shared memory, which
 * Python's multiprocessing needs). noexec: a job must not bring its own binaries and run them.
 * One inode per KiB of size (at least 1024): empty files cost no size but kernel memory, which
 * without a memory cgroup nothing else would bound (a job making a million empty files). */
static void mount_scratch(const char *path, uint64_t size) {
  char options[96];
  uint64_t inodes = size / 1024 > 1024 ? size / 1024 : 1024;
  snprintf(options, sizeof options, "mode=1777,size=%llu,nr_inodes=%llu", (unsigned long long)size,
           (unsigned long long)inodes);
  make_dirs(path);
  mount_or_die("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options);
}

static void make_dev(void) {
  make_dirs(NEWROOT "/dev");
  static const char *const links[][2] = {
      {"/proc/self/fd", NEWROOT "/dev/fd"},
      {"/proc/self/fd/0", NEWROOT "/dev/stdin"},
      {"/proc/self/fd/1", NEWROOT "/dev/stdout"},
      {"/proc/self/fd/2", NEWROOT "/dev/stderr"},
  };
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlink(links[i][0], links[i][1]) < 0)
      die_errno("symlink %s -> %s", links[i][1], links[i][0]);
}

static void pivot_root_or_die(const char *new_root, const char *put_old) {
  if (syscall(SYS_pivot_root, new_root, put_old) < 0)
    die_errno("pivot_root %s %s", new_root, put_old);
}

void build_root(const struct config *cfg) {
  /* nothing done in here may propagate back to the host */
  mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE | MS_SILENT, NULL);

  /* a scratch root holding the new root and the old one side by side */
  mount_or_die("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k");
  if (chdir(BASE) < 0)
    die_errno("chdir %s", BASE);
  if (mkdir("." NEWROOT, 0755) < 0)
    die_errno("mkdir %s", NEWROOT);
  if (mkdir("." OLDROOT, 0755) < 0)
    die_errno("mkdir %s", OLDROOT);
  pivot_root_or_die(".", "." OLDROOT);
  if (chdir("/") < 0)
    die_errno("chdir / after first pivot_root");

  size_t code_bytes = 0;
  for (size_t i = 0; i < cfg->n_copies; i++)
    code_bytes += cfg->copies[i].len;
  char root_options[64];
  snprintf(root_options, sizeof root_options, "mode=0755,size=%zu", code_bytes + (1u << 20));
  mount_or_die("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, root_options);

  for (size_t i = 0; i < cfg->n_mounts; i++) {
    if (cfg->mounts[i].kind == MOUNT_SYMLINK)
      make_symlink(&cfg->mounts[i]);
    else
      bind_one(&cfg->mounts[i]);
  }
  make_dev();
  mount_scratch(NEWROOT "/tmp", cfg->tmp_size);
  mount_scratch(NEWROOT "/dev/shm", cfg->tmp_size);
  mount_proc();
  for (size_t i = 0; i < cfg->n_copies; i++)
    write_copy_in(&cfg->copies[i]);

  /* the host disappears */
  if (umount2(OLDROOT, MNT_DETACH) < 0)
    die_errno("umount2 %s", OLDROOT);
  if (chdir(NEWROOT) < 0)
    die_errno("chdir %s", NEWROOT);
  pivot_root_or_die(".", ".");
  if (umount2(".", MNT_DETACH) < 0)
    die_errno("umount2 the scratch root");
  if (chdir("/") < 0)
    die_errno("chdir / in the new root");

  mount_or_die(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_SILENT, NULL);
}
