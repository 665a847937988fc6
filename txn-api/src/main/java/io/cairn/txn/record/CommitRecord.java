package io.cairn.txn.record;

import io.cairn.txn.Write;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The log record of one committed transaction, as the TN writes it and every CN and standby TN
 * reads it. Lock-only writes are kept so that a TN taking over can rebuild the conflict window.
 *
 * <p>Layout (big-endian): {@code 'C'}, format version 1, txn id (u16 length + UTF-8), commit ts
 * (i64), write count (i32), then per write: kind (u8: 0 put, 1 delete, 2 lock), table id (i64),
 * key (u16 length + bytes), for a put the value (i32 length + bytes).
 */
public record CommitRecord(String txnId, long commitTs, List<Write> writes) {
    private static final byte TAG = 'C';
    private static final byte VERSION = 1;

    public CommitRecord {
        writes = List.copyOf(writes);
    }

    public byte[] encode() {
        byte[] id = Writes.utf8(txnId);
        ByteBuffer out = ByteBuffer.allocate(2 + 2 + id.length + 8 + Writes.size(writes));
        out.put(TAG).put(VERSION).putShort((short) id.length).put(id).putLong(commitTs);
        Writes.put(out, writes);
        return out.array();
    }

    /** Whether {@code record} is a commit record (other record kinds may share the log). */
    public static boolean isCommitRecord(byte[] record) {
        return record.length > 1 && record[0] == TAG;
    }

    /**
     * Decodes a record written by {@link #encode()}.
     *
     * @throws IllegalArgumentException the bytes are not a well-formed commit record
     */
    public static CommitRecord decode(byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        try {
            if (in.get() != TAG || in.get() != VERSION) {
                throw new IllegalArgumentException("not a version 1 commit record");
            }
            String txnId = Writes.string(in);
            long commitTs = in.getLong();
            List<Write> writes = Writes.get(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new CommitRecord(txnId, commitTs, writes);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated commit record", e);
        }
    }
}
