package dev.sandq.ops.clients;

import dev.sandq.client.Job;
import dev.sandq.client.Mode;
import dev.sandq.client.Outcome;
import dev.sandq.client.Result;
import dev.sandq.client.SandqClient;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

/** docs/clients.md's sandq-client example. Run by ClientExamplesTest. */
public final class SandqClientExample {
    private SandqClientExample() {
    }

    // docs:begin
    /** One function job, then 20 scripts with at most 8 in flight; returns the function's value and the count of ok results. */
    public static String run(String bootstrap) throws Exception {
        try (SandqClient sandq = SandqClient.builder(bootstrap).timeout(Duration.ofMinutes(2)).window(8).build()) {
            Result sum = sandq.submit(Job.python("def main(a, b):\n    return {\"sum\": a + b}")
                    .withMode(Mode.FUNCTION).withInputs(Map.of("a", 1, "b", 2))).get();
            long ok = sandq.submitAll(IntStream.range(0, 20).mapToObj(i -> Job.python("print(" + i + ")").withId("job-" + i)))
                    .filter(Outcome::answered)  // the others timed out: outcome.failure() says why
                    .filter(o -> o.result().ok())
                    .count();
            return sum.result() + " " + ok;
        }
    }
    // docs:end
}
