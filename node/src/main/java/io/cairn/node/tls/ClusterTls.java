package io.cairn.node.tls;

import io.cairn.node.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster's own PKI as one server sees it: its key store (key + certificate signed by the cluster
 * CA) and the trust store holding only the cluster CA. Every internal channel (Raft gRPC, internal
 * HTTPS, the proxy's connection to a CN) presents this key and accepts only peers whose chain ends at
 * the cluster CA. {@code bin/cairn} generates the files under {@code var/tls/}.
 *
 * <p>Separate from any client-facing key store: a certificate the cluster trusts is a server of the
 * cluster, never a user.
 */
public final class ClusterTls {
    public static final String KEY_STORE = "cairn.cluster.tls.key-store";
    public static final String TRUST_STORE = "cairn.cluster.tls.trust-store";
    /** Password of both stores; in practice from {@code CAIRN_CLUSTER_TLS_PASSWORD}, never a command line. */
    public static final String PASSWORD = "cairn.cluster.tls.password";

    private final Path keyStore;
    private final Path trustStore;
    private final TlsMaterial material;

    private ClusterTls(Path keyStore, Path trustStore, TlsMaterial material) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.material = material;
    }

    /**
     * Reads the settings and loads both stores. Empty when none of the three is set (internal traffic
     * stays plain); a partial or unusable setting is a {@link ConfigException} naming the property.
     */
    public static Optional<ClusterTls> load(Function<String, Optional<String>> lookup) {
        Optional<String> key = value(lookup, KEY_STORE);
        Optional<String> trust = value(lookup, TRUST_STORE);
        Optional<String> password = value(lookup, PASSWORD);
        if (key.isEmpty() && trust.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        Path keyPath = existing(KEY_STORE, key);
        Path trustPath = existing(TRUST_STORE, trust);
        if (password.isEmpty()) {
            throw new ConfigException(PASSWORD, "must be set with " + KEY_STORE
                    + " (give it by environment variable CAIRN_CLUSTER_TLS_PASSWORD)");
        }
        try {
            return Optional.of(new ClusterTls(keyPath, trustPath,
                    TlsMaterial.load(keyPath, trustPath, password.get().toCharArray())));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(KEY_STORE, "cannot load " + keyPath + " or " + trustPath
                    + " with " + PASSWORD + ": " + e.getMessage());
        }
    }

    /** The loaded key and trust managers. */
    public TlsMaterial material() {
        return material;
    }

    public Path keyStore() {
        return keyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    private static Optional<String> value(Function<String, Optional<String>> lookup, String property) {
        return lookup.apply(property).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Path existing(String property, Optional<String> value) {
        if (value.isEmpty()) {
            throw new ConfigException(property, "must be set when any of " + KEY_STORE + ", " + TRUST_STORE
                    + ", " + PASSWORD + " is");
        }
        Path path = Path.of(value.get()).toAbsolutePath().normalize();
        if (!Files.isReadable(path)) {
            throw new ConfigException(property, "cannot read " + path);
        }
        return path;
    }
}
