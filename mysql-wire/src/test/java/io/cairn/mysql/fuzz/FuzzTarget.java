package io.cairn.mysql.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A MySQL port to fuzz and what the fuzzer may assume about the server behind it: its users, a
 * statement that echoes its parameters, a query with a big answer, its limits and timeouts, and
 * checks of its inner state that must hold after every case. Built with {@link #builder}.
 *
 * @param echoPrefix      prefix of a statement that, prepared with {@code ?, ?, …} after it, echoes its
 *                        parameters as one row (e.g. {@code "SELECT "})
 * @param bigResultQuery  a query whose answer is several MB (to fill a client that does not read)
 * @param invariants      after every case each must return null, or what is wrong
 * @param gauges          open-connection counts that must return to their idle value once the run ends
 */
public record FuzzTarget(String name, String host, int port, boolean tls, String user, String password,
        String nativeUser, String nativePassword, String database, String echoPrefix, String bigResultQuery,
        long maxAllowedPacket, Duration handshakeTimeout, Duration netReadTimeout, Duration netWriteTimeout,
        List<Invariant> invariants, List<Gauge> gauges) {

    /** A named check of the server's state: returns null when it holds, else what is wrong. */
    public record Invariant(String name, Supplier<String> problem) {
    }

    /** A count (e.g. open connections) and the value it must fall back to when the fuzz clients are gone. */
    public record Gauge(String name, IntSupplier value, int idle) {
    }

    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/" + database;
    }

    public static Builder builder(String name, int port) {
        return new Builder(name, port);
    }

    /** Defaults: 127.0.0.1, root without password, database {@code test}, no TLS, 64 MiB packets, 10/30/60 s. */
    public static final class Builder {
        private final String name;
        private final int port;
        private String host = "127.0.0.1";
        private boolean tls;
        private String user = "root";
        private String password = "";
        private String nativeUser;
        private String nativePassword;
        private String database = "test";
        private String echoPrefix = "SELECT ";
        private String bigResultQuery;
        private long maxAllowedPacket = 64L * 1024 * 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration netReadTimeout = Duration.ofSeconds(30);
        private Duration netWriteTimeout = Duration.ofSeconds(60);
        private final List<Invariant> invariants = new ArrayList<>();
        private final List<Gauge> gauges = new ArrayList<>();

        private Builder(String name, int port) {
            this.name = name;
            this.port = port;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        /** The server offers TLS (SSLRequest upgrades the connection). */
        public Builder tls(boolean v) {
            tls = v;
            return this;
        }

        /** A user whose login the server accepts (the liveness checks use it). */
        public Builder user(String u, String p) {
            user = u;
            password = p;
            return this;
        }

        /** A user stored with mysql_native_password, so that a caching_sha2 login gets an auth switch. */
        public Builder nativeUser(String u, String p) {
            nativeUser = u;
            nativePassword = p;
            return this;
        }

        public Builder database(String v) {
            database = v;
            return this;
        }

        public Builder echoPrefix(String v) {
            echoPrefix = v;
            return this;
        }

        public Builder bigResultQuery(String v) {
            bigResultQuery = v;
            return this;
        }

        public Builder maxAllowedPacket(long v) {
            maxAllowedPacket = v;
            return this;
        }

        /** How long the server lets a client take to log in, and to stall inside a packet or a write. */
        public Builder timeouts(Duration handshake, Duration netRead, Duration netWrite) {
            handshakeTimeout = handshake;
            netReadTimeout = netRead;
            netWriteTimeout = netWrite;
            return this;
        }

        public Builder invariant(String what, Supplier<String> problem) {
            invariants.add(new Invariant(what, problem));
            return this;
        }

        public Builder gauge(String what, IntSupplier value, int idle) {
            gauges.add(new Gauge(what, value, idle));
            return this;
        }

        public FuzzTarget build() {
            Objects.requireNonNull(nativeUser, "nativeUser");
            Objects.requireNonNull(bigResultQuery, "bigResultQuery");
            return new FuzzTarget(name, host, port, tls, user, password, nativeUser, nativePassword, database,
                    echoPrefix, bigResultQuery, maxAllowedPacket, handshakeTimeout, netReadTimeout, netWriteTimeout,
                    List.copyOf(invariants), List.copyOf(gauges));
        }
    }
}
