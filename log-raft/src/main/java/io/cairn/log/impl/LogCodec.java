package io.cairn.log.impl;

import io.cairn.log.Lease;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary formats of the log: commands stored in Raft entries, query requests, and replies.
 * Big-endian, length-prefixed; a format change needs a new type byte, never a changed layout,
 * because old entries stay in the log. Malformed input raises {@link IllegalArgumentException}.
 */
final class LogCodec {
    static final byte DATA = 1;
    static final byte LEASE = 2;
    static final byte TRUNCATE = 3;

    static final byte Q_READ = 10;
    static final byte Q_AWAIT = 11;
    static final byte Q_STATUS = 12;

    static final byte OK = 0;
    static final byte STALE = 1;
    static final byte TRUNCATED = 2;

    private LogCodec() {
    }

    /** The fixed part of a command: enough to validate it without decoding its records. */
    record Header(byte type, long epoch, String holder, long lsn) {
    }

    /** A decoded reply of an applied command: {@code value} is an LSN or, for STALE, the highest epoch. */
    record Reply(byte status, long value) {
    }

    /** A decoded status answer. */
    record Status(long appliedIndex, long truncatedBefore, Lease lease) {
    }

    // ---- commands ----

    static byte[] encodeData(long epoch, List<byte[]> records) {
        int size = 1 + 8 + 4;
        for (byte[] r : records) {
            size += 4 + r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(DATA).putLong(epoch).putInt(records.size());
        for (byte[] r : records) {
            b.putInt(r.length).put(r);
        }
        return b.array();
    }

    static byte[] encodeLease(long epoch, String holder, byte[] payload) {
        byte[] h = holder.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 4 + h.length + 4 + payload.length)
                .put(LEASE).putLong(epoch).putInt(h.length).put(h).putInt(payload.length).put(payload).array();
    }

    static byte[] encodeTruncate(long lsn) {
        return ByteBuffer.allocate(9).put(TRUNCATE).putLong(lsn).array();
    }

    static Header decodeHeader(ByteBuffer b) {
        try {
            byte type = b.get();
            switch (type) {
                case DATA:
                    return new Header(type, b.getLong(), null, -1);
                case LEASE: {
                    long epoch = b.getLong();
                    return new Header(type, epoch, readString(b), -1);
                }
                case TRUNCATE:
                    return new Header(type, 0, null, b.getLong());
                default:
                    throw new IllegalArgumentException("unknown log command type " + type);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated log command", e);
        }
    }

    /** Decodes a DATA or LEASE command into a visible entry; {@code null} for other commands. */
    static LogEntry decodeEntry(long lsn, ByteBuffer b) {
        try {
            byte type = b.get();
            long epoch;
            switch (type) {
                case DATA: {
                    epoch = b.getLong();
                    int n = b.getInt();
                    List<byte[]> records = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        records.add(readBytes(b));
                    }
                    return new LogEntry(lsn, LogEntry.Kind.DATA, epoch, null, records);
                }
                case LEASE: {
                    epoch = b.getLong();
                    String holder = readString(b);
                    return new LogEntry(lsn, LogEntry.Kind.LEASE, epoch, holder, List.of(readBytes(b)));
                }
                case TRUNCATE:
                    return null;
                default:
                    throw new IllegalArgumentException("unknown log command type " + type);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated log command at LSN " + lsn, e);
        }
    }

    // ---- replies of applied commands ----

    static byte[] encodeReply(byte status, long value) {
        return ByteBuffer.allocate(9).put(status).putLong(value).array();
    }

    static Reply decodeReply(ByteBuffer b) {
        return new Reply(b.get(), b.getLong());
    }

    // ---- queries ----

    static byte[] encodeReadQuery(long fromLsn, int maxBytes) {
        return ByteBuffer.allocate(13).put(Q_READ).putLong(fromLsn).putInt(maxBytes).array();
    }

    static byte[] encodeAwaitQuery(long afterLsn, long timeoutMs) {
        return ByteBuffer.allocate(17).put(Q_AWAIT).putLong(afterLsn).putLong(timeoutMs).array();
    }

    static byte[] encodeStatusQuery() {
        return new byte[] {Q_STATUS};
    }

    static byte[] encodeBatch(LogBatch batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(OK);
            out.writeLong(batch.nextLsn());
            out.writeInt(batch.entries().size());
            for (LogEntry e : batch.entries()) {
                out.writeLong(e.lsn());
                out.writeByte(e.kind().ordinal());
                out.writeLong(e.epoch());
                writeString(out, e.holder());
                out.writeInt(e.records().size());
                for (byte[] r : e.records()) {
                    out.writeInt(r.length);
                    out.write(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    static byte[] encodeTruncated(long requested, long firstAvailable) {
        return ByteBuffer.allocate(17).put(TRUNCATED).putLong(requested).putLong(firstAvailable).array();
    }

    /** Decodes a READ answer; the caller has consumed the status byte and found it OK. */
    static LogBatch decodeBatch(ByteBuffer b) {
        long next = b.getLong();
        int n = b.getInt();
        List<LogEntry> entries = new ArrayList<>(n);
        LogEntry.Kind[] kinds = LogEntry.Kind.values();
        for (int i = 0; i < n; i++) {
            long lsn = b.getLong();
            LogEntry.Kind kind = kinds[b.get()];
            long epoch = b.getLong();
            String holder = readString(b);
            int count = b.getInt();
            List<byte[]> records = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                records.add(readBytes(b));
            }
            entries.add(new LogEntry(lsn, kind, epoch, holder, records));
        }
        return new LogBatch(entries, next);
    }

    static byte[] encodeStatus(Status s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(OK);
            out.writeLong(s.appliedIndex());
            out.writeLong(s.truncatedBefore());
            out.writeLong(s.lease().epoch());
            writeString(out, s.lease().holder());
            out.writeLong(s.lease().lsn());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Status decodeStatus(ByteBuffer b) {
        if (b.get() != OK) {
            throw new IllegalArgumentException("unexpected status answer");
        }
        long applied = b.getLong();
        long truncated = b.getLong();
        long epoch = b.getLong();
        String holder = readString(b);
        return new Status(applied, truncated, new Lease(epoch, holder, b.getLong()));
    }

    // ---- helpers ----

    private static byte[] readBytes(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("bad record length " + len);
        }
        byte[] r = new byte[len];
        b.get(r);
        return r;
    }

    private static String readString(ByteBuffer b) {
        int len = b.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("bad string length " + len);
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
