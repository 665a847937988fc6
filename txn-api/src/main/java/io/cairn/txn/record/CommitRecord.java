package io.cairn.txn.record;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    /** The most bytes a record takes besides its writes: tag, version, txn id (UTF-8, up to 3 bytes a char), ts, count. */
    public static final int MAX_HEADER_BYTES = 2 + 2 + 3 * io.cairn.txn.CommitRequest.MAX_TXN_ID + 8 + 4;
    /**
     * Records decoded by {@link #decodeShared}, by the identity of their bytes (weak keys: an entry goes with the
     * log entry that held the bytes). A memo of immutable values, so sharing it across the JVM is safe.
     */
    private static final Cache<byte[], CommitRecord> SHARED = Caffeine.newBuilder().weakKeys().maximumSize(4096)
            .executor(Runnable::run).build();

    public CommitRecord {
        writes = List.copyOf(writes);
    }

    public byte[] encode() {
        byte[] id = Writes.utf8(txnId);
        ByteBuffer out = ByteBuffer.allocate(encodedSize());
        out.put(TAG).put(VERSION).putShort((short) id.length).put(id).putLong(commitTs);
        Writes.put(out, writes);
        return out.array();
    }

    /** The length of {@link #encode()}'s bytes, without encoding. */
    public int encodedSize() {
        return 2 + 2 + Writes.utf8(txnId).length + 8 + Writes.size(writes);
    }

    /** The bytes {@code write} takes in an encoded record (and in a commit request, but for its read ts). */
    public static int writeBytes(Write write) {
        return Writes.size(write);
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

    /**
     * {@link #decode}, once per array: readers handed the same log entry object (a server's TN follower and CN
     * tailer, to which the log's local peer hands the entries it decoded last) get the same record, so the rows
     * both keep in memory until a checkpoint are one copy. The record's writes must not be changed (none is).
     */
    public static CommitRecord decodeShared(byte[] record) {
        return SHARED.get(record, CommitRecord::decode);
    }
}
