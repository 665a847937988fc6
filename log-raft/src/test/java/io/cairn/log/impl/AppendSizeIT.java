package io.cairn.log.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LogService#MAX_APPEND_BYTES} is what Ratis really takes: an append of exactly that many record
 * bytes commits and reaches every peer, from the leader's own client, a follower's (redirected over gRPC)
 * and a remote one. That one byte more is refused with nothing written is tested by
 * {@link io.cairn.log.LogServiceContract}, for every implementation.
 */
class AppendSizeIT {
    private LogCluster cluster;
    private int leader;

    @BeforeEach
    void start() throws Exception {
        cluster = LogCluster.builder().peers(3).build();
        leader = cluster.waitForLeader();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Records adding up to exactly the limit: one large, one small. */
    private static List<byte[]> largest(byte tag) {
        byte[] small = new byte[] {tag};
        byte[] large = new byte[LogService.MAX_APPEND_BYTES - 4 - (4 + small.length)];
        large[0] = tag;
        return List.of(large, small);
    }

    @Test
    void theLargestAppendCommitsFromEveryKindOfClient() {
        List<LogService> writers = List.of(cluster.newClientOn(leader), cluster.newClientOn((leader + 1) % 3),
                cluster.newClient());
        byte tag = 1;
        for (LogService writer : writers) {
            long lsn = writer.append(largest(tag));
            cluster.waitUntilApplied(lsn);
            for (int peer = 0; peer < cluster.size(); peer++) {
                LogEntry entry = cluster.readAll(peer, lsn).get(0);
                assertThat(entry.lsn()).isEqualTo(lsn);
                assertThat(entry.records()).hasSize(2);
                assertThat(entry.records().get(0)).hasSize(LogService.MAX_APPEND_BYTES - 9).startsWith(tag);
            }
            tag++;
        }
    }
}
