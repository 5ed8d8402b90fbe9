package dev.sandq.executor.internal.warm;

import dev.sandq.executor.Language;
import dev.sandq.executor.SandboxLimits;

/**
 * What a prestarted sandbox is built for: the language, every limit, whether it has the network,
 * and the operator's packages as they were installed then.
 *
 * @param packagesTree the real path of the language's installed packages (the generation the
 *                     {@code current} symlink named) bound into the sandbox; empty when none
 * @param network      whether it is for jobs with the network (through the egress proxy)
 */
public record PrestartKey(Language language, SandboxLimits limits, String packagesTree, boolean network) {
}
