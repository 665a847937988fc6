package io.cairn.proxy;

import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.server.ClientTls;
import io.cairn.node.ConfigException;
import io.cairn.node.tls.ClusterTls;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLException;

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
 * @param shutdownGrace    how long a stopping proxy lets open transactions finish
 *                         ({@code cairn.proxy.shutdown-grace-seconds})
 * @param tls              TLS for clients that ask for it (SSLRequest), or null when not configured
 *                         ({@link ClientTls}: shared with this server's compute node port)
 * @param clientLoginTimeout how long a client may take from connecting to being logged in (TLS, auth
 *                         switch and the compute node's login included); then it is disconnected
 * @param netReadTimeout   how long a client may pause in the middle of a packet; then it is disconnected
 * @param netWriteTimeout  how long a client may read nothing while answers wait for it; then it is disconnected
 * @param clusterTls       cluster TLS towards compute nodes on other servers (presents this server's cluster
 *                         certificate, trusts only the cluster CA), or null when cluster TLS is not configured
 */
public record ProxySettings(String host, int port, int maxConnections, long maxAllowedPacket, byte[] secret,
        boolean localOnly, GroupRules groupRules, Duration connectTimeout, Duration loginTimeout,
        String serverVersion, Duration shutdownGrace, TlsUpgrader tls, Duration clientLoginTimeout,
        Duration netReadTimeout, Duration netWriteTimeout, SslContext clusterTls) {

    public static final String MAX_CONNECTIONS = "cairn.proxy.max-connections";
    public static final String USER_GROUPS = "cairn.proxy.user-groups";
    public static final String SHUTDOWN_GRACE = "cairn.proxy.shutdown-grace-seconds";

    /**
     * Reads the proxy's own properties.
     *
     * @param clusterSecret {@code cairn.cluster.secret}, or null when unset
     * @param jvmSecret     the secret used instead when it is unset (shared with this server's CN)
     * @throws ConfigException naming the bad property
     */
    public static ProxySettings load(String host, int port, String clusterSecret, byte[] jvmSecret,
            Function<String, Optional<String>> lookup) {
        return load(host, port, clusterSecret, jvmSecret, ClientTls.load(lookup), lookup);
    }

    /**
     * Reads the proxy's own properties, with TLS already loaded ({@link ClientTls#load}).
     *
     * @param tls the client-facing TLS, or null for none
     */
    public static ProxySettings load(String host, int port, String clusterSecret, byte[] jvmSecret, TlsUpgrader tls,
            Function<String, Optional<String>> lookup) {
        int max = intSetting(lookup, MAX_CONNECTIONS, 4096, 1, 100_000);
        int grace = intSetting(lookup, SHUTDOWN_GRACE, 10, 0, 3600);
        GroupRules rules;
        try {
            rules = GroupRules.parse(lookup.apply(USER_GROUPS).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(USER_GROUPS, e.getMessage());
        }
        boolean localOnly = clusterSecret == null;
        byte[] secret = localOnly ? jvmSecret : clusterSecret.getBytes(StandardCharsets.UTF_8);
        // the compute nodes' defaults (MySQL's connect_timeout, net_read_timeout, net_write_timeout)
        return new ProxySettings(host, port, max, 64L * 1024 * 1024, secret, localOnly, rules,
                Duration.ofSeconds(2), Duration.ofSeconds(5), "8.0.36-cairn", Duration.ofSeconds(grace), tls,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), null);
    }

    /** The same settings, logging in to compute nodes over cluster TLS with {@code certificates}. */
    public ProxySettings withClusterTls(ClusterCertificates certificates) {
        SslContext context;
        try {
            context = certificates.clientContext();
        } catch (SSLException e) {
            throw new ConfigException(ClusterTls.KEY_STORE, "cannot make a TLS client context: " + e.getMessage());
        }
        return new ProxySettings(host, port, maxConnections, maxAllowedPacket, secret, localOnly, groupRules,
                connectTimeout, loginTimeout, serverVersion, shutdownGrace, tls, clientLoginTimeout, netReadTimeout,
                netWriteTimeout, context);
    }

    private static int intSetting(Function<String, Optional<String>> lookup, String key, int otherwise, int min,
            int max) {
        String raw = lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(String.valueOf(otherwise));
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new ConfigException(key, "'" + raw + "' is not a number from " + min + " to " + max);
        }
        return value;
    }
}
