package io.cairn.log.impl;

import io.cairn.log.GroupInfo;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The peer a client without a co-located peer sends its stale reads, long polls and read barriers to
 * first: the leader, as last looked up ({@link #target()}).
 *
 * <p>Thread-safe.
 */
final class RemoteReadPeer {
    private final RatisClients clients;
    /** How long a looked-up read peer is used before asking again whether it still leads. */
    private final long recheckNanos;
    /** The leader as last found through group info (null before the first read). */
    private volatile RaftPeerId peer;
    /** When {@link #peer} was last looked up ({@code System.nanoTime()}); 0 forces a look-up. */
    private volatile long checkedNanos;
    private final AtomicBoolean lookingUp = new AtomicBoolean();

    RemoteReadPeer(RatisClients clients, LogConfig config) {
        this.clients = clients;
        this.recheckNanos = config.electionTimeout().toNanos();
    }

    /**
     * Where a client without a co-located peer reads: the leader, found by asking the peers for their
     * group info, and asked again whether it still leads once per election timeout (and after it failed
     * to answer). Reading from the leader matters for latency: a follower applies an entry only after the
     * leader has told it the entry is committed, one more round trip (see {@link PromptCommitRpcType}).
     * Before, reads went to the leader the Ratis client had heard of, which for a client that only reads
     * was the first peer of the group or whatever another client in this JVM had last been redirected
     * to, so a remote compute node read from a follower in some runs and from the leader in others.
     * One thread looks up at a time; the others meanwhile use the previous answer.
     *
     * @return the peer to read from first, or null when none is known yet (then every peer in order)
     */
    RaftPeerId target() {
        RaftPeerId current = peer;
        if ((current == null || System.nanoTime() - checkedNanos > recheckNanos)
                && lookingUp.compareAndSet(false, true)) {
            try {
                current = findLeader(current);
                peer = current;
                checkedNanos = System.nanoTime();
            } finally {
                lookingUp.set(false);
            }
        }
        return current;
    }

    /** The read peer failed to answer: look the leader up again at the next read. */
    void recheck() {
        checkedNanos = 0;
    }

    /** The leader as last found, empty before the first read. */
    Optional<String> current() {
        return Optional.ofNullable(peer).map(RaftPeerId::toString);
    }

    /**
     * The leader as the peers report it: {@code hint} first, then the leader a peer names, then the
     * others, each asked at most once, until one says it leads; {@code hint} when none does.
     */
    private RaftPeerId findLeader(RaftPeerId hint) {
        Deque<RaftPeerId> toAsk = new ArrayDeque<>();
        Optional.ofNullable(hint).ifPresent(toAsk::add);
        clients.group().getPeers().forEach(p -> toAsk.add(p.getId()));
        Set<RaftPeerId> asked = new HashSet<>();
        while (!toAsk.isEmpty() && !clients.isClosed()) {
            RaftPeerId id = toAsk.poll();
            if (!asked.add(id)) {
                continue;
            }
            try {
                GroupInfo info = RatisGroupAdmin.toGroupInfo(
                        clients.probe().getGroupManagementApi(id).info(clients.group().getGroupId()));
                if (id.toString().equals(info.leaderId())) {
                    return id;
                }
                if (info.leaderId() != null) {
                    toAsk.addFirst(RaftPeerId.valueOf(info.leaderId()));
                }
            } catch (IOException | StatusRuntimeException e) {
                // down or unreachable: ask the next one
            }
        }
        return hint;
    }
}
