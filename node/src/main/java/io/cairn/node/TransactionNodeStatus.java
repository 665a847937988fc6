package io.cairn.node;

/**
 * Where one server's transaction node stands, as it published it to the cluster (at most about a second ago,
 * through membership), for {@code GET /api/cluster/tn}. Lease times are measured by that server's own clock
 * and sent as durations, so servers' clocks need not agree.
 *
 * @param server             the server's name
 * @param state              {@code ACTIVE} (holds the lease, commits), {@code STANDBY} (follows the log, takes over
 *                           when the lease lapses), {@code CLOSED}, or {@code UNKNOWN} while the server has not
 *                           published it (starting, or its TN role not started)
 * @param epoch              the lease epoch the TN holds (active) or last saw (standby); 0 when none
 * @param leaseHolder        the server holding the latest lease the TN read, or null
 * @param leaseAgeMillis     time since the TN read that lease's grant or last renewal from the log (the active TN
 *                           reads its own renewals, about every third of a lease); -1 when unknown
 * @param leaseMillis        the lease's duration: the TN sees the lease lapsed once its age is past this (so it
 *                           expires in {@code leaseMillis - leaseAgeMillis} unless renewed)
 */
public record TransactionNodeStatus(String server, String state, long epoch, String leaseHolder, long leaseAgeMillis,
                                    long leaseMillis) {

    /** A server with the TN role whose status is not published (yet). */
    public static TransactionNodeStatus unknown(String server) {
        return new TransactionNodeStatus(server, "UNKNOWN", 0, null, -1, 0);
    }

    /** What a TN role reports of itself, so that the node can publish it without knowing the TN's classes. */
    @FunctionalInterface
    public interface Source {
        /** This server's TN now (its {@code server} is filled in by the node); called every second, must not block. */
        TransactionNodeStatus status();
    }
}
