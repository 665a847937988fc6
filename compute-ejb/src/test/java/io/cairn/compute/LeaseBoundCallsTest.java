package io.cairn.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.data.ActiveTransactionNode;
import io.cairn.node.testing.Wait;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionService;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseBoundCallsTest {
    private static final ActiveTransactionNode OLD = new ActiveTransactionNode("s1", 7, "127.0.0.1:9080", null);
    private static final CommitRequest REQUEST = new CommitRequest("t-1", 10, List.of());

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final AtomicReference<ActiveTransactionNode> lease = new AtomicReference<>(OLD);
    /** How often a waiting call read the lease: it reads it once per check. */
    private final AtomicInteger leaseReads = new AtomicInteger();

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    private LeaseBoundCalls commitTo(Function<CommitRequest, CommitResult> commits) {
        return new LeaseBoundCalls(commitsOnly(commits), OLD, () -> {
            leaseReads.incrementAndGet();
            return lease.get();
        }, calls, Duration.ofMillis(10));
    }

    /** A TN whose commits are {@code commits}; these tests make no lock calls. */
    private static TransactionService commitsOnly(Function<CommitRequest, CommitResult> commits) {
        return new TransactionService() {
            @Override
            public CommitResult commit(CommitRequest request) {
                return commits.apply(request);
            }

            @Override
            public LockResult lock(LockRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void abandonWait(String txnId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void release(String txnId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void keepAlive(String owner) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aCallToATnThatStoppedAnsweringIsGivenUpWhenAnotherTnTakesTheLease() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LeaseBoundCalls commit = commitTo(request -> {
            called.countDown();
            try {
                never.await(); // a paused TN: no answer until its call times out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new TransactionNodeUnavailableException("timed out", null);
        });
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                commit.commit(REQUEST);
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        caller.start();
        assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
        lease.set(new ActiveTransactionNode("s1", 7, "127.0.0.1:9080", null)); // a renewal: same epoch, keep waiting
        int readsBefore = leaseReads.get();
        // the second read after the renewal comes once the caller has judged the renewal at least once
        Wait.until("the waiting call checks the renewed lease", Duration.ofSeconds(5),
                () -> leaseReads.get() >= readsBefore + 2);
        assertThat(caller.isAlive()).isTrue();
        long moved = System.nanoTime();
        lease.set(new ActiveTransactionNode("s3", 8, "127.0.0.1:9082", null));
        caller.join(5000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - moved)).isLessThan(1000);
        assertThat(outcome.get()).isInstanceOf(TransactionNodeUnavailableException.class)
                .hasMessageContaining("lost the lease to s3");
    }

    @Test
    void theTnsAnswerIsPassedOnAsItIs() {
        assertThat(commitTo(request -> new CommitResult(42, 5)).commit(REQUEST)).isEqualTo(new CommitResult(42, 5));
        assertThatThrownBy(() -> commitTo(request -> {
            throw new WriteConflictException("key k");
        }).commit(REQUEST)).isInstanceOf(WriteConflictException.class).hasMessageContaining("key k");
    }
}
