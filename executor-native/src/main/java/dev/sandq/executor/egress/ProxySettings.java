package dev.sandq.executor.egress;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What every connection through the egress proxy is decided and routed by.
 *
 * @param policy     where jobs may connect
 * @param upstream   the operator's HTTP proxy to go through; empty = connect to destinations directly
 * @param ownAddress whether an address is this host's (refused like the policy's refusals)
 * @param resolver   how destination names (and the upstream's) become addresses
 */
record ProxySettings(EgressPolicy policy, Optional<UpstreamProxy> upstream, Predicate<InetAddress> ownAddress,
                     Resolver resolver) {

    ProxySettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(ownAddress, "ownAddress");
        Objects.requireNonNull(resolver, "resolver");
    }

    /** Whether a job may connect to this address: the policy's answer, unless it is this host's. */
    EgressDecision decide(InetAddress address) {
        EgressDecision decision = policy.decide(address);
        if (decision.allowed() && ownAddress.test(address)) {
            return EgressDecision.deny(address.getHostAddress() + " is an address of the worker host itself");
        }
        return decision;
    }

    /** The way out for one connection; the upstream's name is resolved now, as its address may change. */
    Route route() throws Route.Failure {
        return upstream.isPresent() ? UpstreamRoute.resolve(upstream.get(), resolver) : DirectRoute.INSTANCE;
    }
}
