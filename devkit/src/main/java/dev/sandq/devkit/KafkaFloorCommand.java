package dev.sandq.devkit;

import dev.sandq.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `sandq bench-kafka`: {@link KafkaFloor} in the order consumer group, share group, share group,
 * consumer group (so that a drift of the machine weighs on both alike), then what the share
 * group costs the broker more per record.
 */
@Command(name = "bench-kafka", mixinStandardHelpOptions = true,
        description = "Measure what Kafka alone costs per job, without a worker: one record at a time produced, "
                + "consumed, answered and marked done, by a consumer group (committing every 200 ms, as "
                + "at-least-once mode) and by a share group (each record acknowledged, as queue mode), in the "
                + "order group, share, share, group; prints the broker's CPU per record of each.")
final class KafkaFloorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Not the KafkaOptions mixin: its topic names mean nothing here (each round has topics of its own).
    @Option(names = "--bootstrap-servers", defaultValue = "${env:SANDQ_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env SANDQ_BOOTSTRAP_SERVERS; default 127.0.0.1:9092, where "
                    + "`sandq up` starts its broker).")
    String bootstrapServers;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka client property, passed to every client unchanged (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--records", defaultValue = "2000", paramLabel = "N",
            description = "Measured records per round (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--warm-up", defaultValue = "300", paramLabel = "N",
            description = "Unmeasured records before each round (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "P",
            description = "Partitions of each round's jobs topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--broker-pid", paramLabel = "PID",
            description = "The broker's process, whose CPU is measured (default: the one listening on the first "
                    + "bootstrap server's port, when it runs on this host).")
    Long brokerPid;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || warmUp < 0 || partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records and --partitions must be >= 1 and "
                    + "--warm-up >= 0, got " + records + ", " + partitions + " and " + warmUp);
        }
        PrintWriter out = spec.commandLine().getOut();
        OptionalLong broker = brokerPid != null ? OptionalLong.of(brokerPid) : localBroker();
        out.println("broker: " + (broker.isPresent() ? "pid " + broker.getAsLong() : "not on this host (its CPU is not "
                + "measured; give --broker-pid)"));
        Map<String, Object> clients = new LinkedHashMap<>(kafkaProperties);
        clients.put("bootstrap.servers", bootstrapServers);
        KafkaFloor floor = new KafkaFloor(clients, broker, partitions, CpuAccounting.msPerTick());
        List<KafkaFloor.Round> rounds = new ArrayList<>();
        for (KafkaFloor.Kind kind : List.of(KafkaFloor.Kind.GROUP, KafkaFloor.Kind.SHARE, KafkaFloor.Kind.SHARE,
                KafkaFloor.Kind.GROUP)) {
            KafkaFloor.Round round;
            try {
                round = floor.run(kind, warmUp, records);
            } catch (ExecutionException | TimeoutException e) {
                spec.commandLine().getErr().println("sandq bench-kafka: the " + kind.label + " round failed against "
                        + bootstrapServers + " (" + (e instanceof TimeoutException ? "no answer from the cluster "
                        + "within " + KafkaFloor.ADMIN_TIMEOUT_SECONDS + " s" : e.getCause()) + ")");
                return ExitCodes.SOFTWARE;
            }
            rounds.add(round);
            out.println(line(round));
            out.flush();
        }
        out.println(summary(rounds));
        return ExitCodes.OK;
    }

    private OptionalLong localBroker() {
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        try {
            return WorkerProcess.listeningOn(Integer.parseInt(first.substring(colon + 1)));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
    }

    static String line(KafkaFloor.Round r) {
        return String.format("%-15s %6d records  %7.1f records/s  cpu ms per record: broker %s  clients %.3f  machine %.3f",
                r.kind().label, r.records(), r.perSecond(), ms(r.brokerMs()), r.clientsMs(), r.machineMs());
    }

    /** Each kind's mean over its rounds, and the share group's extra over the consumer group's. */
    static String summary(List<KafkaFloor.Round> rounds) {
        OptionalDouble groupBroker = mean(rounds, KafkaFloor.Kind.GROUP, true);
        OptionalDouble shareBroker = mean(rounds, KafkaFloor.Kind.SHARE, true);
        double groupMachine = mean(rounds, KafkaFloor.Kind.GROUP, false).orElseThrow();
        double shareMachine = mean(rounds, KafkaFloor.Kind.SHARE, false).orElseThrow();
        StringBuilder s = new StringBuilder("share group against consumer group, per record: machine ")
                .append(String.format("%+.3f ms (%.3f against %.3f)", shareMachine - groupMachine, shareMachine,
                        groupMachine));
        if (groupBroker.isPresent() && shareBroker.isPresent()) {
            s.append(String.format("; broker %+.3f ms (%.3f against %.3f, x%.2f)",
                    shareBroker.getAsDouble() - groupBroker.getAsDouble(), shareBroker.getAsDouble(),
                    groupBroker.getAsDouble(), shareBroker.getAsDouble() / groupBroker.getAsDouble()));
        }
        return s.toString();
    }

    private static OptionalDouble mean(List<KafkaFloor.Round> rounds, KafkaFloor.Kind kind, boolean broker) {
        return rounds.stream().filter(r -> r.kind() == kind)
                .filter(r -> !broker || r.brokerMs().isPresent())
                .mapToDouble(r -> broker ? r.brokerMs().getAsDouble() : r.machineMs()).average();
    }

    private static String ms(OptionalDouble v) {
        return v.isPresent() ? String.format("%.3f", v.getAsDouble()) : "n/a";
    }
}
