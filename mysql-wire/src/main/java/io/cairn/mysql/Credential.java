package io.cairn.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A user's stored credential: the plugin the user authenticates with and the password hash that plugin
 * verifies against. The plain password is never stored.
 *
 * @param plugin     authentication plugin of the user
 * @param storedHash SHA1(SHA1(password)) (20 bytes) for {@link AuthPlugin#MYSQL_NATIVE_PASSWORD},
 *                   SHA256(SHA256(password)) (32 bytes) for {@link AuthPlugin#CACHING_SHA2_PASSWORD};
 *                   empty for an empty password
 */
public record Credential(AuthPlugin plugin, byte[] storedHash) {
    public Credential {
        Objects.requireNonNull(plugin, "plugin");
        storedHash = storedHash.clone();
        int expected = plugin == AuthPlugin.MYSQL_NATIVE_PASSWORD ? 20 : 32;
        if (storedHash.length != 0 && storedHash.length != expected) {
            throw new IllegalArgumentException(plugin.wireName() + " hash must have " + expected + " bytes");
        }
    }

    @Override
    public byte[] storedHash() {
        return storedHash.clone();
    }

    /** True when the user has an empty password. */
    public boolean emptyPassword() {
        return storedHash.length == 0;
    }

    /** Computes the stored form of {@code password} (UTF-8) for {@code plugin}; "" gives an empty hash. */
    public static Credential forPassword(AuthPlugin plugin, String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            return new Credential(plugin, new byte[0]);
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        String algorithm = plugin == AuthPlugin.MYSQL_NATIVE_PASSWORD ? "SHA-1" : "SHA-256";
        return new Credential(plugin, digest(algorithm, digest(algorithm, pw)));
    }

    static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + algorithm, e);
        }
    }
}
