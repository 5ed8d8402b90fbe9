/*
 * sandq-launcher: runs one job in a fresh sandbox and reports how it ended.
 *
 * Theory of operation
 * -------------------
 * Three processes (four with the network), each with one job:
 *
 *   launcher (the caller's uid; root, or any user with --userns)
 *     Parses the options (options.c), reads the seccomp program and the copy-in files, and clones
 *     "init" into new mount, PID, IPC, UTS, cgroup and network namespaces (never the host's
 *     network), plus a user namespace with --userns, whose id maps it writes. It lets init build
 *     the root, and meanwhile creates the job's cgroup and attaches init to it; then it lets init
 *     start the job (two go-aheads on the sync pipe). From then on it only supervises
 *     (supervise.c): wall-clock deadline, job-wide CPU time (cgroup), SIGTERM from the caller.
 *     Any of those kills init, which takes the whole PID namespace down. Once init is reaped it
 *     collects the cgroup's counters and writes ONE JSON line on the status fd (status.c). Then it
 *     lets go of the caller's pipes, whose end of file tells the caller the job is over, and only
 *     then removes the cgroup and drops the job's mount namespace (which it has held open since
 *     the clone, so that init's exit does not tear it down first): the clean-up no longer delays
 *     the job's result. A failure during the clean-up is appended to the status file.
 *
 *   init (PID 1 of the new PID namespace, still privileged inside its namespaces)
 *     Dies with the launcher (PR_SET_PDEATHSIG). Starts a new session, sets the hostname,
 *     builds the new root (mounts.c), with --egress-socket starts the egress relay (egress.c),
 *     and once it is in the job's cgroup, forks the job. It reaps every orphan, and when the
 *     job's main process ends it sends its wait status and rusage to the launcher over the
 *     report pipe and exits: the kernel then kills whatever the job left behind (a daemonised
 *     grandchild cannot outlive it). With --files-out it kills and reaps that rest itself first,
 *     and adds to its report whether the output directory may hold files.
 *
 *   job (the user's program)
 *     New session (no controlling terminal), rlimits, drops to the slot's uid/gid with no
 *     groups and no capabilities (read back), PR_SET_NO_NEW_PRIVS, every fd above 2 marked
 *     close-on-exec, the seccomp filter last, then execve of the interpreter with the empty
 *     environment plus the --env variables.
 *
 *   relay (only with --egress-socket; egress.c)
 *     Forked by init before the job, as the job's uid without capabilities: joins each TCP
 *     connection to 127.0.0.1:3128 in the job's own network namespace to the worker's egress
 *     proxy socket (bound at /run/sandq/egress.sock). Dies with the namespace, like the job.
 *
 *   collector (only with --files-out; outputs.c)
 *     Forked by the launcher once init is reaped (the PID namespace is then empty: nothing of the
 *     job runs), before the status line, unless init, having killed and reaped the rest of the job,
 *     reported the output directory empty: enters the job's mount namespace (and user namespace),
 *     drops to the job's uid and copies the regular files of the output directory to the
 *     files-out file, never following a link, within the count and byte limits.
 *
 * The checklist
 *   run_sandbox() below is the sandbox's side from the clone to the exec, in the order of
 *   nsjail's containProc() and isolate's box_inside(), one line per step, each step a function
 *   in the file of its concern, each failure fatal with a message naming the step:
 *   namespaces (namespaces.c) -> mounts and the new root (mounts.c) -> cgroup (cgroups.c, set
 *   up by the launcher meanwhile) and rlimits (limits.c) -> credentials (credentials.c) ->
 *   no new privileges -> seccomp, last (seccomp.c) -> exec. launch() is the launcher's side
 *   around it, and the only function that knows all the files.
 *
 * In a zygote's child (ZYGOTE.md; zygote_stub.c, zygote_child.c, zygote_serve.c) the same three
 * processes are forks of a warm Python interpreter: the launcher is the zygote's child, which
 * parses the options and calls launch() with a struct launch_caller saying so, and the job does
 * not execve but returns, confined, to the interpreter, which runs the program. This file does
 * not call into the zygote's files but to start one (--zygote-serve: zygote_serve).
 *
 * Pipes and fds
 *   fd 0/1/2       the caller's pipes, inherited by the job as they are (the launcher itself never
 *                  writes to them, except usage errors before anything ran). Once the status line
 *                  is written, the launcher puts /dev/null and the status file in their place.
 *   status file    launcher -> caller: the JSON status line (opened close-on-exec: never in the sandbox),
 *                  then, as the launcher's stderr, any failure of the clean-up after it.
 *   sync pipe      launcher -> init: one byte once the id maps are in place (init builds the root),
 *                  a second once init is in the job's cgroup (init forks the job): CGROUP_READY, or
 *                  RLIMITS_ONLY when no cgroup limits the job and the rlimits must. Init closes its
 *                  end before it forks the job; the launcher keeps its own open while it supervises,
 *                  to see when (the status line's ready_ns).
 *   report pipe    init -> launcher: the job's wait status and rusage (its arrival: exited_ns).
 *   error pipe     init/job -> launcher: the message of a setup failure before execve (close-on-
 *                  exec, so a successful execve closes it: its end of file without a message is
 *                  the status line's started_ns). A message here means the sandbox
 *                  failed, not the program: it becomes the status line's setup_error.
 *   start pipe     only with --prestart; job -> launcher, the job's fd 3: the program (already
 *                  running, waiting for its work) writes one byte on it when the job starts.
 *                  Only then do the wall-clock and CPU limits start counting (and started_ns).
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "credentials.h"
#include "die.h"
#include "egress.h"
#include "io.h"
#include "limits.h"
#include "mounts.h"
#include "namespaces.h"
#include "options.h"
#include "outputs.h"
#include "process_name.h"
#include "seccomp.h"
#include "signals.h"
#include "status.h"
#include "supervise.h"
#include "zygote.h"

/* --prestart: the job's end of the start pipe, where the program signals its start. */
#define START_FD 3

