package io.cairn.proxy;

import io.cairn.node.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The validated settings of this server's proxy.
 *
 * @param host             address of the client-facing port
 * @param port             the client-facing MySQL port ({@code cairn.proxy.port})
 * @param maxConnections   client connections at once; more get ERR 1040 ({@code cairn.proxy.max-connections})
 * @param maxAllowedPacket largest client packet in bytes
 * @param secret           the cluster secret for {@code cairn_proxy} logins to compute nodes
 * @param localOnly        no cluster secret is configured: the secret is this JVM's own, so only the
 *                         compute node of this server accepts the proxy
 * @param groupRules       user to CN group rules ({@code cairn.proxy.user-groups})
 * @param connectTimeout   to open a connection to a compute node
 * @param loginTimeout     for a compute node to greet and to answer the login
 * @param serverVersion    version announced to clients
 */
public record ProxySettings(String host, int port, int maxConnections, long maxAllowedPacket, byte[] secret,
        boolean localOnly, GroupRules groupRules, Duration connectTimeout, Duration loginTimeout,
        String serverVersion) {

    public static final String MAX_CONNECTIONS = "cairn.proxy.max-connections";
    public static final String USER_GROUPS = "cairn.proxy.user-groups";

    /**
     * Reads the proxy's own properties.
     *
     * @param clusterSecret {@code cairn.cluster.secret}, or null when unset
     * @param jvmSecret     the secret used instead when it is unset (shared with this server's CN)
     * @throws ConfigException naming the bad property
     */
    public static ProxySettings load(String host, int port, String clusterSecret, byte[] jvmSecret,
            Function<String, Optional<String>> lookup) {
        int max;
        String rawMax = lookup.apply(MAX_CONNECTIONS).map(String::trim).filter(v -> !v.isEmpty()).orElse("4096");
        try {
            max = Integer.parseInt(rawMax);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > 100_000) {
            throw new ConfigException(MAX_CONNECTIONS, "'" + rawMax + "' is not a number from 1 to 100000");
        }
        GroupRules rules;
        try {
            rules = GroupRules.parse(lookup.apply(USER_GROUPS).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(USER_GROUPS, e.getMessage());
        }
        boolean localOnly = clusterSecret == null;
        byte[] secret = localOnly ? jvmSecret : clusterSecret.getBytes(StandardCharsets.UTF_8);
        return new ProxySettings(host, port, max, 64L * 1024 * 1024, secret, localOnly, rules,
                Duration.ofSeconds(2), Duration.ofSeconds(5), "8.0.36-cairn");
    }
}
