package dev.sandq.executor.internal.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * One start of the launcher (executor-native/LAUNCHER.md), of one of three kinds: a sandbox
 * built for a job that is known ({@link FreshLaunch}, the only kind that may have the network),
 * one built before its job ({@link PrestartedLaunch}), and a prestarted one whose interpreter is
 * forked by a zygote ({@link ZygoteLaunch}, ZYGOTE.md).
 */
public sealed interface Launch permits FreshLaunch, PrestartedLaunch, ZygoteLaunch {

    /** What every kind is given. */
    LaunchSettings settings();

    /** The launcher's command line. */
    List<String> argv();

    /** Where the launcher writes its status line. */
    default Path statusFile() {
        return settings().statusFile();
    }
}
