package io.cairn.compute;

import io.cairn.data.ActiveTransactionNode;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Commit and lock calls to the TN named by one lease, each given up as soon as this CN reads a later
 * lease in the log. A TN that stopped answering (paused, cut off) otherwise holds the call for its whole timeout
 * even after another TN took over: a call begun just before the takeover kept its transaction waiting
 * about one call timeout longer (chaos suite: pause RTO 5 s = lease 3 s + most of a 1.5 s call).
 * Giving up is safe: the outcome is reported unknown ({@link TransactionNodeUnavailableException}) and
 * the caller repeats the same request, with the same transaction id, at the new TN, which answers a
 * commit its predecessor made from the log and whose predecessor can no longer append (the log fences
 * its epoch). A lock call given up is asked again at the new TN, whose lock table starts empty.
 * Releases and keep-alives go straight to the TN: nobody waits for them.
 *
 * <p>A call runs on {@code calls}; the calling thread waits in slices of {@code checkEvery}, reading
 * the lease between them. Thread-safe.
 */
final class LeaseBoundCalls implements TransactionService {
    private final TransactionService tn;
    private final ActiveTransactionNode lease;
    private final Supplier<ActiveTransactionNode> currentLease;
    private final ExecutorService calls;
    private final long checkEveryMs;

    /**
     * @param tn           the TN that {@code lease} names
     * @param lease        the lease under which the call is made
     * @param currentLease the latest lease this CN has read from the log
     * @param calls        runs the call itself
     * @param checkEvery   how often the lease is read while the call waits
     */
    LeaseBoundCalls(TransactionService tn, ActiveTransactionNode lease, Supplier<ActiveTransactionNode> currentLease,
            ExecutorService calls, Duration checkEvery) {
        this.tn = tn;
        this.lease = lease;
        this.currentLease = currentLease;
        this.calls = calls;
        this.checkEveryMs = Math.max(1, checkEvery.toMillis());
    }

    @Override
    public LockResult lock(LockRequest request) {
        return call("lock", () -> tn.lock(request));
    }

    @Override
    public void abandonWait(String txnId) {
        tn.abandonWait(txnId);
    }

    @Override
    public void release(String txnId) {
        tn.release(txnId);
    }

    @Override
    public void keepAlive(String owner) {
        tn.keepAlive(owner);
    }

    @Override
    public CommitResult commit(CommitRequest request) {
        return call("commit", () -> tn.commit(request));
    }

    private <T> T call(String what, Callable<T> body) {
        Future<T> call;
        try {
            call = calls.submit(body);
        } catch (RejectedExecutionException e) {
            throw new TransactionNodeUnavailableException("the compute node is stopping", e);
        }
        while (true) {
            try {
                return call.get(checkEveryMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ActiveTransactionNode now = currentLease.get();
                if (now != null && now.epoch() > lease.epoch()) {
                    call.cancel(true);
                    throw new TransactionNodeUnavailableException("transaction node " + lease.holder()
                            + " lost the lease to " + now.holder() + " (epoch " + now.epoch()
                            + ") while a " + what + " call to it waited; outcome unknown", null);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r; // the TN's own answer: committed elsewhere, conflict, deadlock, unavailable …
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new TransactionNodeUnavailableException(what + " call to " + lease.holder() + " failed", cause);
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new TransactionNodeUnavailableException("interrupted while waiting for transaction node "
                        + lease.holder(), e);
            }
        }
    }
}
