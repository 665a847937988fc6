package io.cairn.mysql.server;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Server side of mysql_native_password and caching_sha2_password: nonce generation and scramble
 * verification against the stored hashes of {@link Credential}.
 *
 * <ul>
 *   <li>native: client sends SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))); the server recovers SHA1(pw) with
 *       the stored SHA1(SHA1(pw)) and checks that its SHA1 equals the stored value;</li>
 *   <li>caching_sha2 (fast path): client sends SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce); the
 *       server recovers SHA256(pw) with the stored SHA256(SHA256(pw)) the same way.</li>
 * </ul>
 * An empty password is a match only for an empty response (some clients send a single NUL byte).
 */
public final class AuthPlugins {
    static final int NONCE_LENGTH = 20;
    /** caching_sha2_password AuthMoreData byte: fast authentication succeeded, OK follows. */
    static final int FAST_AUTH_SUCCESS = 3;

    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthPlugins() {
    }

    /** 20 random printable ASCII bytes (no NUL, which would end the nonce for some clients). */
    public static byte[] nonce() {
        byte[] n = new byte[NONCE_LENGTH];
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) (0x21 + RANDOM.nextInt(0x7e - 0x21));
        }
        return n;
    }

    /** Whether {@code response} proves knowledge of the password behind {@code credential}. */
    static boolean verify(Credential credential, byte[] nonce, byte[] response) {
        byte[] stored = credential.storedHash();
        if (credential.emptyPassword()) {
            return response.length == 0 || (response.length == 1 && response[0] == 0);
        }
        String algorithm = credential.plugin() == AuthPlugin.MYSQL_NATIVE_PASSWORD ? "SHA-1" : "SHA-256";
        if (response.length != stored.length) {
            return false;
        }
        byte[] mask = credential.plugin() == AuthPlugin.MYSQL_NATIVE_PASSWORD
                ? digest(algorithm, nonce, stored)
                : digest(algorithm, stored, nonce);
        byte[] candidate = new byte[response.length];
        for (int i = 0; i < candidate.length; i++) {
            candidate[i] = (byte) (response[i] ^ mask[i]);
        }
        return MessageDigest.isEqual(digest(algorithm, candidate), stored);
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
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
