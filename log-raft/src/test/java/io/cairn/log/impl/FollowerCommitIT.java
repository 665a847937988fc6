package io.cairn.log.impl;

import io.cairn.log.LogService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower learns every commit index from the leader at once ({@link PromptCommitRpcType}), not with
 * the leader's next entry or heartbeat. A compute node reads the log from its co-located peer, usually a
 * follower, and waits for it to apply its own commits and, at each read barrier, everything committed
 * before: on a quiet log each such wait took up to a heartbeat interval.
 *
 * <p>How the timing is asserted: the election timeout is 4 s, so Ratis' heartbeat interval (half the
 * minimum election timeout) is 2 s, and nothing but the test writes. Without the prompt commit index a
 * follower applies each entry only with the next heartbeat, about 2 s after the append; with it, within
 * a loopback round trip (milliseconds). The bound, 1 s, is half the heartbeat interval; it must hold for
 * at least 4 of 5 entries, so one scheduling hiccup on a busy machine does not fail the test.
 */
class FollowerCommitIT {
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(4);
    private static final long BOUND_MS = ELECTION_TIMEOUT.toMillis() / 4;
    private static final int ROUNDS = 5;

    private LogCluster cluster;
    private int leader;
    private int follower;

    @BeforeEach
    void start() throws Exception {
        cluster = LogCluster.builder().peers(3).electionTimeout(ELECTION_TIMEOUT)
                .appendTimeout(Duration.ofSeconds(5)).build();
        leader = cluster.waitForLeader();
        follower = (leader + 1) % cluster.size();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFollowerAppliesEachCommittedEntryWithoutWaitingForAHeartbeat() {
        LogService writer = cluster.newClientOn(leader);
        writer.append(List.of(new byte[] {0})); // connections up, leader ready
        LogStateMachine onFollower = cluster.peer(follower).stateMachine();
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            long lsn = writer.append(List.of(new byte[] {(byte) i}));
            long acknowledged = System.nanoTime();
            cluster.waitUntil("follower " + LogCluster.id(follower) + " applied " + lsn,
                    () -> onFollower.appliedIndex() >= lsn);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acknowledged));
        }
        assertThat(millis.stream().filter(ms -> ms < BOUND_MS).count())
                .as("ms from each acknowledged append until follower %s applied it (heartbeat every %d ms): %s",
                        LogCluster.id(follower), ELECTION_TIMEOUT.toMillis() / 2, millis)
                .isGreaterThanOrEqualTo(ROUNDS - 1);
    }

    @Test
    void aReadBarrierOnAFollowerAnswersRightAfterACommit() {
        LogService writer = cluster.newClientOn(leader);
        LogService onFollower = cluster.newClientOn(follower);
        writer.append(List.of(new byte[] {0}));
        onFollower.commitIndex();
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            long lsn = writer.append(List.of(new byte[] {(byte) i}));
            long start = System.nanoTime();
            // the follower asks the leader for its commit index and answers once it has applied up to it
            long barrier = onFollower.commitIndex();
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(barrier).isGreaterThanOrEqualTo(lsn);
        }
        assertThat(millis.stream().filter(ms -> ms < BOUND_MS).count())
                .as("ms of each read barrier on follower %s right after a commit (heartbeat every %d ms): %s",
                        LogCluster.id(follower), ELECTION_TIMEOUT.toMillis() / 2, millis)
                .isGreaterThanOrEqualTo(ROUNDS - 1);
    }
}
