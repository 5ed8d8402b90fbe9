package dev.sandq.executor.internal.warm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A sandbox started before its job: the launcher has built it and its interpreter is running
 * the prestart bootstrap, waiting on stdin for the job's code. No limit counts yet.
 *
 * @param process    the launcher
 * @param statusFile where the launcher writes its status line
 * @param codeFile   where the job's code file is to be written on the host (visible in the sandbox)
 * @param filesOut   where the launcher copies the job's output files, when it does
 */
record Prestarted(Process process, Path statusFile, Path codeFile, Optional<Path> filesOut) {
}
