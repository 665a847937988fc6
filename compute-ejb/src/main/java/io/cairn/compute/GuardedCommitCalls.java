package io.cairn.compute;

import io.cairn.data.CommitCalls;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * A compute node's commits to the active TN, guarded by MicroProfile Fault Tolerance. Outer to inner:
 * <ul>
 *   <li>{@code @Fallback}: when no attempt answered, the caller gets {@link TransactionNodeUnavailableException},
 *       which the SQL layer reports as error 1105 "outcome unknown" ({@link CommitUnavailable}); a refusal by the
 *       TN (conflict, deadlock, snapshot too old, a read-only cluster, a commit held back by its memory
 *       budget: {@link TransactionNodeBusyException}, which cn-data's {@code DataNode} sends again) passes through
 *       untouched;</li>
 *   <li>{@code @Retry}: an attempt with an unknown outcome (TN unavailable, timed out, breaker open) is repeated
 *       for up to 10 s, every 50 ± 25 ms, asking each time which TN is active: the same request, answered at most
 *       once by transaction id. A refusal is never repeated;</li>
 *   <li>{@code @CircuitBreaker}: after 20 attempts in a row without an answer, attempts stop reaching any TN for
 *       0.5 s (one breaker per CN, not per TN: a takeover lasts about one lease, 3 s, so a short open time
 *       costs a new TN little);</li>
 *   <li>{@code @Timeout}: one attempt may take 6 s, over the TN's own commit timeout (5 s, its wait for the log);
 *       remote calls end sooner (1.5 s HTTP timeout, or at once when the lease moves: {@link LeaseBoundCalls}).</li>
 * </ul>
 * Every value can be changed through MicroProfile Config, e.g.
 * {@code io.cairn.compute.GuardedCommitCalls/commit/Retry/maxDuration=20000}.
 */
@ApplicationScoped
public class GuardedCommitCalls implements CommitCalls {
    @Override
    @Fallback(value = CommitUnavailable.class,
            skipOn = {WriteConflictException.class, DeadlockException.class, SnapshotTooOldException.class,
                ReadOnlyClusterException.class, TransactionNodeBusyException.class})
    @Retry(retryOn = {TransactionNodeUnavailableException.class, TimeoutException.class,
            CircuitBreakerOpenException.class},
            abortOn = {WriteConflictException.class, DeadlockException.class, SnapshotTooOldException.class,
                ReadOnlyClusterException.class},
            maxRetries = -1, maxDuration = 10_000, delay = 50, jitter = 25)
    @CircuitBreaker(failOn = {TransactionNodeUnavailableException.class, TimeoutException.class},
            requestVolumeThreshold = 20, failureRatio = 1.0, delay = 500, successThreshold = 1)
    @Timeout(6_000)
    public CommitResult commit(Supplier<TransactionService> activeTn, CommitRequest request) {
        return activeTn.get().commit(request);
    }
}