struct pipes {
  int sync_r, sync_w;
  int report_r, report_w;
  int error_r, error_w;
  int start_r, start_w; /* -1 without --prestart */
};

static void make_pipe(int *r, int *w, const char *name) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    die_errno("pipe2 for the %s pipe", name);
  *r = fds[0];
  *w = fds[1];
}

static void close_or_die(int fd, const char *what) {
  if (close(fd) < 0)
    die_errno("close %s", what);
}

static void unblock_all_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
    die_errno("sigprocmask to unblock signals");
}

/* In a zygote's child: nothing is exec'ed, so the fds above the job's are closed, not marked. The
 * setup error pipe stays open until the seccomp filter is in place. */
static void close_fds_but_error_pipe(unsigned int first) {
  unsigned int error_fd = (unsigned int)die_error_pipe();
  if (error_fd < first)
    die("the setup error pipe (fd %u) is below the fds to close (from %u)", error_fd, first);
  if (error_fd > first && syscall(SYS_close_range, first, error_fd - 1, 0u) < 0)
    die_errno("close_range(%u, %u)", first, error_fd - 1);
  if (syscall(SYS_close_range, error_fd + 1, ~0u, 0u) < 0)
    die_errno("close_range(%u, ~0)", error_fd + 1);
}

static void mark_fds_close_on_exec(void) {
  if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  if (errno != ENOSYS && errno != EINVAL)
    die_errno("close_range(3, ~0, CLOSE_RANGE_CLOEXEC)");
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
    die_errno("getrlimit RLIMIT_NOFILE");
  for (int fd = 3; fd < (int)rl.rlim_cur; fd++)
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
      die_errno("fcntl FD_CLOEXEC on fd %d", fd);
}

/* --prestart: the write end of the start pipe becomes the job's fd START_FD, the one fd above 2
 * that survives execve. The setup error pipe moves out of its way first. */
static void place_start_fd(const struct pipes *p) {
  if (p->error_w == START_FD) {
    int moved = fcntl(p->error_w, F_DUPFD_CLOEXEC, START_FD + 1);
    if (moved < 0)
      die_errno("move the setup error pipe above fd %d", START_FD);
    die_set_error_pipe(moved);
  }
  if (p->start_w == START_FD) {
    if (fcntl(START_FD, F_SETFD, 0) < 0)
      die_errno("clear close-on-exec on the start pipe (fd %d)", START_FD);
  } else if (dup2(p->start_w, START_FD) < 0) {
    die_errno("dup2 the start pipe to fd %d", START_FD);
  }
}

/* In a zygote's child: what a successful execve of the (not set-uid) interpreter would do. Changing
 * uid without one left the job undumpable: its /proc/self files root's, its environ unreadable to
 * itself. */
static void make_dumpable_as_after_execve(void) {
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_DUMPABLE");
}

/* The job keeps fds 0-2, and with --prestart the start pipe as START_FD; nothing else of
 * init's survives its execve. In a zygote's child nothing is exec'ed, so the rest is closed
 * instead, but the setup error pipe, until the seccomp filter is in place. */
