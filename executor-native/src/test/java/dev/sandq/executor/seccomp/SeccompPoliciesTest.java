package dev.sandq.executor.seccomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandq.executor.Language;
import dev.sandq.testing.Fast;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class SeccompPoliciesTest {

    @ParameterizedTest
    @EnumSource(Language.class)
    void eachLanguageCompilesToWholeBpfInstructions(Language language) {
        for (boolean network : new boolean[] {false, true}) {
            byte[] bpf = SeccompPolicies.load(language, network, List.of()).compileBpf();
            assertTrue(bpf.length > 0, "empty program");
            assertEquals(0, bpf.length % 8, "length " + bpf.length + " is not a multiple of sizeof(struct sock_filter)");
            assertTrue(bpf.length / 8 <= 4096, bpf.length / 8 + " instructions, more than BPF_MAXINSNS");
        }
    }

    @Test
    void loadingTwiceGivesTheCachedPolicyAndAFreshCopyOfItsProgram() {
        SeccompPolicy first = SeccompPolicies.load(Language.NODEJS, false, List.of());
        assertSame(first, SeccompPolicies.load(Language.NODEJS, false, List.of()));
        byte[] a = first.compileBpf();
        byte[] b = first.compileBpf();
        assertNotSame(a, b);
        assertArrayEquals(a, b);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void networkAddsFamiliesAndCallsAndTakesNothingAway(Language language) {
        SeccompPolicy off = SeccompPolicies.load(language, false, List.of());
        SeccompPolicy on = SeccompPolicies.load(language, true, List.of());
        assertTrue(on.allowed().keySet().containsAll(off.allowed().keySet()));
        assertEquals(Origin.NETWORK, on.allowed().get("sendmmsg"));
        assertFalse(off.allowed().containsKey("sendmmsg"));
        assertEquals(List.of("AF_UNIX"), off.socket().families().stream().map(SocketFamily::family).toList());
        assertEquals(List.of("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK"),
                on.socket().families().stream().map(SocketFamily::family).toList());
        assertEquals(off.rules(), on.rules());
        assertEquals(off.errno(), on.errno());
    }

    @Test
    void operatorExtrasAreAddedAndNeverReplaceTheDefaults() {
        SeccompPolicy defaults = SeccompPolicies.load(Language.PYTHON3, false, List.of());
        SeccompPolicy extended = SeccompPolicies.load(Language.PYTHON3, false, List.of("mincore", " prctl ", "read"));
        assertEquals(Origin.OPERATOR, extended.allowed().get("mincore"));
        assertEquals(Origin.OPERATOR, extended.allowed().get("prctl"));
        assertEquals(Origin.DEFAULT, extended.allowed().get("read"), "an extra already in the defaults stays a default");
        assertTrue(extended.allowed().keySet().containsAll(defaults.allowed().keySet()));
        assertEquals(defaults.allowed().size() + 2, extended.allowed().size());
        assertEquals(defaults.rules(), extended.rules());
        assertEquals(defaults.errno(), extended.errno());
        assertEquals(defaults.socket(), extended.socket());
        assertEquals(List.of("mincore", "prctl", "read"), extended.operatorExtras());

        int verdict = new BpfInterpreter(extended.compileBpf()).run(Verdicts.nr("mincore"), 0);
        assertEquals(Verdicts.name(Verdicts.ALLOW), Verdicts.name(verdict));
        int before = new BpfInterpreter(defaults.compileBpf()).run(Verdicts.nr("mincore"), 0);
        assertEquals(Verdicts.name(Verdicts.KILL_PROCESS), Verdicts.name(before));
    }

    @Test
    void anUnknownExtraSyscallFailsWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeccompPolicies.load(Language.NODEJS, true, List.of("getpid", "frobnicate_the_kernel")));
        assertTrue(e.getMessage().contains("frobnicate_the_kernel"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ptrace", "mount", "unshare", "bpf", "setuid", "clone3", "io_uring_setup"})
    void aForbiddenExtraSyscallFailsWithItsName(String syscall) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeccompPolicies.load(Language.PYTHON3, false, List.of(syscall)));
        assertTrue(e.getMessage().contains(syscall) && e.getMessage().contains("never"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ioctl", "clone", "socket", "socketpair"})
    void anExtraCannotLiftTheArgumentRulesOfASyscall(String syscall) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeccompPolicies.load(Language.NODEJS, false, List.of(syscall)));
        assertTrue(e.getMessage().contains(syscall) && e.getMessage().contains("argument"), e.getMessage());
    }

    @Test
    void aBlankExtraIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SeccompPolicies.load(Language.NODEJS, false, List.of(" ")));
    }

    @Test
    void describeListsEverythingAndMarksNetworkAndOperatorEntries() {
        SeccompPolicy policy = SeccompPolicies.load(Language.PYTHON3, true, List.of("mincore"));
        String text = policy.describe();
        assertTrue(text.startsWith("seccomp policy for python3, network on\n"), text);
        assertTrue(text.contains("default action: kill process (SIGSYS) -> job status syscall_denied"), text);
        assertTrue(text.contains("x86_64 only"), text);
        for (String syscall : policy.allowed().keySet()) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(syscall) + "(  \\[\\w+])?$").matcher(text).find(),
                    "allowed syscall " + syscall + " missing from:\n" + text);
        }
        assertTrue(text.contains("  sendmmsg  [network]\n"), text);
        assertTrue(text.contains("  mincore  [operator]\n"), text);
        assertTrue(text.contains("  clone3: errno ENOSYS\n"), text);
        assertTrue(text.contains("ioctl: errno EPERM if (arg1 & 0xffffffff) == 0x5412; otherwise allow"), text);
        assertTrue(text.contains("clone: allow if (arg0 & 0x7e020080) == 0x0"), text);
        assertTrue(text.contains("AF_INET (2): types SOCK_STREAM, SOCK_DGRAM  [network]"), text);
        assertTrue(text.contains("any other family: errno EAFNOSUPPORT"), text);
        assertTrue(text.contains("operator extras: mincore"), text);
        Matcher never = Pattern.compile("(?m)^never allowed.*\\n  (.*)$").matcher(text);
        assertTrue(never.find() && never.group(1).contains("ptrace"), text);
    }

    @Test
    void theFilterKnowsOnlyX86_64AndKillsOtherAbis() {
        String pfc = SeccompPolicies.load(Language.NODEJS, true, List.of()).exportPfc();
        assertEquals(1, pfc.split("# filter for arch ", -1).length - 1, pfc);
        assertTrue(pfc.contains("# filter for arch x86_64 (3221225534)"), pfc);
        assertTrue(pfc.contains("# invalid architecture action\naction KILL_PROCESS;"), pfc);
    }

    @Test
    void theIoctlRuleSurvivesInTheCompiledFilter() {
        // libseccomp drops a conditional rule when the same syscall is also allowed unconditionally.
        String pfc = SeccompPolicies.load(Language.PYTHON3, false, List.of()).exportPfc();
        assertTrue(pfc.contains("== 21522)\n") && pfc.contains("action ERRNO(1);"), pfc);
    }
}
