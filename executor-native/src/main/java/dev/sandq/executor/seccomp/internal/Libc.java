package dev.sandq.executor.seccomp.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** memfd_create and close, so that libseccomp can export into memory instead of a file. */
interface Libc extends Library {
    int MFD_CLOEXEC = 1;

    Libc INSTANCE = Native.load("c", Libc.class);

    int memfd_create(String name, int flags);

    int close(int fd);
}