static void keep_only_the_jobs_fds(const struct config *cfg, bool in_process, const struct pipes *p) {
  if (in_process) {
    if (cfg->prestart)
      place_start_fd(p);
    close_fds_but_error_pipe(cfg->prestart ? START_FD + 1 : 3);
    return;
  }
  mark_fds_close_on_exec();
  if (cfg->prestart)
    place_start_fd(p);
}

/* The second go-ahead's byte: whether a cgroup limits the job's memory and processes. */
#define CGROUP_READY 'c'
#define RLIMITS_ONLY 'r'

/* Init waits for the launcher's go-ahead, and dies if the launcher went away instead. */
static char await_go_ahead(int sync_r, const char *what) {
  char go;
  ssize_t n;
  do {
    n = read(sync_r, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1)
    die("the launcher went away before %s", what);
  return go;
}

/* The clone's child becomes init: its failures go to the launcher over the error pipe, it dies
 * with the launcher, holds only its ends of the pipes, and waits until the launcher has written
 * the id maps. */
static void become_init(const struct config *cfg, const struct pipes *p) {
  die_set_error_pipe(p->error_w);
  name_process("sandq-init");
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_PDEATHSIG");
  close_or_die(p->sync_w, "sync pipe (write end) in init");
  close_or_die(p->report_r, "report pipe (read end) in init");
  close_or_die(p->error_r, "error pipe (read end) in init");
  if (cfg->prestart)
    close_or_die(p->start_r, "start pipe (read end) in init");
  await_go_ahead(p->sync_r, "letting init build the root");
  unblock_all_signals();
  if (setsid() < 0)
    die_errno("setsid in init");
}

/* Init, with --files-out, once the job's main process has ended: ends every other process of the
 * job (as init's own exit would) and reaps them, so that nothing can change the output directory
 * any more, then looks whether it may hold files. Without that, the launcher forks a collector
 * after every job, a copy of the whole launcher (in a zygote's child, of the warm interpreter),
 * only to find it empty. A failure leaves the collector to look. */
static bool end_the_rest_and_look_for_outputs(const struct config *cfg) {
  if (kill(-1, SIGKILL) < 0 && errno != ESRCH)
    return true;
  for (;;) {
    pid_t r = wait4(-1, NULL, 0, NULL);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      break; /* ECHILD: nothing of the job is left */
  }
  return output_dir_may_have_files(cfg->output_dir);
}

/* Init, once the job is forked: reaps every orphan until the job's main process ends, reports
 * its end to the launcher and exits, which ends the PID namespace and all left in it. */
static __attribute__((noreturn)) void reap_until_the_job_ends(const struct config *cfg, pid_t job,
                                                             const struct pipes *p) {
  /* Only the job holds the error pipe now; its execve closes it. */
  close_or_die(p->error_w, "error pipe (write end) in init");
  /* ... and the start pipe: once the job is gone the launcher's end sees end of file. */
  if (cfg->prestart)
    close_or_die(p->start_w, "start pipe (write end) in init");
  for (;;) {
    int status;
    struct rusage usage;
    pid_t r = wait4(-1, &status, 0, &usage);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      _exit(125); /* ECHILD before the job was seen: cannot happen; the launcher reports no job status */
    }
    if (r == job) {
      struct job_report report = {.wait_status = status, .usage = usage, .outputs_may_exist = 1};
      if (cfg->files_out_fd >= 0)
        report.outputs_may_exist = end_the_rest_and_look_for_outputs(cfg);
      ssize_t w = write(p->report_w, &report, sizeof report);
      _exit(w == (ssize_t)sizeof report ? 0 : 124);
    }
  }
}

/* The sandbox's side, in the clone's child (init, then the job it forks): the checklist. Returns
 * only in the job of a zygote's child (in_process), confined, where the program (already running:
 * the zygote's interpreter) continues it; init and an exec'ed job never return. */
