package io.cairn.txn.record;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of write sets and short strings shared by the commit record and the commit RPC.
 * Decoding checks every length against the bytes left, so a corrupt or hostile input fails with
 * {@link IllegalArgumentException} (or {@link java.nio.BufferUnderflowException}) before any large
 * allocation.
 *
 * <p>A write set: count (i32), then per write: kind (u8: 0 put, 1 delete, 2 lock), table id (i64),
 * key (u16 length + bytes), for a put the value (i32 length + bytes).
 */
final class Writes {
    private static final Write.Kind[] KINDS = Write.Kind.values();

    private Writes() {
    }

    static int size(List<Write> writes) {
        int size = 4;
        for (Write write : writes) {
            size += size(write);
        }
        return size;
    }

    static int size(Write write) {
        return 1 + 8 + 2 + write.key().length() + (write.value() != null ? 4 + write.value().length : 0);
    }

    static void put(ByteBuffer out, List<Write> writes) {
        out.putInt(writes.size());
        for (Write write : writes) {
            byte[] key = write.key().bytes();
            out.put((byte) write.kind().ordinal()).putLong(write.key().tableId()).putShort((short) key.length).put(key);
            if (write.value() != null) {
                out.putInt(write.value().length).put(write.value());
            }
        }
    }

    static List<Write> get(ByteBuffer in) {
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
        return writes;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(ByteBuffer in) {
        return new String(bytes(in, Short.toUnsignedInt(in.getShort())), StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
