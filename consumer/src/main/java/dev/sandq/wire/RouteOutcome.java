package dev.sandq.wire;

/** Whether a job's reply can be routed, from its headers alone. */
public sealed interface RouteOutcome {
    record Routable(ReplyRoute route) implements RouteOutcome {
    }

    /** @param reason one sentence, used as the dead letter's exception message */
    record Unroutable(String reason) implements RouteOutcome {
    }
}