static void run_sandbox(const struct config *cfg, const struct launch_caller *caller,
                        const struct bpf_program_bytes *prog, const struct pipes *p) {
  bool in_process = caller->in_process;
  /* 1. Namespaces: clone_into_namespaces made this process PID 1 of new ones. */
  become_init(cfg, p);
  set_hostname(cfg->hostname);
  /* 2. Mounts and the new root. */
  build_root(cfg);
  /* 3. The cgroup: the launcher has put init in it, or there is none and rlimits must do. */
  bool in_cgroup = await_go_ahead(p->sync_r, "putting init in the job's cgroup") == CGROUP_READY;
  close_or_die(p->sync_r, "sync pipe (read end) in init");
  /* 2b. The network the job may have: its relay is forked once init is in the cgroup, so that it
   * is in the job's cgroup too (counted, limited and killed with the job, and found by its name). */
  if (cfg->egress_socket != NULL)
    egress_start(cfg);
  pid_t job = fork();
  if (job < 0)
    die_errno("fork the job");
  if (job > 0)
    reap_until_the_job_ends(cfg, job, p);

  /* The job, from here on. */
  if (setsid() < 0)
    die_errno("setsid for the job");
  umask(022);
  /* 3. ... and the rlimits. */
  apply_rlimits(cfg, in_cgroup && cfg->memory_bytes > 0, in_cgroup);
  /* 4. Credentials: no groups, the slot's uid and gid, no capabilities, all read back. */
  drop_privileges(cfg);
  /* 5. No new privileges, ever. */
  forbid_new_privileges();
  if (chdir(cfg->cwd) < 0)
    die_errno("chdir %s", cfg->cwd);
  make_output_dir(cfg);
  if (in_process) {
    make_dumpable_as_after_execve();
    name_process(caller->job_name);
  }
  keep_only_the_jobs_fds(cfg, in_process, p);
  /* 6. Seccomp, last. */
  install_seccomp(prog);
  /* 7. Exec; in a zygote's child the interpreter continues instead. */
  if (in_process) {
    /* What a successful execve does to the close-on-exec error pipe: no setup error. */
    close_or_die(die_error_pipe(), "the setup error pipe in the job");
    return;
  }
  execve(cfg->argv[0], cfg->argv, cfg->env);
  die_errno("execve %s", cfg->argv[0]);
}

/* State the launcher must undo if it dies after creating it. */
static pid_t g_launcher_pid = -1;
static pid_t g_init_pid = -1;
static struct cgroup g_cgroup = {.mode = CGROUP_NONE};

static void cleanup_on_exit(void) {
  /* Inherited by init and the job; in a zygote's child the job's program exits through it. */
  if (getpid() != g_launcher_pid)
    return;
  if (g_init_pid > 0) {
    kill(g_init_pid, SIGKILL);
    waitpid(g_init_pid, NULL, 0);
    g_init_pid = -1;
  }
  if (g_cgroup.mode != CGROUP_NONE) {
    struct cgroup cg = g_cgroup;
    g_cgroup.mode = CGROUP_NONE; /* cgroup_destroy may die(): never recurse */
    cgroup_destroy(&cg);
  }
}

static void read_copy_ins(struct config *cfg) {
  for (size_t i = 0; i < cfg->n_copies; i++) {
    read_all_fd(cfg->copy_fds[i], &cfg->copies[i].data, &cfg->copies[i].len, cfg->copies[i].path);
    close_or_die(cfg->copy_fds[i], "copy-in fd");
  }
}

/* A setup error from inside the sandbox, if any (read after every writer has gone). */
static char *read_setup_error(int error_r) {
  char *message;
  size_t len;
  read_all_fd(error_r, &message, &len, "the setup error pipe");
  if (len == 0) {
    free(message);
    return NULL;
  }
  char *terminated = realloc(message, len + 1);
  if (terminated == NULL)
    die("out of memory reading the setup error");
  terminated[len] = '\0';
  return terminated;
}

/* False when init is gone (EPIPE). That is not an error of its own: init failed a step of its
 * setup, and the supervision reaps it and reports that step from the setup error pipe. */
static bool give_go_ahead(int sync_w, char go) {
  ssize_t n;
  do {
    n = write(sync_w, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno != EPIPE)
    die_errno("write the sync pipe");
  return n == 1;
}

/* The status line is written and every process of the job is gone: the caller has all it needs.
 * The launcher lets go of the caller's pipes, so that their end of file reaches the caller now,
 * not after the clean-up. From here on die() can no longer make a status line: its message goes
 * to stderr, which is now the status file, after the status line. */
static void release_caller(int status_fd) {
  die_set_status_fd(-1);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0)
    die_errno("open /dev/null to release the caller's pipes");
  if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
    die_errno("dup2 /dev/null over stdin and stdout");
  if (dup2(status_fd, STDERR_FILENO) < 0)
    die_errno("dup2 the status file over stderr");
  close_or_die(null_fd, "/dev/null");
  close_or_die(status_fd, "the status file");
}

