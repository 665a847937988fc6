package io.cairn.log;

/**
 * Told how long each append took, for monitoring: from the call of {@link LogService#append}/{@code appendAsync}
 * until the caller's future completed (group-commit queueing, replication to a majority and their fsyncs).
 * Lease and truncation entries are not appends in this sense and are not reported.
 *
 * <p>Called on the thread that completes the append (a Ratis or completion thread, on the latency path of every
 * commit): an implementation must be quick, must not block and must not throw.
 */
@FunctionalInterface
public interface AppendObserver {
    /** Observes nothing. */
    AppendObserver NONE = (elapsedNanos, durable) -> {
    };

    /**
     * @param elapsedNanos how long the append took
     * @param durable      true when it completed with an LSN; false when it failed (its outcome may be unknown)
     */
    void appendEnded(long elapsedNanos, boolean durable);
}
