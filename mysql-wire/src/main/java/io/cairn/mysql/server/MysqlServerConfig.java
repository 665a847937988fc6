package io.cairn.mysql.server;

import io.cairn.mysql.AuthPlugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link MysqlServer}, validated once when built (an invalid value fails with a message
 * naming the property).
 *
 * @param host                    address to bind, e.g. "127.0.0.1"
 * @param port                    TCP port; 0 picks a free port (see {@link MysqlServer#port()})
 * @param ioThreads               Netty event loop threads (decode/encode only), 1..64; by default one per
 *                                processor, at most 8 (the server's proxy shares them)
 * @param handlerThreads          threads kept for {@link io.cairn.mysql.SessionHandler} calls, 1..1024; more
 *                                are started while more connections are busy (a call blocks while its
 *                                commit reaches the log or it waits for a row lock), up to maxConnections
 * @param maxConnections          connections served at once; more get ERR 1040, 1..100000
 * @param maxAllowedPacket        largest client packet in bytes (1 KiB .. 1 GiB); bigger gets ERR 1153 and
 *                                the connection is closed
 * @param maxPreparedStatements   prepared statements per connection; more get ERR 1461
 * @param serverVersion           version announced in the handshake; should start with "8.0." so that
 *                                clients use MySQL 8 behaviour
 * @param defaultAuthPlugin       plugin announced in the handshake
 * @param tlsUpgrader             TLS for clients that ask for it (its key store, protocols, ciphers and
 *                                reloading), or null for no TLS; one may be shared with other servers
 * @param proxySecret             the cluster secret that lets a Cairn proxy log in with
 *                                {@link ProxyLogin#PLUGIN}, or null to refuse such logins
 * @param clusterCertificates     the cluster PKI, or null: with it the port offers TLS with the cluster
 *                                certificate (instead of tlsUpgrader's), requests a client certificate,
 *                                and accepts a {@link ProxyLogin} over TCP only from a peer that presented
 *                                one the cluster CA signed (the in-JVM address stays trusted)
 * @param localName               name of an in-JVM address ({@link io.netty.channel.local.LocalAddress})
 *                                served besides the TCP port, for a proxy in the same JVM; or null
 * @param connectTimeout          how long a client may take from connecting to being logged in (TLS and
 *                                auth switch included); then the connection is closed (MySQL's
 *                                connect_timeout), 100 ms .. 1 h
 * @param netReadTimeout          how long a client may pause in the middle of a packet; then the connection
 *                                is closed (MySQL's net_read_timeout; an idle connection between commands is
 *                                not affected), 100 ms .. 1 h
 * @param netWriteTimeout         how long an answer may wait for a client that does not read it; then the
 *                                connection is closed (MySQL's net_write_timeout), 100 ms .. 1 h
 */
public record MysqlServerConfig(String host, int port, int ioThreads, int handlerThreads, int maxConnections,
                                long maxAllowedPacket, int maxPreparedStatements, String serverVersion,
                                AuthPlugin defaultAuthPlugin, TlsUpgrader tlsUpgrader,
                                byte[] proxySecret, ClusterCertificates clusterCertificates, String localName,
                                Duration connectTimeout, Duration netReadTimeout, Duration netWriteTimeout) {

    public static final long DEFAULT_MAX_ALLOWED_PACKET = 64L * 1024 * 1024;
    /**
     * The largest packet a client may send before it is logged in: no handshake response or auth answer
     * needs more, and an unauthenticated client must not make the server buffer max_allowed_packet.
     */
    public static final int MAX_HANDSHAKE_PACKET = 64 * 1024;

    public MysqlServerConfig {
        Objects.requireNonNull(host, "host");
        check(port >= 0 && port <= 65535, "port", port);
        check(ioThreads >= 1 && ioThreads <= 64, "ioThreads", ioThreads);
        check(handlerThreads >= 1 && handlerThreads <= 1024, "handlerThreads", handlerThreads);
        check(maxConnections >= 1 && maxConnections <= 100_000, "maxConnections", maxConnections);
        check(maxAllowedPacket >= 1024 && maxAllowedPacket <= 1024L * 1024 * 1024, "maxAllowedPacket",
                maxAllowedPacket);
        check(maxPreparedStatements >= 1 && maxPreparedStatements <= 1_000_000, "maxPreparedStatements",
                maxPreparedStatements);
        check(serverVersion != null && !serverVersion.isEmpty() && serverVersion.indexOf('\0') < 0,
                "serverVersion", serverVersion);
        Objects.requireNonNull(defaultAuthPlugin, "defaultAuthPlugin");
        check(proxySecret == null || proxySecret.length >= 16, "proxySecret", "at least 16 bytes");
        check(timeout(connectTimeout), "connectTimeout", connectTimeout);
        check(timeout(netReadTimeout), "netReadTimeout", netReadTimeout);
        check(timeout(netWriteTimeout), "netWriteTimeout", netWriteTimeout);
    }

    private static boolean timeout(Duration d) {
        return d != null && d.toMillis() >= 100 && d.compareTo(Duration.ofHours(1)) <= 0;
    }

    private static void check(boolean ok, String property, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid MySQL server setting " + property + ": " + value);
        }
    }

    /**
     * Loopback defaults: 127.0.0.1:6101, 1 I/O thread, 64 handler threads, 1000 connections, 64 MiB packets,
     * MySQL's timeouts (connect 10 s, net read 30 s, net write 60 s).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether TLS is configured (a key store or the cluster PKI). */
    public boolean tls() {
        return tlsUpgrader != null || clusterCertificates != null;
    }

    /** Builder with the defaults of {@link #builder()}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6101;
        // One loop carried every socket and in-JVM relay of the all-in-one server: 20 % fewer point selects on 2 cores.
        private int ioThreads = Math.min(8, Runtime.getRuntime().availableProcessors());
        private int handlerThreads = 64;
        private int maxConnections = 1000;
        private long maxAllowedPacket = DEFAULT_MAX_ALLOWED_PACKET;
        private int maxPreparedStatements = 16_382;
        private String serverVersion = "8.0.36-cairn";
        private AuthPlugin defaultAuthPlugin = AuthPlugin.CACHING_SHA2_PASSWORD;
        private TlsUpgrader tlsUpgrader;
        private byte[] proxySecret;
        private ClusterCertificates clusterCertificates;
        private String localName;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration netReadTimeout = Duration.ofSeconds(30);
        private Duration netWriteTimeout = Duration.ofSeconds(60);

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder handlerThreads(int v) {
            handlerThreads = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxAllowedPacket(long v) {
            maxAllowedPacket = v;
            return this;
        }

        public Builder maxPreparedStatements(int v) {
            maxPreparedStatements = v;
            return this;
        }

        public Builder serverVersion(String v) {
            serverVersion = v;
            return this;
        }

        public Builder defaultAuthPlugin(AuthPlugin v) {
            defaultAuthPlugin = v;
            return this;
        }

        public Builder tls(Path keyStore, char[] password) {
            tlsUpgrader = keyStore == null ? null : TlsUpgrader.fromKeyStore(keyStore, password);
            return this;
        }

        /** TLS with an upgrader that may also serve another port (one reload covers both). */
        public Builder tls(TlsUpgrader v) {
            tlsUpgrader = v;
            return this;
        }

        public Builder proxySecret(byte[] v) {
            proxySecret = v == null ? null : v.clone();
            return this;
        }

        public Builder clusterCertificates(ClusterCertificates v) {
            clusterCertificates = v;
            return this;
        }

        public Builder localName(String v) {
            localName = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder netReadTimeout(Duration v) {
            netReadTimeout = v;
            return this;
        }

        public Builder netWriteTimeout(Duration v) {
            netWriteTimeout = v;
            return this;
        }

        public MysqlServerConfig build() {
            return new MysqlServerConfig(host, port, ioThreads, handlerThreads, maxConnections, maxAllowedPacket,
                    maxPreparedStatements, serverVersion, defaultAuthPlugin, tlsUpgrader,
                    proxySecret, clusterCertificates, localName, connectTimeout, netReadTimeout, netWriteTimeout);
        }
    }
}
