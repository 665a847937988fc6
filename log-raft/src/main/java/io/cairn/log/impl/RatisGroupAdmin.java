package io.cairn.log.impl;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogUnavailableException;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link LogAdmin} over Ratis: group info asked of each peer in turn until the leader answers;
 * leadership transfers and membership changes ({@code setConfiguration}) through the reading client,
 * which finds the leader.
 *
 * <p>Thread-safe; holds no state of its own.
 */
final class RatisGroupAdmin implements LogAdmin {
    private final RatisClients clients;
    private final long timeoutMs;

    RatisGroupAdmin(RatisClients clients, long timeoutMs) {
        this.clients = clients;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public GroupInfo groupInfo() {
        List<RaftPeerId> candidates = new ArrayList<>();
        Optional.ofNullable(clients.reader().getLeaderId()).ifPresent(candidates::add);
        clients.group().getPeers().forEach(p -> candidates.add(p.getId()));
        GroupInfo fallback = null;
        Exception lastError = null;
        for (RaftPeerId id : candidates) {
            try {
                GroupInfoReply info = clients.probe().getGroupManagementApi(id).info(clients.group().getGroupId());
                GroupInfo gi = toGroupInfo(info);
                if (id.toString().equals(gi.leaderId())) {
                    return gi;
                }
                if (fallback == null) {
                    fallback = gi;
                }
            } catch (IOException | StatusRuntimeException e) {
                lastError = e; // this peer is down or unreachable: ask the next one
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new LogUnavailableException("no log peer answered a group info request", lastError);
    }

    /** One peer's answer to a group info request, as that peer sees the group. */
    static GroupInfo toGroupInfo(GroupInfoReply info) {
        var role = info.getRoleInfoProto();
        String self = RaftPeerId.valueOf(role.getSelf().getId()).toString();
        String leader = null;
        long term = 0;
        if (role.getRole() == RaftPeerRole.LEADER) {
            leader = self;
            term = role.getLeaderInfo().getTerm();
        } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) { // empty while no leader is known
            leader = RaftPeerId.valueOf(role.getFollowerInfo().getLeaderInfo().getId().getId()).toString();
        }
        long commit = -1;
        for (CommitInfoProto ci : info.getCommitInfos()) {
            if (RaftPeerId.valueOf(ci.getServer().getId()).toString().equals(self)) {
                commit = ci.getCommitIndex();
            }
        }
        List<GroupInfo.PeerInfo> peers = new ArrayList<>();
        for (RaftPeer p : info.getGroup().getPeers()) {
            long pc = -1;
            for (CommitInfoProto ci : info.getCommitInfos()) {
                if (RaftPeerId.valueOf(ci.getServer().getId()).equals(p.getId())) {
                    pc = ci.getCommitIndex();
                }
            }
            peers.add(new GroupInfo.PeerInfo(p.getId().toString(), p.getAddress(), pc,
                    pc < 0 || commit < 0 ? -1 : Math.max(0, commit - pc)));
        }
        return new GroupInfo(leader, term, commit, peers);
    }

    @Override
    public void transferLeadership(String peerId) {
        try {
            RaftClientReply reply = clients.reader().admin().transferLeadership(RaftPeerId.valueOf(peerId), timeoutMs);
            if (!reply.isSuccess()) {
                throw RatisFailures.toLogException(reply.getException());
            }
        } catch (IOException e) {
            throw RatisFailures.toLogException(e);
        }
    }

    @Override
    public void addPeer(String peerId, String address) {
        List<RaftPeer> peers = new ArrayList<>(currentPeers());
        if (peers.stream().anyMatch(p -> p.getId().toString().equals(peerId))) {
            return;
        }
        peers.add(RatisSetup.peer(peerId, address));
        setConfiguration(peers);
    }

    @Override
    public void removePeer(String peerId) {
        List<RaftPeer> peers = new ArrayList<>(currentPeers());
        if (!peers.removeIf(p -> p.getId().toString().equals(peerId))) {
            return;
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("cannot remove the last peer " + peerId);
        }
        setConfiguration(peers);
    }

    private List<RaftPeer> currentPeers() {
        GroupInfo gi = groupInfo();
        List<RaftPeer> peers = new ArrayList<>();
        for (GroupInfo.PeerInfo p : gi.peers()) {
            peers.add(RatisSetup.peer(p.id(), p.address()));
        }
        return peers;
    }

    private void setConfiguration(List<RaftPeer> peers) {
        try {
            RaftClientReply reply = clients.reader().admin().setConfiguration(peers);
            if (!reply.isSuccess()) {
                throw RatisFailures.toLogException(reply.getException());
            }
        } catch (IOException e) {
            throw RatisFailures.toLogException(e);
        }
    }
}
