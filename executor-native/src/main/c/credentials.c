/* Dropping privileges: no groups, the slot's uid/gid (or the user namespace's 1000), no
 * capabilities in any set, and every change read back, as bubblewrap does; then no new
 * privileges. */
#include "credentials.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "die.h"
#include "options.h"

static int last_capability(void) {
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
  int last = -1;
  if (f != NULL) {
    if (fscanf(f, "%d", &last) != 1)
      last = -1;
    fclose(f);
  }
  return last >= 0 ? last : CAP_LAST_CAP;
}

static void drop_bounding_and_ambient(void) {
  int last = last_capability();
  for (int cap = 0; cap <= last; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      die_errno("prctl PR_CAPBSET_DROP %d", cap);
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    die_errno("prctl PR_CAP_AMBIENT_CLEAR_ALL");
}

static void clear_capabilities(void) {
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2] = {{0}};
  if (syscall(SYS_capset, &header, data) < 0)
    die_errno("capset to no capabilities");
  struct __user_cap_data_struct check[2] = {{0}};
  if (syscall(SYS_capget, &header, check) < 0)
    die_errno("capget");
  for (int i = 0; i < 2; i++)
    if (check[i].effective != 0 || check[i].permitted != 0 || check[i].inheritable != 0)
      die("capabilities still held after capset (word %d: eff %x perm %x inh %x)", i, check[i].effective,
          check[i].permitted, check[i].inheritable);
}

void drop_privileges(const struct config *cfg) {
  uid_t uid = cfg->userns ? SANDBOX_UID : cfg->uid;
  gid_t gid = cfg->userns ? SANDBOX_GID : cfg->gid;

  drop_bounding_and_ambient(); /* needs CAP_SETPCAP, so before the uid changes */
  if (!cfg->userns && setgroups(0, NULL) < 0)
    die_errno("setgroups to none");
  /* In a user namespace setgroups is denied and no supplementary group is mapped. */
  if (setresgid(gid, gid, gid) < 0)
    die_errno("setresgid %u", (unsigned)gid);
  if (setresuid(uid, uid, uid) < 0)
    die_errno("setresuid %u", (unsigned)uid);
  clear_capabilities();

  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
    die_errno("getresuid/getresgid");
  if (ruid != uid || euid != uid || suid != uid || rgid != gid || egid != gid || sgid != gid)
    die("credentials not dropped: uid %u/%u/%u gid %u/%u/%u, wanted %u/%u", ruid, euid, suid, rgid, egid, sgid,
        (unsigned)uid, (unsigned)gid);
  if (getgroups(0, NULL) > 0 && !cfg->userns)
    die("supplementary groups still present");
  if (setresuid(0, 0, 0) == 0)
    die("regained uid 0 after dropping privileges");
}

void forbid_new_privileges(void) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    die_errno("prctl PR_SET_NO_NEW_PRIVS");
}
