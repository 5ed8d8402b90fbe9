package dev.sandq.devkit;

import dev.sandq.cli.CommandProvider;
import java.util.List;

/**
 * sandq-devkit's commands for the {@code sandq} CLI: {@code up} (a worker and the embedded
 * broker), {@code bench}, {@code bench-sandbox}, {@code bench-gateway} and {@code bench-kafka}. {@link dev.sandq.cli.Main}
 * finds this provider with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.sandq.cli.CommandProvider}) when devkit is on the class path, as
 * the {@code sandq} script puts it; the production jar has none of them.
 */
public final class DevCommands implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new UpCommand(), new BenchCommand(), new BenchSandboxCommand(), new GatewayBenchCommand(),
                new KafkaFloorCommand());
    }
}
