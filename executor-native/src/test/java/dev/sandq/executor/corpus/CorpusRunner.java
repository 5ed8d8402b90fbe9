package dev.sandq.executor.corpus;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs {@link CorpusTest} with the JUnit Platform in this JVM and prints one summary line
 * ("corpus: N cases, S succeeded, F failed, A aborted") after the failures. Started as an unprivileged uid by
 * {@link CorpusAsUnprivilegedUserTest}; exits 0 only when every case succeeded.
 */
public final class CorpusRunner {
    private CorpusRunner() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(CorpusTest.class)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 40);
        // The container (class-level) failures count too: a @BeforeAll that fails runs no case.
        long failed = summary.getTestsFailedCount() + summary.getContainersFailedCount();
        long aborted = summary.getTestsAbortedCount() + summary.getContainersAbortedCount();
        out.printf("corpus: %d cases, %d succeeded, %d failed, %d aborted%n", summary.getTestsFoundCount(),
                summary.getTestsSucceededCount(), failed, aborted);
        System.exit(failed == 0 && aborted == 0 && summary.getTestsSucceededCount() == summary.getTestsFoundCount() ? 0 : 1);
    }
}
