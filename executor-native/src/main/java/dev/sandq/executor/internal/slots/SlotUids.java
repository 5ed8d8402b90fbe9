package dev.sandq.executor.internal.slots;

import dev.sandq.executor.PrivilegeMode;

/**
 * The uid (and gid) each slot's jobs run as: in root mode slot i's own, {@code firstSlotUid + i},
 * so that two jobs never share one; in user-namespace mode 1000, the uid the launcher maps the
 * worker's to inside the job's namespace.
 */
public record SlotUids(PrivilegeMode mode, int firstSlotUid) {

    public SlotUids {
        if (mode == PrivilegeMode.AUTO) {
            throw new IllegalArgumentException("slot uids need a resolved privilege mode, got AUTO");
        }
    }

    public int of(int slot) {
        return mode == PrivilegeMode.USERNS ? 1000 : firstSlotUid + slot;
    }
}
