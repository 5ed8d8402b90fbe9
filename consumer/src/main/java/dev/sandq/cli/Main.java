package dev.sandq.cli;

import dev.sandq.executor.HostReport;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.SandboxUnavailableException;
import dev.sandq.executor.local.LocalSandbox;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code sandq} command line. Subcommands reach the host (sandbox, clock, environment,
 * standard input) through this object, so tests can run them against fakes.
 *
 * <p>The production commands are listed here; the development commands ({@code up},
 * {@code bench}, ...) come from a {@link CommandProvider} found on the class path at run time
 * (sandq-devkit's, which the {@code sandq} script puts there). Where none provides them, each is
 * a hidden stand-in that says it is not in this distribution and what to use instead (exit 2).
 */
@Command(
        name = "sandq",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs untrusted Python 3 and Node.js jobs in sandboxes, fed from Kafka.",
        footer = {
            "",
            "Every option --some-name can also be set with the environment variable SANDQ_SOME_NAME; "
                    + "a flag on the command line wins.",
            "Exit codes: 0 done, 1 internal failure, 2 bad usage, 3 the sandbox cannot work on this host."
        },
        subcommands = {
            ExecCommand.class,
            PolicyCommand.class,
            DoctorCommand.class,
            WorkerCommand.class,
            SubmitCommand.class,
            BatchCommand.class,
            TopicsCommand.class,
            GatewayCommand.class,
            DepsCommand.class,
        })
public final class Main implements Runnable {

    /**
     * The development commands (sandq-devkit's), each with what to use where it is absent. Only
     * their names are known here; the commands themselves come from a {@link CommandProvider}.
     */
    static final Map<String, String> DEVELOPMENT_COMMANDS = developmentCommands();

    private static Map<String, String> developmentCommands() {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("up", "use `sandq worker --bootstrap-servers HOST:PORT` with a Kafka cluster of your own");
        for (String bench : List.of("bench", "bench-sandbox", "bench-gateway", "bench-kafka")) {
            commands.put(bench, "run it from a source checkout of sandq: ./sandq " + bench);
        }
        return java.util.Collections.unmodifiableMap(commands);
    }

    /** Builds a sandbox for a configuration; {@link LocalSandbox#create} in production. */
    @FunctionalInterface
    public interface SandboxFactory {
        Sandbox create(SandboxConfig config) throws SandboxUnavailableException;
    }

    @Spec
    CommandSpec spec;

    private final SandboxFactory sandboxes;
    private final Function<SandboxConfig, HostReport> hostProbe;
    private final Clock clock;
    private final Map<String, String> environment;
    private final InputStream stdin;

    public Main(SandboxFactory sandboxes, Function<SandboxConfig, HostReport> hostProbe, Clock clock,
                Map<String, String> environment, InputStream stdin) {
        this.sandboxes = Objects.requireNonNull(sandboxes, "sandboxes");
        this.hostProbe = Objects.requireNonNull(hostProbe, "hostProbe");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.environment = Map.copyOf(environment);
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /** The real host: the local sandbox, the system clock, this process's environment and stdin. */
    public static Main forHost() {
        return new Main(LocalSandbox::create, LocalSandbox::probeHost, Clock.systemUTC(), System.getenv(), System.in);
    }

    public static void main(String[] args) {
        PrintWriter out = utf8Writer(FileDescriptor.out);
        PrintWriter err = utf8Writer(FileDescriptor.err);
        int code = commandLine(forHost(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The command providers on this class path (sandq-devkit's, when it is there). */
    public static List<CommandProvider> installedProviders() {
        return ServiceLoader.load(CommandProvider.class, Main.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /**
     * The configured command line, with the commands of the {@linkplain #installedProviders()
     * providers on the class path}: UTF-8 output, environment defaults, short usage errors (exit 2),
     * {@link SandboxUnavailableException} mapped to exit 3 with its message.
     */
    public static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err) {
        return commandLine(main, out, err, installedProviders());
    }

    /** {@link #commandLine(Main, PrintWriter, PrintWriter)} with these providers instead of the class path's. */
    public static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err,
                                          List<CommandProvider> providers) {
        CommandLine cli = new CommandLine(main);
        for (CommandProvider provider : providers) {
            provider.commands().forEach(cli::addSubcommand);
        }
        DEVELOPMENT_COMMANDS.forEach((name, instead) -> {
            if (!cli.getSubcommands().containsKey(name)) {
                cli.addSubcommand(name, AbsentCommand.spec(name, instead));
            }
        });
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(out);
        cli.setErr(err);
        // Set after every subcommand is registered: picocli copies it down the tree now.
        cli.setDefaultValueProvider(new EnvironmentDefaults(main.environment));
        giveVersionToEveryCommand(cli);
        cli.setParameterExceptionHandler(Main::handleUsageError);
        cli.setExecutionExceptionHandler(Main::handleExecutionError);
        return cli;
    }

    /** So that {@code --version} works on every subcommand, including those added later in the list. */
    private static void giveVersionToEveryCommand(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.versionProvider() == null && spec.version().length == 0) {
            spec.versionProvider(new Version());
        }
        cli.getSubcommands().values().forEach(Main::giveVersionToEveryCommand);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** How commands build their sandbox (a fake in tests). */
    public SandboxFactory sandboxes() {
        return sandboxes;
    }

    HostReport probeHost(SandboxConfig config) {
        return hostProbe.apply(config);
    }

    Clock clock() {
        return clock;
    }

    InputStream stdin() {
        return stdin;
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        if (cmd.getCommandSpec().userObject() instanceof AbsentCommand absent) {
            return absent.call(); // `sandq up --port 1` says the same as `sandq up`
        }
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int handleExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof SandboxUnavailableException) {
            err.println("sandq: the sandbox cannot run on this host: " + e.getMessage());
            err.flush();
            return ExitCodes.UNAVAILABLE;
        }
        err.println("sandq: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.SOFTWARE;
    }

    private static PrintWriter utf8Writer(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }

    /** The version from the jar's manifest (set by the Maven build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sandq " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch")};
        }
    }
}
