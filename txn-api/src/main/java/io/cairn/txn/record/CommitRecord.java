package io.cairn.txn.record;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final Write.Kind[] KINDS = Write.Kind.values();

    public CommitRecord {
        writes = List.copyOf(writes);
    }

    public byte[] encode() {
        byte[] id = txnId.getBytes(StandardCharsets.UTF_8);
        int size = 2 + 2 + id.length + 8 + 4;
        for (Write write : writes) {
            size += 1 + 8 + 2 + write.key().length() + (write.value() != null ? 4 + write.value().length : 0);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(TAG).put(VERSION).putShort((short) id.length).put(id).putLong(commitTs).putInt(writes.size());
        for (Write write : writes) {
            byte[] key = write.key().bytes();
            out.put((byte) write.kind().ordinal()).putLong(write.key().tableId()).putShort((short) key.length).put(key);
            if (write.value() != null) {
                out.putInt(write.value().length).put(write.value());
            }
        }
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
            String txnId = new String(bytes(in, Short.toUnsignedInt(in.getShort())), StandardCharsets.UTF_8);
            long commitTs = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 11) {
                throw new IllegalArgumentException("bad write count " + count);
            }
            List<Write> writes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int kindCode = in.get();
                if (kindCode < 0 || kindCode >= KINDS.length) {
                    throw new IllegalArgumentException("bad write kind " + kindCode);
                }
                Write.Kind kind = KINDS[kindCode];
                long tableId = in.getLong();
                Key key = Key.of(tableId, bytes(in, Short.toUnsignedInt(in.getShort())));
                byte[] value = kind == Write.Kind.PUT ? bytes(in, in.getInt()) : null;
                writes.add(new Write(key, kind, value));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new CommitRecord(txnId, commitTs, writes);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated commit record", e);
        }
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
