package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import io.cairn.txn.Key;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions of one CN over the in-memory log and a real transaction node. */
class TransactionTest {
    private final InMemoryLog log = new InMemoryLog();
    private TransactionNode tn;
    private DataNode cn;

    @BeforeEach
    void start() {
        tn = ActiveTn.on(log);
        cn = new DataNode(log, () -> tn, new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5)));
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

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> rows(Iterator<Map.Entry<byte[], byte[]>> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(e -> out.add(new String(e.getKey(), StandardCharsets.UTF_8) + "="
                + new String(e.getValue(), StandardCharsets.UTF_8)));
        return out;
    }

    private void put(String k, String value) {
        Transaction u = cn.begin(Isolation.REPEATABLE_READ);
        u.put(key(k), v(value));
        u.commit(); // returns once this CN has applied it
    }

    /** A second CN on the log whose commits go through the calls {@code calls} makes for it; started. */
    private DataNode nodeCommittingThrough(String name, Function<DataNode, CommitCalls> calls) {
        DataNode node = new DataNode(log, () -> tn, new DataNode.Settings(name, Duration.ofSeconds(5),
                Duration.ofSeconds(5)));
        node.commitThrough(calls.apply(node));
        node.start();
        return node;
    }

    @Test
    void aCommittingTransactionNoLongerHoldsBackTheHorizon() {
        List<Integer> openDuringCommit = new ArrayList<>();
        try (DataNode node = nodeCommittingThrough("cn2", n -> (activeTn, request) -> {
            openDuringCommit.add(n.openTransactions());
            return activeTn.get().commit(request);
        })) {
            Transaction reader = node.begin(Isolation.REPEATABLE_READ);
            Transaction writer = node.begin(Isolation.REPEATABLE_READ);
            writer.put(key("w"), v("1"));
            writer.commit();
            assertThat(openDuringCommit).as("while the TN commits, only the reader's snapshot is held")
                    .containsExactly(1);
            reader.rollback();
            assertThat(node.openTransactions()).isZero();
        }
    }

    @Test
    void aCommitTheTnHoldsBackIsSentAgainUntilItIsMade() {
        List<String> attempts = new ArrayList<>();
        try (DataNode node = nodeCommittingThrough("cn3", n -> (activeTn, request) -> {
            attempts.add(request.txnId());
            if (attempts.size() <= 2) {
                throw new TransactionNodeBusyException("changes wait for a checkpoint (test)");
            }
            return activeTn.get().commit(request);
        })) {
            Transaction t = node.begin(Isolation.REPEATABLE_READ);
            t.put(key("held"), v("1"));
            t.commit();
            assertThat(attempts).as("the same transaction, three times").hasSize(3).containsOnly(attempts.get(0));
            assertThat(node.begin(Isolation.REPEATABLE_READ).get(key("held"))).isEqualTo(v("1"));
        }
    }

    @Test
    void oldVersionsArePrunedOnceNoOpenTransactionCanReadThem() {
        // "marker" has a version that only the snapshot of "older" holds: its pruning, once "older" ends,
        // shows a prune pass that ran after every version of x was in the store
        put("marker", "0");
        Transaction older = cn.begin(Isolation.REPEATABLE_READ);
        assertThat(older.get(key("marker"))).isEqualTo(v("0"));
        put("marker", "1");
        put("x", "0");
        Transaction old = cn.begin(Isolation.REPEATABLE_READ);
        assertThat(old.get(key("x"))).isEqualTo(v("0"));
        for (int i = 1; i <= 3; i++) {
            put("x", String.valueOf(i));
        }
        older.rollback();
        Wait.until("a prune pass (the tailer prunes every second)", Duration.ofSeconds(10),
                () -> cn.store().versionCount(key("marker")) == 1);
        assertThat(old.get(key("x"))).as("the open snapshot's version survives pruning").isEqualTo(v("0"));
        assertThat(cn.store().versionCount(key("x"))).isEqualTo(4);
        old.rollback();
        Wait.until("the versions of x no snapshot needs pruned", Duration.ofSeconds(10),
                () -> cn.store().versionCount(key("x")) == 1);
        Transaction now = cn.begin(Isolation.REPEATABLE_READ);
        assertThat(now.get(key("x"))).isEqualTo(v("3"));
        now.rollback();
    }

    @Test
    void ownWritesAreVisibleAndCommitPublishesThem() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        t.put(key("a"), v("1"));
        t.put(key("c"), v("3"));
        assertThat(t.get(key("a"))).isEqualTo(v("1"));
        assertThat(t.commit()).isNotNull();

        Transaction u = cn.begin(Isolation.REPEATABLE_READ);
        u.put(key("b"), v("2"));
        u.delete(key("c"));
        u.put(key("a"), v("10"));
        assertThat(rows(u.scan(10, null, null))).containsExactly("a=10", "b=2");
        assertThat(rows(u.scan(10, v("b"), null))).containsExactly("b=2");
        assertThat(rows(u.scan(11, null, null))).isEmpty();
        u.rollback();

        Transaction w = cn.begin(Isolation.REPEATABLE_READ);
        assertThat(rows(w.scan(10, null, null))).containsExactly("a=1", "c=3");
        assertThat(w.commit()).as("read-only commit does not reach the TN").isNull();
        assertThatThrownBy(() -> w.get(key("a"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inOptimisticModeTheFirstCommitterWins() {
        Transaction seed = cn.begin(Isolation.REPEATABLE_READ);
        seed.put(key("x"), v("0"));
        seed.commit();

        Transaction a = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        Transaction b = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        a.put(key("x"), v("a"));
        b.put(key("x"), v("b"));
        a.commit();
        assertThatThrownBy(b::commit).isInstanceOf(WriteConflictException.class);

        Transaction c = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        Transaction d = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        c.lockForUpdate(key("x"));
        d.put(key("x"), v("d"));
        c.commit();
        assertThatThrownBy(d::commit).isInstanceOf(WriteConflictException.class);
        assertThat(cn.begin(Isolation.REPEATABLE_READ).get(key("x"))).isEqualTo(v("a"));
    }

    @Test
    void readCommittedMovesItsSnapshotPerStatementRepeatableReadDoesNot() {
        Transaction rr = cn.begin(Isolation.REPEATABLE_READ);
        Transaction rc = cn.begin(Isolation.READ_COMMITTED);
        Transaction writer = cn.begin(Isolation.REPEATABLE_READ);
        writer.put(key("k"), v("new"));
        writer.commit();

        rr.beginStatement();
        rc.beginStatement();
        assertThat(rr.get(key("k"))).isNull();
        assertThat(rc.get(key("k"))).isEqualTo(v("new"));
    }
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aLockingStatementWhoseRowChangedBeforeItGotTheLockRunsAgainAtTheNewVersion() {
        Transaction seed = cn.begin(Isolation.REPEATABLE_READ);
        seed.put(key("r"), v("1"));
        seed.commit();

        Transaction slow = cn.begin(Isolation.REPEATABLE_READ);
        slow.beginStatement(true, true);
        assertThat(slow.get(key("r"))).isEqualTo(v("1"));
        slow.put(key("r"), v("1+slow"));

        Transaction fast = cn.begin(Isolation.REPEATABLE_READ);
        fast.beginStatement(true, true);
        fast.put(key("r"), v("2"));
        assertThat(fast.endStatement(WAIT, () -> false)).isTrue();
        fast.commit();

        assertThat(slow.endStatement(WAIT, () -> false)).as("r changed after slow read it: run again").isFalse();
        assertThat(slow.get(key("r"))).as("its write was undone; it reads the new version").isEqualTo(v("2"));
        slow.put(key("r"), v("2+slow"));
        assertThat(slow.endStatement(WAIT, () -> false)).isTrue();
        slow.commit();
        assertThat(cn.begin(Isolation.REPEATABLE_READ).get(key("r"))).isEqualTo(v("2+slow"));
    }

    @Test
    void aFailedStatementIsUndoneAndTheTransactionKeepsItsEarlierWrites() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        t.beginStatement(true, true);
        t.put(key("a"), v("a"));
        assertThat(t.endStatement(WAIT, () -> false)).isTrue();
        t.beginStatement(true, false);
        t.put(key("a"), v("a2"));
        t.delete(key("b"));
        t.abortStatement();
        assertThat(t.get(key("a"))).isEqualTo(v("a"));
        t.commit();
        assertThat(cn.begin(Isolation.REPEATABLE_READ).get(key("a"))).isEqualTo(v("a"));
    }

    @Test
    void aLockWaitEndsWithATimeoutAndTheHolderIsUnaffected() {
        Transaction holder = cn.begin(Isolation.REPEATABLE_READ);
        holder.beginStatement(true, true);
        holder.put(key("h"), v("holder"));
        assertThat(holder.endStatement(WAIT, () -> false)).isTrue();

        Transaction waiter = cn.begin(Isolation.REPEATABLE_READ);
        waiter.beginStatement(true, true);
        waiter.put(key("h"), v("waiter"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> waiter.endStatement(Duration.ofMillis(300), () -> false))
                .isInstanceOfSatisfying(LockWaitTimeoutException.class, e -> assertThat(e.cancelled()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        holder.commit();
        assertThat(waiter.get(key("h"))).as("the timed-out statement's write was undone").isNull();
        waiter.rollback();
    }

    // ------------------------------------------------------------------ the commit hook (metrics)

    @Test
    void aCommitAndAConflictAreReportedToTheCommitObserverAndAReadOnlyTransactionIsNot() {
        List<CommitObserver.Outcome> outcomes = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        cn.observeCommits((outcome, nanos) -> {
            synchronized (outcomes) {
                outcomes.add(outcome);
                latencies.add(nanos);
            }
        });
        Transaction first = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        Transaction second = cn.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        first.put(key("k"), v("1"));
        second.put(key("k"), v("2"));
        first.commit();
        assertThatThrownBy(second::commit).isInstanceOf(WriteConflictException.class);

        Transaction reader = cn.begin(Isolation.REPEATABLE_READ);
        reader.get(key("k"));
        reader.commit();

        synchronized (outcomes) {
            assertThat(outcomes).containsExactly(CommitObserver.Outcome.COMMITTED, CommitObserver.Outcome.CONFLICT);
            assertThat(latencies).allSatisfy(nanos -> assertThat(nanos).isPositive());
        }
    }

    @Test
    void theApplyLagIsZeroOnceTheCnHasAppliedTheLog() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        t.put(key("x"), v("1"));
        t.commit(); // returns once this CN has applied it
        Wait.until("the CN to apply every entry", Duration.ofSeconds(10), () -> cn.applyLag() == 0);
        assertThat(cn.appliedLsn()).isPositive();
    }

    @Test
    void commitOutcomesAreNamedByTheExceptionThatEndedTheCommit() {
        assertThat(CommitObserver.Outcome.of(new io.cairn.txn.TransactionNodeUnavailableException("down", null)))
                .isEqualTo(CommitObserver.Outcome.UNKNOWN);
        assertThat(CommitObserver.Outcome.of(new IllegalStateException())).isEqualTo(CommitObserver.Outcome.FAILED);
    }
}
