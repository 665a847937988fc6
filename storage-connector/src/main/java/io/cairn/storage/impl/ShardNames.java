package io.cairn.storage.impl;

import io.cairn.storage.ObjectStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Maps object keys to endpoint names. Keys are flattened (percent-encoding of every byte outside
 * {@code [A-Za-z0-9._~-]}) so an endpoint never sees a {@code '/'} inside a key: file-system backed stores
 * (local directories, S3Proxy's filesystem provider) cannot hold both {@code a} and {@code a/b}. The encoding
 * preserves prefixes, so {@code list(prefix)} becomes a prefix listing of the encoded prefix.
 *
 * <p>Layout on every endpoint: {@code shard/<flat key>} is the shard object, its metadata record followed by
 * the shard's bytes ({@link ShardMeta}).
 */
public final class ShardNames {
    public static final String SHARD = "shard/";
    /** Longest flattened key: fits a 255-byte file name with room to spare (the limit of earlier layouts). */
    public static final int MAX_FLAT_LENGTH = 220;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ShardNames() {
    }

    /** Validates a key as {@link ObjectStore} documents. */
    public static void validateKey(String key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        if (key.isEmpty() || key.length() > ObjectStore.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key must have 1.." + ObjectStore.MAX_KEY_LENGTH
                    + " characters, got " + key.length());
        }
        if (key.equals(".") || key.equals("..")) {
            throw new IllegalArgumentException("key must not be '.' or '..'");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("key contains a control character at index " + i);
            }
        }
        int encoded = flatten(key).length();
        if (encoded > MAX_FLAT_LENGTH) {
            throw new IllegalArgumentException("key too long once percent-encoded: " + encoded + " > "
                    + MAX_FLAT_LENGTH);
        }
    }

    /** Validates a list prefix: like a key, but may be empty. */
    public static void validatePrefix(String prefix) {
        if (prefix == null) {
            throw new NullPointerException("prefix");
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.isISOControl(prefix.charAt(i))) {
                throw new IllegalArgumentException("prefix contains a control character at index " + i);
            }
        }
        encodeUtf8(prefix);
    }

    private static ByteBuffer encodeUtf8(String s) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return enc.encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not valid Unicode (unpaired surrogate)", e);
        }
    }

    static String flatten(String key) {
        ByteBuffer bytes = encodeUtf8(key);
        StringBuilder sb = new StringBuilder(bytes.remaining() + 16);
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xFF;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '.' || b == '_' || b == '~' || b == '-') {
                sb.append((char) b);
            } else {
                sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return sb.toString();
    }

    static String unflatten(String flat) {
        ByteBuffer out = ByteBuffer.allocate(flat.length());
        for (int i = 0; i < flat.length(); i++) {
            char c = flat.charAt(i);
            if (c == '%') {
                if (i + 2 >= flat.length()) {
                    throw new IllegalArgumentException("bad flat name: " + flat);
                }
                out.put((byte) Integer.parseInt(flat.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.put((byte) c);
            }
        }
        out.flip();
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(out).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("bad flat name: " + flat, e);
        }
    }

    public static String shard(String key) {
        return SHARD + flatten(key);
    }

    public static String shardPrefix(String keyPrefix) {
        return SHARD + flatten(keyPrefix);
    }

    /** The key of a {@code shard/} name. */
    public static String keyOfShard(String shardName) {
        if (!shardName.startsWith(SHARD)) {
            throw new IllegalArgumentException("not a shard name: " + shardName);
        }
        return unflatten(shardName.substring(SHARD.length()));
    }
}
