package io.cairn.txn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.Key;
import io.cairn.txn.LockMode;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.Write;
import io.cairn.txn.testing.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockTableTest {
    private static final long NOW = 0;
    private final TestTicker ticker = new TestTicker();
    private final LockTable table = new LockTable(ticker, Duration.ofSeconds(5));

    private static Key key(int k) {
        return Key.of(1, new byte[] {(byte) k});
    }

    private static NavigableMap<Key, LockMode> x(int... keys) {
        NavigableMap<Key, LockMode> m = new TreeMap<>();
        for (int k : keys) {
            m.put(key(k), LockMode.EXCLUSIVE);
        }
        return m;
    }

    private static NavigableMap<Key, LockMode> s(int... keys) {
        NavigableMap<Key, LockMode> m = new TreeMap<>();
        for (int k : keys) {
            m.put(key(k), LockMode.SHARED);
        }
        return m;
    }

    private boolean tryLock(String txn, NavigableMap<Key, LockMode> wanted) throws InterruptedException {
        return table.acquire(txn, "cn-" + txn, wanted, NOW);
    }

    @Test
    void anExclusiveLockMakesOthersWaitUntilItIsReleased() throws Exception {
        assertThat(tryLock("t1", x(1))).isTrue();
        assertThat(tryLock("t2", x(1))).as("held by t1").isFalse();
        assertThat(tryLock("t2", s(1))).as("a shared request waits too").isFalse();
        table.release("t1");
        assertThat(tryLock("t2", s(1))).as("granted from the queue at the release").isTrue();
        assertThat(table.heldCount()).isEqualTo(1);
    }

    @Test
    void sharedLocksGoTogetherAndAnExclusiveOneWaitsForAllOfThem() throws Exception {
        assertThat(tryLock("t1", s(1))).isTrue();
        assertThat(tryLock("t2", s(1))).isTrue();
        assertThat(tryLock("t3", x(1))).isFalse();
        table.release("t1");
        assertThat(tryLock("t3", x(1))).as("t2 still holds it shared").isFalse();
        table.release("t2");
        assertThat(tryLock("t3", x(1))).isTrue();
    }

    @Test
    void aSharedRequestDoesNotOvertakeAnExclusiveWaiter() throws Exception {
        assertThat(tryLock("t1", s(1))).isTrue();
        assertThat(tryLock("t2", x(1))).isFalse();
        assertThat(tryLock("t3", s(1))).as("behind t2 in the queue").isFalse();
        table.release("t1");
        assertThat(tryLock("t2", x(1))).isTrue();
        assertThat(tryLock("t3", s(1))).isFalse();
    }

    @Test
    void theSoleSharedHolderUpgradesAtOnceAndAnotherUpgradeWaits() throws Exception {
        assertThat(tryLock("t1", s(1))).isTrue();
        assertThat(tryLock("t1", x(1))).as("sole holder").isTrue();
        table.release("t1");
        assertThat(tryLock("t1", s(2))).isTrue();
        assertThat(tryLock("t2", s(2))).isTrue();
        assertThat(tryLock("t1", x(2))).as("t2 shares it").isFalse();
        table.release("t2");
        assertThat(tryLock("t1", x(2))).isTrue();
    }

    @Test
    void theTransactionThatClosesACycleIsTheOnlyVictimAndItsLocksGo() throws Exception {
        assertThat(tryLock("t1", x(1))).isTrue();
        assertThat(tryLock("t2", x(2))).isTrue();
        assertThat(tryLock("t1", x(2))).isFalse(); // t1 waits for t2
        assertThatThrownBy(() -> tryLock("t2", x(1))).isInstanceOf(DeadlockException.class)
                .hasMessageContaining("t2");
        assertThat(tryLock("t1", x(2))).as("t2's locks were released").isTrue();
        assertThat(tryLock("t3", x(2))).isFalse();
    }

    @Test
    void twoSharedHoldersUpgradingIsADeadlockForTheSecond() throws Exception {
        assertThat(tryLock("t1", s(1))).isTrue();
        assertThat(tryLock("t2", s(1))).isTrue();
        assertThat(tryLock("t1", x(1))).isFalse();
        assertThatThrownBy(() -> tryLock("t2", x(1))).isInstanceOf(DeadlockException.class);
        assertThat(tryLock("t1", x(1))).isTrue();
    }

    @Test
    void aCycleThroughAWaiterAheadInTheQueueIsFound() throws Exception {
        // t2 waits for t1 (holder of 1); t3 waits for t2 (ahead of it in 1's queue); t1 asking for 2
        // would wait for t3: t1 -> t3 -> t2 -> t1.
        assertThat(tryLock("t1", s(1))).isTrue();
        assertThat(tryLock("t3", x(2))).isTrue();
        assertThat(tryLock("t2", x(1))).isFalse();
        assertThat(tryLock("t3", s(1))).isFalse();
        assertThatThrownBy(() -> tryLock("t1", x(2))).isInstanceOf(DeadlockException.class);
    }

    @Test
    void aLongerCycleIsFound() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(tryLock("t" + i, x(i))).isTrue();
        }
        assertThat(tryLock("t1", x(2))).isFalse();
        assertThat(tryLock("t2", x(3))).isFalse();
        assertThat(tryLock("t3", x(4))).isFalse();
        assertThatThrownBy(() -> tryLock("t4", x(1))).isInstanceOf(DeadlockException.class);
        assertThat(tryLock("t3", x(4))).isTrue();
    }

    @Test
    void locksOfAnOwnerThatStoppedCallingAreReleased() throws Exception {
        assertThat(table.acquire("t1", "cn-a", x(1), NOW)).isTrue();
        assertThat(table.acquire("t2", "cn-b", x(1), NOW)).isFalse();
        ticker.advance(Duration.ofSeconds(3));
        table.keepAlive("cn-b");
        assertThat(table.expireSilentOwners()).isZero();
        ticker.advance(Duration.ofSeconds(3));
        assertThat(table.expireSilentOwners()).as("cn-a silent 6 s").isEqualTo(1);
        assertThat(table.acquire("t2", "cn-b", x(1), NOW)).isTrue();
    }

    @Test
    void aCommitMayNotWriteAKeyAnotherTransactionLocked() throws Exception {
        assertThat(tryLock("t1", s(1))).isTrue();
        List<Write> writes = List.of(Write.put(key(1), new byte[] {1}));
        assertThat(table.lockedByOther("t2", writes)).isEqualTo(key(1));
        assertThat(table.lockedByOther("t1", writes)).isNull();
        assertThat(table.lockedByOther("t2", List.of(Write.put(key(2), new byte[] {1})))).isNull();
    }

    @Test
    void anAbandonedWaitLeavesTheQueue() throws Exception {
        assertThat(tryLock("t1", x(1))).isTrue();
        assertThat(tryLock("t2", x(1))).isFalse();
        table.abandonWait("t2");
        table.release("t1");
        assertThat(tryLock("t3", x(1))).as("t2 no longer queued ahead").isTrue();
        assertThat(table.waitingCount()).isZero();
    }

    @Test
    void aWaiterIsWokenByTheReleaseAndClosingFailsEveryWaiter() throws Exception {
        assertThat(tryLock("t1", x(1, 2))).isTrue();
        CompletableFuture<Boolean> t2 = CompletableFuture.supplyAsync(() -> acquire("t2", x(1), 10));
        awaitWaiting(1);
        table.release("t1");
        assertThat(t2.get(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> t3 = CompletableFuture.supplyAsync(() -> acquire("t3", x(1), 10));
        awaitWaiting(1);
        table.close();
        assertThatThrownBy(() -> t3.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TransactionNodeUnavailableException.class);
        assertThatThrownBy(() -> tryLock("t4", x(9))).isInstanceOf(TransactionNodeUnavailableException.class);
    }

    private boolean acquire(String txn, NavigableMap<Key, LockMode> wanted, int seconds) {
        try {
            return table.acquire(txn, "cn", wanted, TimeUnit.SECONDS.toNanos(seconds));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitWaiting(int n) {
        Wait.until(n + " waiters in the lock table", Duration.ofSeconds(5), () -> table.waitingCount() == n);
    }
}
