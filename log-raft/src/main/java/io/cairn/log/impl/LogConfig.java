package io.cairn.log.impl;

import io.cairn.node.ConfigException;
import io.cairn.node.tls.ClusterTls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validated configuration of a log peer and its client. Built once at start-up; every
 * problem is reported as a {@link ConfigException} naming the property.
 *
 * @param peers the voting peers of the group
 * @param selfId this server's peer id, or {@code null} for a client that runs no peer
 * @param dataDir the directory holding this peer's Raft log and snapshots
 * @param groupName the group name; the Raft group id is derived from it
 * @param appendTimeout bound of every call that needs a majority
 * @param lagThreshold readiness: the most log entries this peer may be behind the leader
 * @param electionTimeout minimum Raft election timeout (the maximum is twice that)
 * @param segmentSizeBytes size at which the Raft log rolls to a new segment (purge works per segment)
 * @param tls the cluster PKI: with it every gRPC channel (peer to peer, client, admin) is mutual TLS
 *            and takes only peers whose certificate the cluster CA signed; {@code null}: plain gRPC
 */
public record LogConfig(List<PeerSpec> peers, String selfId, Path dataDir, String groupName,
                        Duration appendTimeout, long lagThreshold, Duration electionTimeout,
                        long segmentSizeBytes, ClusterTls tls) {

    public static final String PEERS = "cairn.log.peers";
    public static final String SELF = "cairn.log.self";
    public static final String DIR = "cairn.log.dir";
    public static final String GROUP = "cairn.log.group";
    public static final String APPEND_TIMEOUT_MS = "cairn.log.appendTimeoutMs";
    public static final String LAG_THRESHOLD = "cairn.log.lagThreshold";
    public static final String ELECTION_TIMEOUT_MS = "cairn.log.electionTimeoutMs";
    public static final String SEGMENT_SIZE = "cairn.log.segmentSizeBytes";

    public static final String DEFAULT_PEERS = "p1=127.0.0.1:6201";
    public static final String DEFAULT_GROUP = "cairn-log";
    public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_LAG_THRESHOLD = 1000;
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);
    public static final long DEFAULT_SEGMENT_SIZE = 32L << 20;

    /** One voting peer: id and Raft endpoint. */
    public record PeerSpec(String id, String host, int port) {
        public String address() {
            return host + ":" + port;
        }
    }

    public LogConfig {
        peers = List.copyOf(peers);
        if (peers.isEmpty()) {
            throw new ConfigException(PEERS, "must name at least one peer");
        }
        if (selfId != null && peers.stream().noneMatch(p -> p.id().equals(selfId))) {
            throw new ConfigException(SELF, "'" + selfId + "' is not one of the peers in " + PEERS);
        }
        if (selfId != null && dataDir == null) {
            throw new ConfigException(DIR, "is required for a log peer");
        }
        if (groupName == null || groupName.isBlank()) {
            throw new ConfigException(GROUP, "must not be empty");
        }
        requirePositive(APPEND_TIMEOUT_MS, appendTimeout);
        requirePositive(ELECTION_TIMEOUT_MS, electionTimeout);
        if (lagThreshold < 0) {
            throw new ConfigException(LAG_THRESHOLD, "must be >= 0, was " + lagThreshold);
        }
        if (segmentSizeBytes < 64 * 1024) {
            throw new ConfigException(SEGMENT_SIZE, "must be at least 65536, was " + segmentSizeBytes);
        }
    }

    /**
     * Reads the configuration from a property lookup (MicroProfile Config, system properties, a map),
     * applying the documented defaults.
     */
    public static LogConfig fromProperties(Function<String, Optional<String>> lookup) {
        List<PeerSpec> peers = parsePeers(lookup.apply(PEERS).orElse(DEFAULT_PEERS));
        String self = lookup.apply(SELF).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        Path dir = lookup.apply(DIR).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).orElse(null);
        String group = lookup.apply(GROUP).orElse(DEFAULT_GROUP).trim();
        Duration appendTimeout = Duration.ofMillis(parseLong(lookup, APPEND_TIMEOUT_MS, DEFAULT_APPEND_TIMEOUT.toMillis()));
        long lag = parseLong(lookup, LAG_THRESHOLD, DEFAULT_LAG_THRESHOLD);
        Duration election = Duration.ofMillis(parseLong(lookup, ELECTION_TIMEOUT_MS, DEFAULT_ELECTION_TIMEOUT.toMillis()));
        long segment = parseLong(lookup, SEGMENT_SIZE, DEFAULT_SEGMENT_SIZE);
        ClusterTls tls = ClusterTls.load(lookup).orElse(null);
        return new LogConfig(peers, self, dir, group, appendTimeout, lag, election, segment, tls);
    }

    /** Parses {@code p1=127.0.0.1:6201,p2=127.0.0.1:6202}. */
    public static List<PeerSpec> parsePeers(String value) {
        List<PeerSpec> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String part : value.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            int colon = item.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == item.length() - 1) {
                throw new ConfigException(PEERS, "'" + item + "' is not of the form id=host:port");
            }
            String id = item.substring(0, eq).trim();
            String host = item.substring(eq + 1, colon).trim();
            int port;
            try {
                port = Integer.parseInt(item.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(PEERS, "'" + item + "' has a non-numeric port");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(PEERS, "'" + item + "' has a port outside 1..65535");
            }
            if (!ids.add(id)) {
                throw new ConfigException(PEERS, "peer id '" + id + "' appears twice");
            }
            peers.add(new PeerSpec(id, host, port));
        }
        if (peers.isEmpty()) {
            throw new ConfigException(PEERS, "must name at least one peer (id=host:port,...)");
        }
        return peers;
    }

    /** This peer's own entry; only for a configuration with a {@link #selfId()}. */
    public PeerSpec self() {
        return peers.stream().filter(p -> p.id().equals(selfId)).findFirst()
                .orElseThrow(() -> new ConfigException(SELF, "no peer is configured for this server"));
    }

    /** The same configuration for another peer of the group (used by test fixtures). */
    public LogConfig withSelf(String id, Path dir) {
        return new LogConfig(peers, id, dir, groupName, appendTimeout, lagThreshold, electionTimeout, segmentSizeBytes, tls);
    }

    /** The same configuration with other TLS material ({@code null}: plain), e.g. a client of another CA. */
    public LogConfig withTls(ClusterTls other) {
        return new LogConfig(peers, selfId, dataDir, groupName, appendTimeout, lagThreshold, electionTimeout,
                segmentSizeBytes, other);
    }

    private static long parseLong(Function<String, Optional<String>> lookup, String key, long dflt) {
        Optional<String> v = lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + v.get() + "' is not a whole number");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(key, "must be positive, was " + d);
        }
    }
}
