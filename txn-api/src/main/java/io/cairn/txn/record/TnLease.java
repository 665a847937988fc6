package io.cairn.txn.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a transaction-node lease entry in the log: where the active TN takes commits, how long its lease
 * lasts after the entry that granted or renewed it, and why it refuses client commits, if it does (a standby
 * cluster, a drained or fenced primary). Standby TNs take over when they have seen no renewal for
 * {@code durationMillis}; CNs learn the active TN's endpoint from it, and report the refusal as
 * {@code @@read_only}.
 *
 * <p>Layout: {@code 'L'}, version, duration (i64 ms), endpoint (u16 length + UTF-8); version 2 adds the refusal
 * (u16 length + UTF-8). A lease without a refusal is written as version 1, so that a compute node of an older
 * release reads the leases of an ordinary cluster during a rolling upgrade.
 *
 * @param writesRefused why the TN refuses client commits, or null when it takes them
 */
public record TnLease(long durationMillis, String endpoint, String writesRefused) {
    private static final byte TAG = 'L';
    /** Longest refusal kept, in UTF-8 bytes (a u16 length); longer reasons are cut. */
    private static final int MAX_REFUSAL_BYTES = 1024;

    /** A lease of a TN that takes client commits. */
    public TnLease(long durationMillis, String endpoint) {
        this(durationMillis, endpoint, null);
    }

    public byte[] encode() {
        byte[] ep = endpoint.getBytes(StandardCharsets.UTF_8);
        byte[] why = writesRefused == null ? null : utf8Prefix(writesRefused, MAX_REFUSAL_BYTES);
        ByteBuffer out = ByteBuffer.allocate(2 + 8 + 2 + ep.length + (why == null ? 0 : 2 + why.length))
                .put(TAG).put((byte) (why == null ? 1 : 2)).putLong(durationMillis).putShort((short) ep.length).put(ep);
        if (why != null) {
            out.putShort((short) why.length).put(why);
        }
        return out.array();
    }

    /** @throws IllegalArgumentException the bytes are not a well-formed lease payload */
    public static TnLease decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            byte version;
            if (in.get() != TAG || ((version = in.get()) != 1 && version != 2)) {
                throw new IllegalArgumentException("not a version 1 or 2 TN lease");
            }
            long duration = in.getLong();
            String endpoint = text(in);
            String refused = version == 2 ? text(in) : null;
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the TN lease");
            }
            return new TnLease(duration, endpoint, refused);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated TN lease", e);
        }
    }

    private static String text(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IllegalArgumentException("bad text length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The UTF-8 of {@code s}, cut at a character boundary to at most {@code max} bytes. */
    private static byte[] utf8Prefix(String s, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) { // not inside a multi-byte character
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
