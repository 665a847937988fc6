package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import io.cairn.txn.Key;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The commit hook of a CN: one report per commit sent to the TN, with its outcome; the apply lag. */
class CommitObserverTest {
    private final InMemoryLog log = new InMemoryLog();
    private final List<CommitObserver.Outcome> outcomes = new ArrayList<>();
    private final List<Long> latencies = new ArrayList<>();
    private TransactionNode tn;
    private DataNode cn;

    @BeforeEach
    void start() {
        tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn", "local",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(2)));
        tn.start();
        Wait.until("the TN takes its lease", Duration.ofSeconds(10), () -> tn.state() == TransactionNode.State.ACTIVE);
        cn = new DataNode(log, () -> tn, new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        cn.observeCommits((outcome, nanos) -> {
            synchronized (outcomes) {
                outcomes.add(outcome);
                latencies.add(nanos);
            }
        });
        cn.start();
    }

    @AfterEach
    void stop() {
        cn.close();
        tn.close();
    }

    private static Key key(String pk) {
        return Key.of(10, pk.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCommitAndAConflictAreReportedAndAReadOnlyTransactionIsNot() {
        Transaction first = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        Transaction second = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        first.put(key("k"), "1".getBytes(StandardCharsets.UTF_8));
        second.put(key("k"), "2".getBytes(StandardCharsets.UTF_8));
        first.commit();
        assertThatThrownBy(second::commit).isInstanceOf(WriteConflictException.class);

        Transaction reader = cn.begin(Isolation.REPEATABLE_READ);
        reader.get(key("k"));
        reader.commit();

        assertThat(outcomes).containsExactly(CommitObserver.Outcome.COMMITTED, CommitObserver.Outcome.CONFLICT);
        assertThat(latencies).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void theApplyLagIsZeroOnceTheCnHasAppliedTheLog() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        t.put(key("x"), "1".getBytes(StandardCharsets.UTF_8));
        t.commit(); // returns once this CN has applied it
        Wait.until("the CN to apply every entry", Duration.ofSeconds(10), () -> cn.applyLag() == 0);
        assertThat(cn.appliedLsn()).isPositive();
    }

    @Test
    void outcomesAreNamedByTheExceptionThatEndedTheCommit() {
        assertThat(CommitObserver.Outcome.of(new io.cairn.txn.TransactionNodeUnavailableException("down", null)))
                .isEqualTo(CommitObserver.Outcome.UNKNOWN);
        assertThat(CommitObserver.Outcome.of(new IllegalStateException())).isEqualTo(CommitObserver.Outcome.FAILED);
    }
}
