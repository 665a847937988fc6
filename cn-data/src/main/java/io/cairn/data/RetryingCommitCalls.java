package io.cairn.data;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The commit policy of a compute node outside a CDI container (tests, the in-process cluster): an
 * unavailable TN is asked again after a back-off of 20 ms doubling up to 500 ms, until {@code timeout}; a
 * refusal is final. In a server, compute-ejb's {@code GuardedCommitCalls} replaces it with MicroProfile Fault
 * Tolerance (timeout, retry, circuit breaker, fallback), which only works on a container's beans.
 */
public final class RetryingCommitCalls implements CommitCalls {
    private final Duration timeout;

    public RetryingCommitCalls(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public CommitResult commit(Supplier<TransactionService> activeTn, CommitRequest request) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMillis = 20;
        while (true) {
            try {
                return activeTn.get().commit(request);
            } catch (TransactionNodeUnavailableException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(backoffMillis); // back off while a TN takes over
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 500);
            }
        }
    }
}
