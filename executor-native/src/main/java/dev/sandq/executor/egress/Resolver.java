package dev.sandq.executor.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Names to addresses: the system's resolver, or in tests a fixed table (no DNS server needed). */
@FunctionalInterface
interface Resolver {
    Resolver SYSTEM = InetAddress::getAllByName;

    /** Every address of the name (an address literal is itself); never empty. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
