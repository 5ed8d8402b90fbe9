package dev.sandq.worker;

import dev.sandq.executor.Result;
import dev.sandq.executor.Status;
import dev.sandq.modes.JobProgram;
import dev.sandq.wire.CorrelationIds;
import dev.sandq.wire.JobParseOutcome;
import dev.sandq.wire.JobParser;
import dev.sandq.wire.JobReply;
import dev.sandq.wire.JobRequest;
import dev.sandq.wire.JobStage;
import dev.sandq.wire.ReplyRoute;
import dev.sandq.wire.RequestHeaders;
import dev.sandq.wire.RouteOutcome;
import dev.sandq.wire.UnroutableJobException;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalInt;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one job record into what answers it: routes it from its headers, parses and validates
 * the body, answers expired jobs without running them, runs the rest through the guarded
 * sandbox, and builds the reply record. Thread-safe; runs on the slot threads.
 */
final class JobProcessor {
    private final JobParser parser;
    private final SandboxGuard guard;
    private final TopicDirectory topics;
    private final ReplyRecords records;
    private final String defaultReplyTopic;
    private final String workerId;
    private final int jobAttempts;
    private final int deliveryLimit;
    private final Clock clock;

    /**
     * @param deliveryLimit the delivery (attempt) at which a job is no longer run but answered
     *                      internal_error and dead-lettered (queue mode: the share group's
     *                      share.delivery.count.limit); {@link Integer#MAX_VALUE} for none
     */
    JobProcessor(JobParser parser, SandboxGuard guard, TopicDirectory topics, ReplyRecords records,
                 String defaultReplyTopic, String workerId, int jobAttempts, int deliveryLimit, Clock clock) {
        this.parser = parser;
        this.guard = guard;
        this.topics = topics;
        this.records = records;
        this.defaultReplyTopic = defaultReplyTopic;
        this.workerId = workerId;
        this.jobAttempts = jobAttempts;
        this.deliveryLimit = deliveryLimit;
        this.clock = clock;
    }

    /**
     * @param timeline the job's stages so far (polled); the answer's {@link Delivery} carries them on, with the
     *                 stages of parsing and of the sandbox
     */
    ProcessOutcome process(ConsumerRecord<byte[], byte[]> rec, int attempt, JobTimeline timeline)
            throws InterruptedException {
        Instant startedAt = clock.instant();
        RouteOutcome routing = RequestHeaders.route(rec.headers(), defaultReplyTopic, rec.topic(), rec.partition(),
                rec.offset());
        if (routing instanceof RouteOutcome.Unroutable u) {
            return deadLetter(rec, u.reason(), timeline);
        }
        ReplyRoute route = ((RouteOutcome.Routable) routing).route();
        OptionalInt partitions = topics.partitions(route.topic());
        if (partitions.isEmpty()) {
            return deadLetter(rec, "The reply topic '" + route.topic() + "' does not exist.", timeline);
        }
        if (route.partition() != null && route.partition() >= partitions.getAsInt()) {
            return deadLetter(rec, "The reply partition " + route.partition() + " does not exist; "
                    + route.topic() + " has " + partitions.getAsInt() + " partitions.", timeline);
        }
        String correlation = CorrelationIds.toText(route.correlationId());
        JobParseOutcome parsed = parser.parse(rec.value());
        JobTimeline stages = timeline.with(JobStage.PARSED, System.nanoTime());
        if (parsed instanceof JobParseOutcome.Invalid invalid) {
            ReplyRoute keyed = route.withJobIdKey(invalid.jobId());
            return answer(rec, keyed, JobReply.notRun(invalid.jobId(), correlation, Status.REJECTED, invalid.reason(),
                    workerId, attempt, startedAt, clock.instant()), "unknown", stages);
        }
        JobRequest job = ((JobParseOutcome.Valid) parsed).job();
        ReplyRoute keyed = route.withJobIdKey(job.id());
        String language = job.language().wireName();
        if (job.expiredAt(startedAt)) {
            return answer(rec, keyed, JobReply.notRun(job.id(), correlation, Status.EXPIRED,
                    "The deadline " + job.deadline() + " passed before the job could run.",
                    workerId, attempt, startedAt, clock.instant()), language, stages);
        }
        if (attempt >= deliveryLimit) {
            String reason = "The job was delivered " + attempt + " times, the limit, without being answered: each "
                    + "worker that took it before stopped or lost it while it ran (a crash, a kill or an expired lock). "
                    + "It is not run again; it was dead-lettered.";
            Delivery reply = records.reply(rec, keyed, JobReply.notRun(job.id(), correlation, Status.INTERNAL_ERROR,
                    reason, workerId, attempt, startedAt, clock.instant()), language, stages);
            return new ProcessOutcome.Answer(reply.alsoDeadLettered(
                    records.deadLetterRecord(rec, new PoisonJobException(reason))));
        }
        JobProgram program = JobProgram.of(job);
        SandboxGuard.Outcome ran = guard.run(program.job());
        if (ran instanceof SandboxGuard.Outcome.NotPermitted) {
            return new ProcessOutcome.TryAgain("the sandbox circuit is open", false);
        }
        if (ran instanceof SandboxGuard.Outcome.InfrastructureFailure f && attempt < jobAttempts) {
            return new ProcessOutcome.TryAgain("the sandbox failed: " + f.result().error(), true);
        }
        Result result = ran instanceof SandboxGuard.Outcome.Ran r
                ? r.result()
                : ((SandboxGuard.Outcome.InfrastructureFailure) ran).result();
        JobProgram.Extracted extracted = program.extract(result);
        return answer(rec, keyed, JobReply.of(job.id(), correlation, extracted.result(), extracted.value(), workerId,
                attempt, startedAt, clock.instant()), language, stages.withSandbox(result.timeline()));
    }

    private ProcessOutcome answer(ConsumerRecord<byte[], byte[]> rec, ReplyRoute route, JobReply reply, String language,
                                  JobTimeline timeline) {
        return new ProcessOutcome.Answer(records.reply(rec, route, reply, language, timeline));
    }

    private ProcessOutcome deadLetter(ConsumerRecord<byte[], byte[]> rec, String reason, JobTimeline timeline) {
        return new ProcessOutcome.Answer(records.deadLetter(rec, new UnroutableJobException(reason), timeline));
    }
}
