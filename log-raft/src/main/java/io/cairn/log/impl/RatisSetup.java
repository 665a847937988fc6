package io.cairn.log.impl;

import io.cairn.log.LogService;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Turns a {@link LogConfig} into Ratis group and properties; the one place Ratis is tuned. */
final class RatisSetup {
    /** Room in a Raft entry beyond its records: the data command's header, record lengths' slack, Ratis' proto fields. */
    static final int ENTRY_FRAMING = 64 << 10;

    private RatisSetup() {
    }

    static RaftGroupId groupId(String groupName) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("cairn-log:" + groupName).getBytes(StandardCharsets.UTF_8)));
    }

    static RaftPeer peer(String id, String address) {
        return RaftPeer.newBuilder().setId(id).setAddress(address).build();
    }

    static RaftGroup group(LogConfig config) {
        List<RaftPeer> peers = config.peers().stream().map(p -> peer(p.id(), p.address())).toList();
        return RaftGroup.valueOf(groupId(config.groupName()), peers);
    }

    /** Properties shared by the server and the clients. */
    static RaftProperties common(LogConfig config) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        TimeDuration request = ms(config.appendTimeout().toMillis());
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, request);
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, request);
        return p;
    }

    /**
     * What Ratis takes besides properties: with cluster TLS, one mutual-TLS config that Ratis' gRPC
     * factory ({@code GrpcFactory}, which {@link PromptCommitRpcType} extends) uses for the peer-to-peer,
     * client and admin channels alike, as server and as client: each side presents its cluster
     * certificate and accepts only a chain ending at the cluster CA (the server side requires a client
     * certificate). Clients and servers both need it.
     */
    static Parameters parameters(LogConfig config) {
        Parameters parameters = new Parameters();
        if (config.tls() != null) {
            GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(config.tls().material().keyManager(),
                    config.tls().material().trustManager(), true));
        }
        return parameters;
    }

    /** Closed segments whose entries may stay cached on the heap, besides the open one. */
    static final int SEGMENT_CACHE_SEGMENTS = 2;

    /** The heap the cached entries may take: two segments, at most a sixteenth of the heap, at least 8 MiB. */
    static long segmentCacheBytes(LogConfig config) {
        return Math.max(8L << 20, Math.min(2 * config.segmentSizeBytes(), Runtime.getRuntime().maxMemory() / 16));
    }

    static RaftProperties server(LogConfig config) {
        RaftProperties p = common(config);
        // gRPC, but a leader tells each caught-up follower of every commit-index advance at once
        // (Ratis waits for the next entry or heartbeat): see PromptCommitRpcType.
        RaftConfigKeys.Rpc.setType(p, new PromptCommitRpcType());
        LogConfig.PeerSpec self = config.self();
        GrpcConfigKeys.Server.setHost(p, self.host()); // the peer's own address, not every interface
        GrpcConfigKeys.Server.setPort(p, self.port());
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().toFile()));

        long election = config.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(election));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(2 * election));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, ms(election));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, ms(2 * election));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // A leader that stepped down for lost heartbeats (it was paused or cut off) does not stand for
        // election again for this long, and a leader paused this long steps down. Ratis' 10 s default left
        // the log without a leader for ~10 s when the new leader failed within 10 s of such a step-down:
        // the remaining majority needs the old leader's candidacy or vote (chaos suite: a pause, then the
        // isolation of the next leader). Two maximum election timeouts.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, ms(4 * election));

        // Durability: every entry is fsync'ed before it counts toward the majority (the writer
        // syncs whenever its queue drains, so concurrent entries share one fsync).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // No commit-index metadata entries: they would double the log writes; a restarted peer
        // learns the commit index from the leader instead.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.segmentSizeBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(config.segmentSizeBytes(), 4L << 20)));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf((8L << 20) + (64 << 10)));
        // Entries kept on the heap for readers near the tail: Ratis' default (6 segments, up to 200 MB) took a
        // fifth of a 1 GB server in a bulk load; readers further behind read the segment files.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, SEGMENT_CACHE_SEGMENTS);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(segmentCacheBytes(config)));
        // Send new entries to followers at once (the default waits up to 1 ms after the previous send).
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        // Also the largest entry Ratis accepts: LogService.MAX_APPEND_BYTES plus room for the command header
        // and Ratis' own framing of the entry.
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(LogService.MAX_APPEND_BYTES + ENTRY_FRAMING));

        // Linearizable reads (commitIndex barrier) use ReadIndex. A leader that heard from a
        // majority within its lease (a fraction of the minimum election timeout, before which no
        // other peer can be elected) answers without a heartbeat round.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Read.setTimeout(p, ms(config.appendTimeout().toMillis()));

        // Snapshots only on truncation; purge whole segments right after each snapshot, but never
        // beyond what every follower has committed (so a lagging follower is fed from the log).
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, false);
        return p;
    }

    static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }
}
