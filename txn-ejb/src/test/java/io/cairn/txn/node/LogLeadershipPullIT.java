package io.cairn.txn.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.log.impl.LogCluster;
import io.cairn.log.impl.RaftLogClient;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The active TN pulls the log leadership to its own peer, on a real 3-peer Ratis group. */
class LogLeadershipPullIT {
    private LogCluster cluster;
    private TransactionNode tn;

    @AfterEach
    void stop() {
        if (tn != null) {
            tn.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theLogLeaderMovesToTheActiveTnsPeerAndCommitsContinue() throws Exception {
        cluster = LogCluster.builder().peers(3).build();
        int leader = cluster.waitForLeader();
        int own = (leader + 1) % cluster.size();
        RaftLogClient log = cluster.newClientOn(own);
        tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings(LogCluster.id(own), "unused:0",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        tn.pullLogLeadership(log);
        tn.start();
        cluster.waitUntil("the TN is active", () -> tn.state() == TransactionNode.State.ACTIVE);
        cluster.waitUntil("the log leader is the TN's own peer", () -> cluster.waitForLeader() == own);
        cluster.waitUntil("the TN is active after the move", () -> tn.state() == TransactionNode.State.ACTIVE);
        long before = tn.lastCommitTs();
        long ts = tn.commit(new CommitRequest("t1", before,
                List.of(Write.put(Key.of(1, new byte[] {1}), new byte[] {1})))).commitTs();
        assertThat(ts).isGreaterThan(before);
    }
}
