package io.cairn.server;

import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.node.ConfigException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TLS of this server's client-facing MySQL ports, the proxy's and the compute node's: one key store
 * ({@value #KEY_STORE}, a PKCS12 file with the server's key and certificate, and
 * {@value #KEY_STORE_PASSWORD}, best given by environment variable), one {@link TlsUpgrader} that both
 * ports share, so a reload covers both. The names of earlier versions, {@value #OLD_KEY_STORE} and
 * {@value #OLD_KEY_STORE_PASSWORD}, still work when the new ones are unset. The cluster's own TLS (proxy to
 * compute node, Raft) has its own settings. {@value #REQUIRE_SECURE_TRANSPORT} is read here too: it is
 * the start-up value of the global variable that refuses clients without TLS.
 */
public final class ClientTls {
    public static final String KEY_STORE = "cairn.tls.key-store";
    public static final String KEY_STORE_PASSWORD = "cairn.tls.key-store-password";
    /** The start-up value of the global {@code require_secure_transport}: ON or OFF. */
    public static final String REQUIRE_SECURE_TRANSPORT = "cairn.require-secure-transport";
    static final String OLD_KEY_STORE = "cairn.proxy.tls.key-store";
    static final String OLD_KEY_STORE_PASSWORD = "cairn.proxy.tls.key-store-password";

    private ClientTls() {
    }

    /**
     * @return the upgrader, or null when no key store is configured (no TLS)
     * @throws ConfigException naming the key store setting when the file cannot be used (the message
     *                         names the file, never the password)
     */
    public static TlsUpgrader load(Function<String, Optional<String>> lookup) {
        String setting = KEY_STORE;
        String passwordSetting = KEY_STORE_PASSWORD;
        Optional<String> keyStore = nonEmpty(lookup, KEY_STORE);
        if (keyStore.isEmpty()) {
            setting = OLD_KEY_STORE;
            passwordSetting = OLD_KEY_STORE_PASSWORD;
            keyStore = nonEmpty(lookup, OLD_KEY_STORE);
        }
        if (keyStore.isEmpty()) {
            return null;
        }
        char[] password = lookup.apply(passwordSetting).orElse("").toCharArray();
        try {
            return TlsUpgrader.fromKeyStore(Path.of(keyStore.get()), password, setting);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, e.getMessage());
        }
    }

    /**
     * {@value #REQUIRE_SECURE_TRANSPORT}: ON/OFF (also true/false, 1/0), OFF when unset.
     *
     * @throws ConfigException for another value
     */
    public static boolean requireSecureTransport(Function<String, Optional<String>> lookup) {
        String raw = nonEmpty(lookup, REQUIRE_SECURE_TRANSPORT).orElse("OFF").toUpperCase(java.util.Locale.ROOT);
        boolean on = switch (raw) {
            case "ON", "TRUE", "1" -> true;
            case "OFF", "FALSE", "0" -> false;
            default -> throw new ConfigException(REQUIRE_SECURE_TRANSPORT, "'" + raw + "' is not ON or OFF");
        };
        return on;
    }

    private static Optional<String> nonEmpty(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
