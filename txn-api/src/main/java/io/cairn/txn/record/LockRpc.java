package io.cairn.txn.record;

import io.cairn.txn.Key;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the lock calls from a CN to the active TN over HTTP ({@code application/octet-stream}).
 *
 * <p>Request: {@code 'L'}, version 1, txn id and owner (u16 length + UTF-8 each), read ts (i64),
 * wait millis (i64), exclusive keys then shared keys (each: count i32, then per key table id i64 and
 * u16 length + bytes). Result: granted (u8), changed (u8), LSN (i64). The other lock calls carry one
 * string: {@link #encodeName}.
 */
public final class LockRpc {
    /** Largest request body accepted: bounds what one HTTP call can make the TN allocate. */
    public static final int MAX_REQUEST_BYTES = 64 << 20;
    private static final byte TAG = 'L';
    private static final byte VERSION = 1;

    private LockRpc() {
    }

    public static byte[] encodeRequest(LockRequest request) {
        byte[] id = Writes.utf8(request.txnId());
        byte[] owner = Writes.utf8(request.owner());
        ByteBuffer out = ByteBuffer.allocate(2 + 2 + id.length + 2 + owner.length + 16
                + keysSize(request.exclusive()) + keysSize(request.shared()));
        out.put(TAG).put(VERSION).putShort((short) id.length).put(id).putShort((short) owner.length).put(owner)
                .putLong(request.readTs()).putLong(request.waitMillis());
        putKeys(out, request.exclusive());
        putKeys(out, request.shared());
        return out.array();
    }

    /** @throws IllegalArgumentException the body is not a well-formed request */
    public static LockRequest decodeRequest(byte[] body) {
        if (body.length > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("lock request of " + body.length + " bytes exceeds " + MAX_REQUEST_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (in.get() != TAG || in.get() != VERSION) {
                throw new IllegalArgumentException("not a version " + VERSION + " lock request");
            }
            String txnId = Writes.string(in);
            String owner = Writes.string(in);
            long readTs = in.getLong();
            long waitMillis = in.getLong();
            List<Key> exclusive = keys(in);
            List<Key> shared = keys(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new LockRequest(txnId, owner, readTs, exclusive, shared, waitMillis);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated lock request", e);
        }
    }

    public static byte[] encodeResult(LockResult result) {
        return ByteBuffer.allocate(10).put((byte) (result.granted() ? 1 : 0)).put((byte) (result.changed() ? 1 : 0))
                .putLong(result.lsn()).array();
    }

    /** @throws IllegalArgumentException the body is not 10 bytes */
    public static LockResult decodeResult(byte[] body) {
        if (body.length != 10) {
            throw new IllegalArgumentException("lock result must be 10 bytes, got " + body.length);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        return new LockResult(in.get() != 0, in.get() != 0, in.getLong());
    }

    /** The body of a call naming one transaction or owner. */
    public static byte[] encodeName(String name) {
        return Writes.utf8(name);
    }

    /** @throws IllegalArgumentException empty, or longer than {@code max} characters */
    public static String decodeName(byte[] body, int max) {
        String name = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        if (name.isEmpty() || name.length() > max) {
            throw new IllegalArgumentException("a name of 1-" + max + " characters is expected");
        }
        return name;
    }

    private static int keysSize(List<Key> keys) {
        int size = 4;
        for (Key key : keys) {
            size += 8 + 2 + key.length();
        }
        return size;
    }

    private static void putKeys(ByteBuffer out, List<Key> keys) {
        out.putInt(keys.size());
        for (Key key : keys) {
            byte[] bytes = key.bytes();
            out.putLong(key.tableId()).putShort((short) bytes.length).put(bytes);
        }
    }

    private static List<Key> keys(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 10) {
            throw new IllegalArgumentException("bad key count " + count);
        }
        List<Key> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long tableId = in.getLong();
            keys.add(Key.of(tableId, Writes.bytes(in, Short.toUnsignedInt(in.getShort()))));
        }
        return keys;
    }
}
