package io.cairn.txn.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a transaction-node lease entry in the log: where the active TN takes commits and
 * how long its lease lasts after the entry that granted or renewed it. Standby TNs take over when
 * they have seen no renewal for {@code durationMillis}; CNs learn the active TN's endpoint from it.
 *
 * <p>Layout: {@code 'L'}, version 1, duration (i64 ms), endpoint (u16 length + UTF-8).
 */
public record TnLease(long durationMillis, String endpoint) {
    private static final byte TAG = 'L';
    private static final byte VERSION = 1;

    public byte[] encode() {
        byte[] ep = endpoint.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 8 + 2 + ep.length).put(TAG).put(VERSION).putLong(durationMillis)
                .putShort((short) ep.length).put(ep).array();
    }

    /** @throws IllegalArgumentException the bytes are not a well-formed lease payload */
    public static TnLease decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            if (in.get() != TAG || in.get() != VERSION) {
                throw new IllegalArgumentException("not a version 1 TN lease");
            }
            long duration = in.getLong();
            int length = Short.toUnsignedInt(in.getShort());
            if (length != in.remaining()) {
                throw new IllegalArgumentException("bad endpoint length " + length);
            }
            byte[] ep = new byte[length];
            in.get(ep);
            return new TnLease(duration, new String(ep, StandardCharsets.UTF_8));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated TN lease", e);
        }
    }
}
