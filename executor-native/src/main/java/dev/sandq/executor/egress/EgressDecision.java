package dev.sandq.executor.egress;

/**
 * Whether a job may connect to one address, and why, in words fit for the job's error message
 * and the worker's log ("169.254.169.254 is link-local (cloud metadata services live there)").
 */
public record EgressDecision(boolean allowed, String reason) {

    static EgressDecision allow(String reason) {
        return new EgressDecision(true, reason);
    }

    static EgressDecision deny(String reason) {
        return new EgressDecision(false, reason);
    }
}
