package io.cairn.log.impl;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.log.StaleEpochException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a 3-peer Ratis group adds to the {@link io.cairn.log.LogServiceContract} (run on it by
 * {@link RaftLogServiceContractIT}): every peer serves the same entries and verdicts, leadership moves,
 * truncation purges the Raft log and survives rebuilding and restarting peers.
 */
class LogServiceIT {
    private LogCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = LogCluster.builder().peers(3).segmentSizeBytes(64 * 1024).build();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] rec(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<LogEntry> entries) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : entries) {
            if (e.kind() == LogEntry.Kind.DATA) {
                e.records().forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void appendedRecordsAreReadableOnEveryPeerInOrder() {
        LogService log = cluster.newClient();
        long a = log.append(List.of(rec("a1"), rec("a2")));
        long b = log.append(List.of(rec("b1")));

        cluster.waitUntilApplied(b);
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(strings(cluster.readAll(i, 0))).containsExactly("a1", "a2", "b1");
            LogBatch batch = cluster.newClientOn(i).read(a, 1 << 20);
            assertThat(batch.entries().get(0).lsn()).isEqualTo(a);
            // a server's readers (its TN follower and CN tailer) get the entries its peer decoded last, not copies
            assertThat(cluster.newClientOn(i).read(a, 1 << 20).entries().get(0)).isSameAs(batch.entries().get(0));
        }
    }

    @Test
    void commitIndexOnEveryPeerCoversEveryAcknowledgedAppend() {
        RaftLogClient writer = cluster.newClient();
        List<LogService> onPeers = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            onPeers.add(cluster.newClientOn(i)); // leader and followers answer through their own peer
        }
        for (int round = 0; round < 50; round++) {
            long lsn = writer.append(List.of(rec("r" + round)));
            for (LogService reader : onPeers) {
                assertThat(reader.commitIndex()).isGreaterThanOrEqualTo(lsn);
            }
        }
        int leader = cluster.waitForLeader();
        int target = (leader + 1) % cluster.size();
        writer.transferLeadership(LogCluster.id(target));
        cluster.waitUntil("leadership moved to " + LogCluster.id(target), () -> cluster.waitForLeader() == target);
        long after = writer.append(List.of(rec("after")));
        for (LogService reader : onPeers) {
            assertThat(reader.commitIndex()).isGreaterThanOrEqualTo(after);
        }
    }

    @Test
    void leadershipCanBeTransferredAndGroupInfoShowsThePeers() {
        RaftLogClient log = cluster.newClient();
        long lsn = log.append(List.of(rec("x")));
        cluster.waitUntilApplied(lsn);
        int leader = cluster.waitForLeader();
        int target = (leader + 1) % cluster.size();
        log.transferLeadership(LogCluster.id(target));
        cluster.waitUntil("leadership moved to " + LogCluster.id(target), () -> cluster.waitForLeader() == target);

        cluster.waitUntil("group info names the new leader", () -> LogCluster.id(target).equals(log.groupInfo().leaderId()));
        GroupInfo info = log.groupInfo();
        assertThat(info.peers()).extracting(GroupInfo.PeerInfo::id).containsExactlyInAnyOrder("p1", "p2", "p3");
        assertThat(info.peers()).allSatisfy(p -> assertThat(p.lag()).isBetween(-1L, 100L));
        assertThat(log.append(List.of(rec("y")))).isGreaterThan(lsn);
    }

    /**
     * Without a co-located peer, reads go to the leader, whichever peer it is, and follow it when it
     * moves. Before, they went to the peer the Ratis client had heard of, which for a client that only
     * reads was the first peer of the group (or another client's last redirect): a follower in most runs.
     */
    @Test
    void aClientWithoutAPeerReadsFromTheLeaderAndFollowsIt() {
        RaftLogClient remote = cluster.newClient();
        RaftLogClient admin = cluster.newClient();
        int first = cluster.waitForLeader();
        for (int step = 1; step <= cluster.size(); step++) {
            String target = LogCluster.id((first + step) % cluster.size()); // the first peer, p1, comes up once
            admin.transferLeadership(target);
            cluster.waitUntil(target + " leads", () -> LogCluster.id(cluster.waitForLeader()).equals(target));
            long lsn = admin.append(List.of(rec(target)));
            // the read peer is asked again whether it leads once per election timeout
            cluster.waitUntil("reads of a client without a peer go to " + target,
                    () -> !remote.read(lsn, 1 << 20).entries().isEmpty() && remote.readPeer().equals(Optional.of(target)));
            assertThat(strings(remote.read(lsn, 1 << 20).entries())).containsExactly(target);
        }
    }

    /** A tail on a follower's own peer wakes for another client's append; one without a peer asks the leader. */
    @Test
    void awaitCommittedOnAFollowerWakesForAnotherClientsAppend() throws Exception {
        LogService writer = cluster.newClient();
        int follower = (cluster.waitForLeader() + 1) % cluster.size();
        LogService tail = cluster.newClientOn(follower);
        long last = writer.append(List.of(rec("x")));
        cluster.waitUntilApplied(last);

        long applied = cluster.peer(follower).stateMachine().appliedIndex();
        CompletableFuture<Long> woke = CompletableFuture.supplyAsync(() -> tail.awaitCommitted(applied, Duration.ofSeconds(10)));
        long next = writer.append(List.of(rec("y")));
        assertThat(woke.get(10, TimeUnit.SECONDS)).isGreaterThan(applied).isLessThanOrEqualTo(next);

        LogService remoteTail = cluster.newClient();
        assertThat(remoteTail.awaitCommitted(0, Duration.ofSeconds(1))).isGreaterThan(0);
    }

    /** The verdict is the state machine's, so every peer hides the same refused entries. */
    @Test
    void everyPeerReachesTheSameFencingVerdicts() {
        LogService log = cluster.newClient();
        long l1 = log.appendLease(1, "tn-a", rec("lease-a"));
        log.append(1, List.of(rec("a-epoch1")));
        log.append(List.of(rec("unconditional")));
        log.appendLease(2, "tn-b", rec("lease-b"));
        assertThatThrownBy(() -> log.append(1, List.of(rec("a-late")))).isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> log.appendLease(2, "tn-a", rec("x"))).isInstanceOf(StaleEpochException.class);
        log.appendLease(2, "tn-b", rec("renew"));
        long last = log.append(2, List.of(rec("b-epoch2")));

        cluster.waitUntilApplied(last);
        for (int i = 0; i < cluster.size(); i++) {
            List<LogEntry> all = cluster.readAll(i, 0);
            assertThat(strings(all)).containsExactly("a-epoch1", "unconditional", "b-epoch2");
            assertThat(all.stream().filter(e -> e.kind() == LogEntry.Kind.LEASE).map(LogEntry::holder))
                    .containsExactly("tn-a", "tn-b", "tn-b");
            assertThat(all.get(0).lsn()).isEqualTo(l1);
        }
    }

    @Test
    void truncationPurgesTheRaftLogOnEveryPeerAndSurvivesRebuildAndRestart() throws Exception {
        RaftLogClient log = cluster.newClient();
        log.appendLease(3, "tn", rec("lease"));
        byte[] payload = new byte[1024];
        List<Long> lsns = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lsns.add(log.append(3, List.of(("r" + i + ":").getBytes(StandardCharsets.UTF_8), payload)));
        }
        long point = lsns.get(200);
        assertThat(log.truncateBefore(point)).isEqualTo(point);
        long last = log.append(3, List.of(rec("after")));

        int leader = cluster.waitForLeader();
        cluster.waitUntil("leader purged its log before the truncation point",
                () -> cluster.peer(leader).logStartIndex() > 0);
        cluster.waitUntilApplied(last);
        for (int i = 0; i < cluster.size(); i++) {
            int peer = i;
            assertThatThrownBy(() -> cluster.readAll(peer, point - 1)).isInstanceOf(LogTruncatedException.class);
            List<LogEntry> tail = cluster.readAll(i, point);
            assertThat(tail).hasSize(101); // r200..r299 and "after"
            assertThat(tail.get(0).lsn()).isEqualTo(point);
            assertThat(new String(tail.get(0).records().get(0), StandardCharsets.UTF_8)).isEqualTo("r200:");
        }
        assertThat(cluster.peer(leader).logStartIndex()).isLessThanOrEqualTo(point);

        // A wiped follower is rebuilt from the leader's snapshot plus the log after it, with fencing intact.
        int follower = (leader + 1) % cluster.size();
        cluster.replaceWithEmpty(follower, log);
        cluster.waitUntilApplied(last);
        assertThat(cluster.readAll(follower, point)).hasSize(101);
        assertThat(cluster.peer(follower).stateMachine().status().lease().epoch()).isEqualTo(3);
        assertThatThrownBy(() -> log.append(2, List.of(rec("stale")))).isInstanceOf(StaleEpochException.class);

        // A restart from disk recovers from the snapshot and the log after it.
        cluster.restart(leader, true);
        long after = log.append(3, List.of(rec("after-restart")));
        cluster.waitUntilApplied(after);
        assertThat(cluster.readAll(leader, point)).hasSize(102);
    }
}
