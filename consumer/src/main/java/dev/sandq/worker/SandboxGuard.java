package dev.sandq.worker;

import dev.sandq.executor.Job;
import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPathChoice;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxStarts;
import dev.sandq.executor.Status;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Resilience4j circuit breaker around the sandbox's <em>infrastructure</em> failures
 * (status internal_error), never around what the job's code does. While open, the worker takes
 * no jobs; half-open probes let it recover by itself.
 */
final class SandboxGuard {

    sealed interface Outcome {
        /** The sandbox ran the job (whatever the job did). */
        record Ran(Result result) implements Outcome {
        }

        /** The sandbox itself failed. */
        record InfrastructureFailure(Result result) implements Outcome {
        }

        /** The circuit is open: the job was not tried. */
        record NotPermitted() implements Outcome {
        }
    }

    private final Sandbox sandbox;
    private final CircuitBreaker breaker;
    /** When the circuit last opened, plus its wait in the open state. */
    private volatile Instant openUntil = Instant.MIN;

    SandboxGuard(Sandbox sandbox, Duration openFor, int minimumCalls, Clock clock) {
        this.sandbox = sandbox;
        this.breaker = CircuitBreaker.of("sandbox", CircuitBreakerConfig.custom()
                .slidingWindowSize(Math.max(10, minimumCalls))
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordResult(r -> r instanceof Result res && res.status() == Status.INTERNAL_ERROR)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openUntil = clock.instant().plus(openFor);
            }
        });
    }

    Outcome run(Job job) throws InterruptedException {
        if (!breaker.tryAcquirePermission()) {
            return new Outcome.NotPermitted();
        }
        long start = System.nanoTime();
        Result result;
        try {
            result = sandbox.run(job);
        } catch (InterruptedException e) {
            breaker.releasePermission();
            throw e;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            return new Outcome.InfrastructureFailure(
                    Result.notRun(Status.INTERNAL_ERROR, "The sandbox failed: " + e.getMessage()));
        }
        breaker.onResult(System.nanoTime() - start, TimeUnit.NANOSECONDS, result);
        return result.status() == Status.INTERNAL_ERROR
                ? new Outcome.InfrastructureFailure(result)
                : new Outcome.Ran(result);
    }

    /** Whether jobs may be taken: false while the circuit is open. */
    boolean admitting() {
        CircuitBreaker.State s = breaker.getState();
        return s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN;
    }

    /** While the circuit is open: when it lets a job through again (half-open). */
    Optional<Instant> openUntil() {
        return breaker.getState() == CircuitBreaker.State.OPEN ? Optional.of(openUntil) : Optional.empty();
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    int busySlots() {
        return sandbox.busySlots();
    }

    SandboxStarts starts() {
        return sandbox.starts();
    }

    long cleanupFailures() {
        return sandbox.cleanupFailures();
    }

    Map<Language, LaunchPathChoice> launchPaths() {
        return sandbox.launchPaths();
    }
}
