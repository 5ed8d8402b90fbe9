package dev.sandq.executor.internal.warm;

import java.nio.file.Path;

/**
 * A sandbox started before its job: the launcher has built it and its interpreter is running
 * the prestart bootstrap, waiting on stdin for the job's code. No limit counts yet.
 *
 * @param process    the launcher
 * @param statusFile where the launcher writes its status line
 * @param codeFile   where the job's code file is to be written on the host (visible in the sandbox)
 */
record Prestarted(Process process, Path statusFile, Path codeFile) {
}
