package io.cairn.log;

import java.util.List;

/**
 * A point-in-time view of the log group, as reported by its leader (or, when no leader is
 * known, by the peer that answered, with {@code leaderId == null}).
 *
 * @param leaderId the current leader's peer id, or {@code null} if none is known
 * @param term the Raft term of the answering peer
 * @param commitIndex the answering peer's commit index
 * @param peers every voting peer with its commit index and lag behind {@code commitIndex}
 */
public record GroupInfo(String leaderId, long term, long commitIndex, List<PeerInfo> peers) {

    public GroupInfo {
        peers = List.copyOf(peers);
    }

    /**
     * One voting peer.
     *
     * @param id peer id, e.g. {@code p1}
     * @param address host:port of its Raft endpoint
     * @param commitIndex the peer's commit index as last known by the answering peer, -1 if unknown
     * @param lag {@code GroupInfo.commitIndex - commitIndex}, or -1 if unknown
     */
    public record PeerInfo(String id, String address, long commitIndex, long lag) {
    }
}
