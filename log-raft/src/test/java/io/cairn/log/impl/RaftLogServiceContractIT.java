package io.cairn.log.impl;

import io.cairn.log.LogService;
import io.cairn.log.LogServiceContract;

/**
 * The {@link LogServiceContract} on a healthy 3-peer Ratis group, through a client without a co-located
 * peer (reads, long polls and barriers go to the leader). A new group per test: leases and truncation are
 * the group's.
 *
 * <p>Not through a follower's own client: the suite passes there too, except that {@code truncateBefore}
 * returns once the leader has applied the marker, so a read before the point on that follower may still
 * succeed for a moment (73 of 300 tries once), short of the Javadoc's "on every peer" (an open question).
 */
class RaftLogServiceContractIT extends LogServiceContract {
    private LogCluster cluster;

    @Override
    protected LogService newLog() throws Exception {
        cluster = LogCluster.builder().peers(3).build();
        return cluster.newClient();
    }

    @Override
    protected void closeLog(LogService log) {
        cluster.close(); // closes its clients too
    }
}
