package io.cairn.data;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.TransactionService;
import java.util.function.Supplier;

/**
 * How a commit reaches the active TN through a failover: which attempts are made, how long each may take,
 * and what the caller gets when none answered. Every attempt sends the same request, which the TN answers at
 * most once by transaction id, so repeating one whose outcome is unknown is safe.
 */
public interface CommitCalls {
    /**
     * @param activeTn the TN to send an attempt to, asked again before each attempt (the lease may move)
     * @throws io.cairn.txn.TransactionNodeUnavailableException no TN answered in time: the outcome is unknown
     * @throws io.cairn.txn.TransactionException the TN refused the commit (conflict, snapshot too old)
     */
    CommitResult commit(Supplier<TransactionService> activeTn, CommitRequest request);
}
