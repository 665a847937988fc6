package io.cairn.compute;

import io.cairn.txn.CommitResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * What a commit gets when {@link GuardedCommitCalls} gave up: {@link TransactionNodeUnavailableException}
 * saying why the last attempt failed. The commit may or may not have happened (a TN may have appended it
 * before it stopped answering); the SQL layer says so in its error 1105.
 */
public class CommitUnavailable implements FallbackHandler<CommitResult> {
    @Override
    public CommitResult handle(ExecutionContext context) {
        Throwable failure = context.getFailure();
        if (failure instanceof TransactionNodeUnavailableException unavailable) {
            throw unavailable;
        }
        String why = failure instanceof TimeoutException ? "the last attempt timed out"
                : failure instanceof CircuitBreakerOpenException ? "no transaction node answered many attempts in a row"
                : String.valueOf(failure);
        throw new TransactionNodeUnavailableException("no transaction node answered the commit in time (" + why
                + "); its outcome is unknown", failure);
    }
}
