package io.cairn.log.impl;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis' gRPC transport for the log peers, with one change on the leader: a follower that holds every
 * entry but not the latest commit index is told that index at once, by an empty AppendEntries.
 *
 * <p><b>Why.</b> In Ratis (3.1.3, and unchanged upstream) the leader's log appender, woken when the
 * commit index advances, builds a request only from entries the follower lacks; with none it sends
 * nothing, and the follower learns the commit index with the next entry or the next heartbeat, half the
 * minimum election timeout later (500 ms with Cairn's default). A follower applies an entry only once
 * it knows it is committed, so on a quiet log every peer but the leader applied each entry up to that
 * long after the leader. A compute node reads the log from its co-located peer, which is a follower on
 * every server but the log leader's: the wait for its own commit ({@code DataNode.commit}), and the read
 * barrier after a commit by another node, each took up to a heartbeat interval. Under load the next
 * entry carries the commit index, which is why only single clients saw it.
 *
 * <p><b>What changes.</b> When the appender would send nothing, the leader's commit index is above what
 * the follower reported and above what this appender already sent it, and no entries are on their way
 * to it (a request with entries in flight would carry no usable commit index; their reply wakes the
 * appender again), it sends the empty AppendEntries that Ratis uses as a heartbeat. That costs at most
 * one small request per follower and commit-index advance, and none when entries are flowing anyway.
 * Nothing else differs from {@link GrpcFactory}; the follower handles the request as any heartbeat.
 *
 * <p>Selected by class name through {@code raft.rpc.type} (see {@link RatisSetup#server}); Ratis
 * instantiates it with the public no-argument constructor. Clients keep the plain gRPC type.
 */
public final class PromptCommitRpcType implements RpcType {

    /** For Ratis, which instantiates the type named by {@code raft.rpc.type}. */
    public PromptCommitRpcType() {
    }

    @Override
    public String name() {
        return PromptCommitRpcType.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new Factory(parameters);
    }

    /** {@link GrpcFactory} whose leaders use {@link Appender}. */
    static final class Factory extends GrpcFactory {
        Factory(Parameters parameters) {
            super(parameters);
        }

        @Override
        public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
            return new Appender(server, state, follower);
        }
    }

    /**
     * The leader's appender for one follower. Ratis' loop already calls {@code newAppendEntriesRequest}
     * when the follower's reported commit index is behind the leader's (and it is woken when the
     * leader's commit index advances); only the empty answer changes.
     */
    static final class Appender extends GrpcLogAppender {
        /**
         * The highest commit index this appender has put in a request. Only the appender's own thread
         * builds requests (under Ratis' appender lock).
         */
        private long announced = -1;

        Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
            super(server, state, follower);
        }

        @Override
        public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
                throws RaftLogIOException {
            AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
            if (request == null && commitToAnnounce()) {
                request = super.newAppendEntriesRequest(callId, true);
            }
            if (request != null) {
                announced = Math.max(announced, request.getLeaderCommit());
            }
            return request;
        }

        private boolean commitToAnnounce() {
            long commit = getRaftLog().getLastCommittedIndex();
            return commit > announced && commit > getFollower().getCommitIndex() && !hasPendingDataRequests();
        }
    }
}
