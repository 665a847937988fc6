package io.cairn.txn.record;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.Write;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bodies of the commit call from a CN to the active TN over HTTP
 * ({@code application/octet-stream}).
 *
 * <p>Request: {@code 'Q'}, version 2, txn id (u16 length + UTF-8), snapshot ts (i64), the write
 * set as in the commit record, then one read ts (i64) per write. Result: commit ts (i64), LSN (i64).
 */
public final class CommitRpc {
    /** Largest request body accepted: bounds what one HTTP call can make the TN allocate. */
    public static final int MAX_REQUEST_BYTES = 64 << 20;
    private static final byte TAG = 'Q';
    private static final byte VERSION = 2;

    private CommitRpc() {
    }

    public static byte[] encodeRequest(CommitRequest request) {
        byte[] id = Writes.utf8(request.txnId());
        int count = request.writes().size();
        ByteBuffer out = ByteBuffer.allocate(2 + 2 + id.length + 8 + Writes.size(request.writes()) + 8 * count);
        out.put(TAG).put(VERSION).putShort((short) id.length).put(id).putLong(request.snapshotTs());
        Writes.put(out, request.writes());
        for (int i = 0; i < count; i++) {
            out.putLong(request.readTs(i));
        }
        return out.array();
    }

    /** @throws IllegalArgumentException the body is not a well-formed request */
    public static CommitRequest decodeRequest(byte[] body) {
        if (body.length > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("commit request of " + body.length + " bytes exceeds " + MAX_REQUEST_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (in.get() != TAG || in.get() != VERSION) {
                throw new IllegalArgumentException("not a version " + VERSION + " commit request");
            }
            String txnId = Writes.string(in);
            long snapshotTs = in.getLong();
            List<Write> writes = Writes.get(in);
            if (in.remaining() != 8L * writes.size()) {
                throw new IllegalArgumentException(in.remaining() + " bytes where " + writes.size() + " read timestamps belong");
            }
            long[] readTs = new long[writes.size()];
            for (int i = 0; i < readTs.length; i++) {
                readTs[i] = in.getLong();
            }
            return new CommitRequest(txnId, snapshotTs, writes, readTs);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated commit request", e);
        }
    }

    public static byte[] encodeResult(CommitResult result) {
        return ByteBuffer.allocate(16).putLong(result.commitTs()).putLong(result.lsn()).array();
    }

    /** @throws IllegalArgumentException the body is not 16 bytes */
    public static CommitResult decodeResult(byte[] body) {
        if (body.length != 16) {
            throw new IllegalArgumentException("commit result must be 16 bytes, got " + body.length);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        return new CommitResult(in.getLong(), in.getLong());
    }
}
