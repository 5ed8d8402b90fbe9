package dev.sandq.executor;

/** How the launcher gets the rights to build a sandbox. */
public enum PrivilegeMode {
    /** Root when running as root, else user namespaces; refuses if neither works. */
    AUTO,
    /** The worker runs as root; each slot drops to its own uid/gid. */
    ROOT,
    /** The worker is unprivileged; the launcher uses a user namespace. */
    USERNS
}
