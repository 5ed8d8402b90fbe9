package dev.sandq.cli;

import dev.sandq.executor.Language;
import dev.sandq.executor.seccomp.SeccompPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sandq policy}: the seccomp policies. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Inspects the seccomp policies.",
        subcommands = PolicyCommand.Show.class)
final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** {@code sandq policy show LANGUAGE}: the effective policy in readable form. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints the effective seccomp policy of a language: the default allowlist "
                    + "plus what the network and --extra-syscall add.")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LANGUAGE", converter = Languages.Converter.class,
                completionCandidates = Languages.Names.class, description = "python3 or nodejs.")
        Language language;

        @Option(names = "--network", description = "Include the syscalls allowed when the job has the network.")
        boolean network;

        @Option(names = "--extra-syscall", paramLabel = "[LANG:]NAME", split = ",",
                description = "A syscall the operator adds (as the sandbox's --extra-syscall; entries for "
                        + "another language are ignored). Repeatable.")
        List<String> extraSyscalls = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> extra;
            try {
                extra = SandboxOptions.parseExtraSyscalls(extraSyscalls).getOrDefault(language, List.of());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            spec.commandLine().getOut().println(SeccompPolicies.load(language, network, extra).describe());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
