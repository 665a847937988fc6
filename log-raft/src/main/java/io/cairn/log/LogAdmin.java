package io.cairn.log;

/**
 * Operations on the log group rather than on its records: who leads, and which peers vote. The
 * admin API and the active TN (which pulls the leadership to its own peer) use it; writers and
 * readers of records need only {@link LogService}. Thread-safe; every call is bounded like
 * {@link LogService}'s and fails with a {@link LogException}.
 */
public interface LogAdmin {
    /** Leader, term and per-peer progress, as seen by the leader. */
    GroupInfo groupInfo();

    /**
     * Asks the current leader to hand leadership to {@code peerId} and waits for it.
     *
     * @throws LogException the transfer did not complete within the timeout
     */
    void transferLeadership(String peerId);

    /** Adds a voting peer ({@code id}, {@code host:port}); it catches up from the leader first. */
    void addPeer(String peerId, String address);

    /** Removes a voting peer from the group. */
    void removePeer(String peerId);
}
