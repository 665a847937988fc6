package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.compute.CommitUnavailable;
import io.cairn.compute.GuardedCommitCalls;
import io.cairn.data.CommitCalls;
import io.cairn.it.guard.GuardProbe;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each MicroProfile Fault Tolerance policy of a compute node's commits ({@link GuardedCommitCalls}) firing on
 * Liberty, against scripted transaction nodes ({@link GuardProbe}; the policies' times shortened by
 * MicroProfile Config, {@code guard-app/microprofile-config.properties}: 300 ms timeout, 3 s of retries 20 ms
 * apart, a breaker opening for 1 s after 4 failures). The breaker's state lasts across calls, so it goes last.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommitGuardIT {
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("cairn.it.http.port", "9180")
            + "/guard/commit/";

    @Deployment(testable = false)
    static WebArchive guard() {
        File target = Path.of(System.getProperty("cairn.repo"), "txn-api", "target").toFile();
        File txnApi = Arrays.stream(Objects.requireNonNull(target.listFiles()))
                .filter(f -> f.getName().matches("cairn-txn-api-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no txn-api jar in " + target + ": build it first"));
        return ShrinkWrap.create(WebArchive.class, "guard.war")
                .addClasses(GuardProbe.class, GuardProbe.App.class, GuardedCommitCalls.class, CommitUnavailable.class,
                        CommitCalls.class)
                .addAsLibraries(txnApi)
                .addAsResource("guard-app/microprofile-config.properties", "META-INF/microprofile-config.properties")
                .addAsWebInfResource("guard-app/beans.xml", "beans.xml");
    }

    /** outcome, calls that reached the TN, milliseconds. */
    private record Run(String outcome, int calls, long millis) {
        static Run of(String script) {
            Http.Answer answer = Http.post(BASE + script, null, null);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            String[] parts = answer.body().trim().split(" ");
            return new Run(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }
    }

    @Test
    @Order(1)
    void retryRepeatsACommitWhoseOutcomeIsUnknownUntilATransactionNodeAnswers() {
        Run run = Run.of("unavailable-twice");
        assertThat(run.outcome()).isEqualTo("committed@103");
        assertThat(run.calls()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aRefusalIsNeitherRetriedNorReplacedByTheFallback() {
        Run run = Run.of("conflict");
        assertThat(run.outcome()).startsWith("WriteConflictException:");
        assertThat(run.calls()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void timeoutCutsAnAttemptThatHangsAndTheRetryAsksAgain() {
        Run run = Run.of("slow-once"); // the first call would sleep 5 s
        assertThat(run.outcome()).isEqualTo("committed@102");
        assertThat(run.calls()).isEqualTo(2);
        assertThat(run.millis()).isBetween(300L, 4_000L);
    }

    @Test
    @Order(4)
    void aTransactionNodeThatNeverAnswersOpensTheBreakerAndTheFallbackSaysTheOutcomeIsUnknown() {
        Run down = Run.of("down");
        assertThat(down.outcome()).startsWith("TransactionNodeUnavailableException:");
        assertThat(down.millis()).isGreaterThanOrEqualTo(3_000L);
        // 3 s of retries 20 ms apart are ~150 attempts; with the breaker open 1 s after every 4 failures in a
        // row, only a few reach the TN
        assertThat(down.calls()).isBetween(4, 20);

        Run after = Run.of("healthy"); // the breaker closes again after its delay, and the retry waits for that
        assertThat(after.outcome()).isEqualTo("committed@101");
        assertThat(after.calls()).isEqualTo(1);
    }
}