/* The caller reads the result now, woken by the end of file of its pipes, often on this CPU: the
 * clean-up that follows (the cgroup removed, the mount namespace dropped, this process's exit)
 * goes at the lowest priority, so that the worker's threads take the CPU from it at once rather
 * than wait for it to finish. It is off the job's critical path; at nice 19 it still gets its
 * share of a busy CPU (weight 15 of 1024), never none. */
static void yield_to_the_caller(void) {
  if (setpriority(PRIO_PROCESS, 0, 19) != 0)
    die_errno("setpriority(nice 19) for the clean-up after the status line");
}

int launcher_main(int argc, char **argv) {
  static struct config cfg; /* lives as long as the process, as launch() requires */
  parse_options(argc, argv, &cfg);
  die_set_status_fd(cfg.status_fd);
  struct launch_caller caller = {.in_process = false, .pid = getpid(), .hangup_fd = -1};
  return launch(&cfg, &caller);
}

/* The launcher's side: everything read before the clone, then the cgroup while init builds the
 * root, the supervision, the status line, and the clean-up after it. */
int launch(struct config *cfg, const struct launch_caller *caller) {
  g_launcher_pid = getpid();
  if (atexit(cleanup_on_exit) != 0)
    die("atexit");
  if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
    die_errno("ignore SIGPIPE");

  struct bpf_program_bytes prog;
  load_seccomp_program(cfg->seccomp_fd, &prog);
  read_copy_ins(cfg);
  if (cfg->zygote_socket != NULL)
    zygote_serve(cfg);
  static const int supervised[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
  int signal_fd = block_to_signalfd(supervised, 4, "SIGCHLD/SIGTERM/SIGINT/SIGHUP");

  struct pipes p;
  make_pipe(&p.sync_r, &p.sync_w, "sync");
  make_pipe(&p.report_r, &p.report_w, "report");
  make_pipe(&p.error_r, &p.error_w, "setup error");
  p.start_r = p.start_w = -1;
  if (cfg->prestart)
    make_pipe(&p.start_r, &p.start_w, "start");

  /* 1. Namespaces: init is cloned into them and runs the checklist. */
  pid_t init_pid = clone_into_namespaces(namespace_clone_flags(cfg));
  if (init_pid == 0) {
    run_sandbox(cfg, caller, &prog, &p);
    return LAUNCHER_JOB_CONTINUES; /* only in a zygote's child: this is the job */
  }
  g_init_pid = init_pid;
  int mount_ns = hold_mount_namespace(init_pid);
  int user_ns = cfg->files_out_fd >= 0 && cfg->userns ? hold_user_namespace(init_pid) : -1;
  close_or_die(p.sync_r, "sync pipe (read end)");
  close_or_die(p.report_w, "report pipe (write end)");
  close_or_die(p.error_w, "error pipe (write end)");
  if (cfg->prestart)
    close_or_die(p.start_w, "start pipe (write end)");

  if (cfg->userns)
    write_id_maps(init_pid, getuid(), getgid());
  if (give_go_ahead(p.sync_w, 'x')) {
    /* 3. While init builds the root (on another CPU, if there is one), the job's cgroup. */
    cgroup_create(cfg, caller->pid, &g_cgroup);
    cgroup_attach(&g_cgroup, init_pid);
    give_go_ahead(p.sync_w, cgroup_limits_job(&g_cgroup) ? CGROUP_READY : RLIMITS_ONLY);
  }

  /* The job runs: supervision until init is reaped, then the one status line. */
  struct job_status result;
  supervise(cfg, init_pid, p.report_r, signal_fd, p.start_r, caller->hangup_fd, p.sync_w, p.error_r, &g_cgroup,
            &result);
  close_or_die(p.sync_w, "sync pipe (write end)");
  g_init_pid = -1; /* reaped */
  char *setup_error = read_setup_error(p.error_r);
  /* Every process of the job is gone (init, PID 1, is reaped): its output files stay as they are. */
  if (cfg->files_out_fd >= 0 && setup_error == NULL)
    collect_outputs(cfg, mount_ns, user_ns, result.outputs_may_exist);
  if (user_ns >= 0)
    close_or_die(user_ns, "the job's user namespace");
  write_status(cfg->status_fd, &result, cgroup_mode_name(&g_cgroup), setup_error);
  release_caller(cfg->status_fd);
  yield_to_the_caller();

  /* The clean-up, after the caller has its result. */
  struct cgroup cg = g_cgroup;
  g_cgroup.mode = CGROUP_NONE;
  cgroup_destroy(&cg);
  close_or_die(mount_ns, "the job's mount namespace");
  return setup_error == NULL ? 0 : 1;
}
