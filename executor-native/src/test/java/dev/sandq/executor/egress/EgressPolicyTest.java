package dev.sandq.executor.egress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.testing.Fast;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class EgressPolicyTest {
    private static final EgressPolicy STANDARD = EgressPolicy.standard();

    private static EgressDecision decide(EgressPolicy policy, String address) throws Exception {
        return policy.decide(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1            | loopback",
        "127.255.0.9          | loopback",
        "::1                  | loopback",
        "::ffff:127.0.0.1     | loopback",
        "0.0.0.0              | unspecified",
        "::                   | unspecified",
        "169.254.169.254      | link-local",
        "fe80::1              | link-local",
        "100.100.100.200      | metadata",
        "fd00:ec2::254        | metadata",
        "224.0.0.251          | multicast",
        "ff02::1              | multicast",
        "255.255.255.255      | broadcast",
        "64:ff9b::a9fe:a9fe   | NAT64 for 169.254.169.254",
        "2002:7f00:1::        | 6to4 for 127.0.0.1",
        "::7f00:1             | IPv4-compatible for 127.0.0.1",
        "2001:0:4136:e378::1  | Teredo",
    })
    void alwaysRefusedAddressesAreRefusedWithTheirReason(String address, String reason) throws Exception {
        EgressDecision d = decide(STANDARD, address);
        assertFalse(d.allowed(), d::toString);
        assertTrue(d.reason().contains(reason), d::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "100.64.0.1", "fd12::1",
        "64:ff9b::a00:1"})
    void privateRangesAreRefusedByDefault(String address) throws Exception {
        EgressDecision d = decide(STANDARD, address);
        assertFalse(d.allowed(), d::toString);
        assertTrue(d.reason().contains("denied range"), d::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertTrue(decide(STANDARD, address).allowed());
    }

    @Test
    void anExceptionOpensOnlyItsOwnAddressesOfADeniedRange() throws Exception {
        EgressPolicy policy = EgressPolicy.of(List.of(), List.of(Cidr.parse("10.213.7.2/32")));
        EgressDecision allowed = decide(policy, "10.213.7.2");
        assertTrue(allowed.allowed(), allowed::toString);
        assertTrue(allowed.reason().contains("exception 10.213.7.2/32"), allowed::toString);
        assertFalse(decide(policy, "10.213.7.1").allowed());
        assertFalse(decide(policy, "10.213.7.3").allowed());
    }

    @Test
    void operatorDenyRangesAddToTheDefaults() throws Exception {
        EgressPolicy policy = EgressPolicy.of(List.of(Cidr.parse("198.51.100.0/24")), List.of());
        assertFalse(decide(policy, "198.51.100.7").allowed());
        assertFalse(decide(policy, "10.1.1.1").allowed());
        assertTrue(decide(policy, "198.51.101.7").allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/32", "169.254.169.254/32", "0.0.0.0/0", "::/0", "fe80::/64", "100.100.100.200/32"})
    void anExceptionCanNeverOpenAnAlwaysRefusedRange(String block) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EgressPolicy.of(List.of(), List.of(Cidr.parse(block))));
        assertTrue(e.getMessage().contains(Cidr.parse(block).toString()) && e.getMessage().contains("always refused"),
                e.getMessage());
    }

    @Test
    void anExceptionThatExemptsNothingIsRefusedAsAMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EgressPolicy.of(List.of(), List.of(Cidr.parse("8.8.8.8/32"))));
        assertTrue(e.getMessage().contains("8.8.8.8/32") && e.getMessage().contains("exempts nothing"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/8", "10.0.0.0/33", "300.1.1.1/32", "example.com/32", "10.0.0/8", "::1/129", ""})
    void badBlocksAreRefusedNamingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void blocksPrintAsPeopleWriteThem() {
        assertTrue(Cidr.parse("fd00:ec2::254").toString().equals("fd00:ec2::254/128"), Cidr.parse("fd00:ec2::254").toString());
        assertTrue(Cidr.parse(" 10.0.0.0/8 ").toString().equals("10.0.0.0/8"));
    }
}
