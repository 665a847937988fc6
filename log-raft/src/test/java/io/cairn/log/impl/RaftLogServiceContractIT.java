package io.cairn.log.impl;

import io.cairn.log.LogService;
import io.cairn.log.LogServiceContract;

/**
 * The {@link LogServiceContract} on a healthy 3-peer Ratis group, through a client without a co-located
 * peer (reads, long polls and barriers go to the leader). A new group per test: leases and truncation are
 * the group's.
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
