package dev.sandq.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.client.JobTooLargeException;
import dev.sandq.client.SandqClient;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Sends a batch's jobs through a {@link SandqClient}, at most {@code concurrency} in flight, and
 * writes each result to the {@link ResultsFile} as it arrives, with the job's id (a result whose
 * {@code id} is not the job's, as in a {@code rejected} reply to a job the worker could not read,
 * gets it). Entries already answered ({@code --resume}) are skipped; invalid entries, duplicate ids
 * and jobs without a result are counted in the {@link Tally} and reported through
 * {@code problems}, the first {@link #PROBLEMS_SHOWN} of them as they happen.
 */
public final class BatchRun {
    static final int PROBLEMS_SHOWN = 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Sender client;
    private final ResultsFile results;
    private final Set<String> alreadyAnswered;
    private final int concurrency;
    private final Duration timeout;
    private final Tally tally;
    private final Consumer<String> problems;
    private final Semaphore window;
    private final AtomicInteger problemsShown = new AtomicInteger();
    private volatile boolean stopping;
    private volatile IOException writeFailure;

    /** How a job document is sent and its reply awaited: {@link SandqClient#submitJson(byte[], Duration)}. */
    @FunctionalInterface
    public interface Sender {
        CompletableFuture<byte[]> submitJson(byte[] jobDocument, Duration timeout);
    }

    public BatchRun(SandqClient client, ResultsFile results, Set<String> alreadyAnswered, int concurrency,
                    Duration timeout, Tally tally, Consumer<String> problems) {
        this(client::submitJson, results, alreadyAnswered, concurrency, timeout, tally, problems);
    }

    BatchRun(Sender client, ResultsFile results, Set<String> alreadyAnswered, int concurrency,
             Duration timeout, Tally tally, Consumer<String> problems) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.client = client;
        this.results = results;
        this.alreadyAnswered = alreadyAnswered;
        this.concurrency = concurrency;
        this.timeout = timeout;
        this.tally = tally;
        this.problems = problems;
        this.window = new Semaphore(concurrency);
    }

    /**
     * Sends every entry and waits for the last result (or timeout).
     *
     * @throws IOException the results file could not be written (sending stopped there)
     */
    public void run(BatchInput input) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        try (Stream<BatchItem> items = input.items()) {
            Iterator<BatchItem> it = items.iterator();
            while (!stopping && writeFailure == null && it.hasNext()) {
                BatchItem item = it.next();
                if (item instanceof BatchItem.Invalid invalid) {
                    tally.invalid(invalid.where(), invalid.reason());
                    report(invalid.where() + ": " + invalid.reason());
                } else if (item instanceof BatchItem.JobItem job) {
                    if (!seen.add(job.id())) {
                        String reason = "id " + job.id() + " is not unique in the input; not sent";
                        tally.invalid(job.where(), reason);
                        report(job.where() + ": " + reason);
                    } else if (alreadyAnswered.contains(job.id())) {
                        tally.skipped();
                    } else {
                        window.acquire();
                        send(job);
                    }
                }
            }
        }
        window.acquire(concurrency); // every result in, or timed out
        window.release(concurrency);
        if (writeFailure != null) {
            throw writeFailure;
        }
    }

    private void send(BatchItem.JobItem job) {
        client.submitJson(job.document(), timeout).whenComplete((reply, e) -> {
            try {
                if (reply != null) {
                    answered(job, reply);
                } else {
                    unanswered(job, e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
                }
            } finally {
                window.release();
            }
        });
    }

    private void answered(BatchItem.JobItem job, byte[] reply) {
        String status;
        byte[] line = reply;
        try {
            JsonNode result = MAPPER.readTree(reply);
            status = result.path("status").asText("unknown");
            boolean wrongId = !job.id().equals(result.path("id").asText(null));
            if (result instanceof ObjectNode o && (wrongId || contains(reply, (byte) '\n'))) {
                o.put("id", job.id());
                line = MAPPER.writeValueAsBytes(o);
            }
        } catch (IOException e) {
            unanswered(job, new IOException("its reply is not JSON: " + e.getMessage()));
            return;
        }
        try {
            results.write(line);
            tally.answered(status);
        } catch (IOException e) {
            if (writeFailure == null) {
                writeFailure = e;
            }
            tally.unanswered(job.id(), job.where(), "its result could not be written: " + e.getMessage());
        }
    }

    private void unanswered(BatchItem.JobItem job, Throwable e) {
        String reason = e instanceof TimeoutException ? "no reply within " + ProgressLine.duration(timeout)
                : e instanceof JobTooLargeException ? e.getMessage() + "; not sent"
                : String.valueOf(e.getMessage() == null ? e : e.getMessage());
        tally.unanswered(job.id(), job.where(), reason);
        report(job.id() + (job.where().equals(job.id()) ? "" : " (" + job.where() + ")") + ": " + reason);
    }

    private void report(String problem) {
        int n = problemsShown.incrementAndGet();
        if (n <= PROBLEMS_SHOWN) {
            problems.accept("sandq batch: " + problem);
        } else if (n == PROBLEMS_SHOWN + 1) {
            problems.accept("sandq batch: more problems; all are listed at the end");
        }
    }

    /** Sends nothing more; the jobs in flight still get their results written, until the file is closed. */
    public void stop() {
        stopping = true;
    }

    /** Jobs sent and not yet answered nor timed out. */
    public int inFlight() {
        return concurrency - window.availablePermits();
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }
}
