/* Fatal errors, as bubblewrap's die_with_error: every failure names the step that failed, and
 * nothing is ignored. In the launcher the message becomes the status line's setup_error (status.c);
 * in the sandbox's processes (init, the job, before its execve) it travels over the setup-error
 * pipe to the launcher; elsewhere it goes to stderr. */
#ifndef SANDQ_DIE_H
#define SANDQ_DIE_H

/* Exit with 1, the message naming the call and its object ("mount tmpfs on %s"); die_errno
 * appends strerror of the errno the call left. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt, ...);
/* Bad usage: the message and the usage on stderr, no status line, exit 2. */
__attribute__((noreturn, format(printf, 1, 2))) void die_usage(const char *fmt, ...);

/* Where a failure goes: a status line on fd (the launcher; -1: no longer), or the setup-error
 * pipe (a sandbox process; -1: stderr from now on). */
void die_set_status_fd(int fd);
void die_set_error_pipe(int fd);
int die_error_pipe(void);

#endif
