package io.cairn.txn.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A checkpoint: the objects that together hold every commit with an LSN up to {@code lsn}.
 * Segments are listed oldest first; where two segments of a table hold the same key, the later one
 * wins. The manifest is written after all its segments are durable, so a manifest that can be read
 * is complete; the log before {@code lsn + 1} may be truncated only after that.
 *
 * <p>The latest checkpoint is the one with the highest (epoch, seq): a TN writes only under its own
 * lease epoch, so once a new TN has published, nothing a deposed TN still publishes becomes latest.
 *
 * <p>Layout: {@code 'M'}, version 2, epoch (i64), seq (i64), lsn (i64), max commit ts (i64), segment
 * count (i32), per segment: table id (i64), rows (i64), object key (u16 length + UTF-8).
 *
 * @param epoch the lease epoch of the TN that wrote it
 * @param seq   the checkpoint's number, 1 for the first; grows across epochs
 * @param lsn   the last log entry it covers
 * @param maxTs the highest commit timestamp it covers
 */
public record Manifest(long epoch, long seq, long lsn, long maxTs, List<Segment> segments) {
    /** Prefix of manifest object keys; {@link #objectKey(long, long)} sorts by epoch, then sequence number. */
    public static final String PREFIX = "checkpoint/manifest/";
    /** Prefix of segment object keys. */
    public static final String SEGMENT_PREFIX = "checkpoint/segments/";
    private static final byte TAG = 'M';
    private static final byte VERSION = 2;

    /** One table segment object. */
    public record Segment(long tableId, long rows, String objectKey) {
    }

    public Manifest {
        segments = List.copyOf(segments);
    }

    /** The object key of manifest {@code seq} written under {@code epoch}; zero-padded so that keys sort like numbers. */
    public static String objectKey(long epoch, long seq) {
        return PREFIX + String.format(Locale.ROOT, "%019d-%019d", epoch, seq);
    }

    /** This manifest's object key. */
    public String objectKey() {
        return objectKey(epoch, seq);
    }

    /**
     * The object key of the segment of {@code tableId} written by checkpoint {@code seq} of {@code epoch};
     * {@code attempt} tells apart the objects of a retried checkpoint (objects are write-once).
     */
    public static String segmentKey(long epoch, long seq, String attempt, long tableId) {
        return SEGMENT_PREFIX + String.format(Locale.ROOT, "%019d-%019d-%s/%d.arrow", epoch, seq, attempt, tableId);
    }

    public byte[] encode() {
        List<byte[]> keys = segments.stream().map(s -> s.objectKey().getBytes(StandardCharsets.UTF_8)).toList();
        int size = 2 + 8 * 4 + 4 + keys.stream().mapToInt(k -> 8 + 8 + 2 + k.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).put(TAG).put(VERSION).putLong(epoch).putLong(seq).putLong(lsn)
                .putLong(maxTs).putInt(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            out.putLong(segments.get(i).tableId()).putLong(segments.get(i).rows())
                    .putShort((short) keys.get(i).length).put(keys.get(i));
        }
        return out.array();
    }

    /** @throws IllegalArgumentException the bytes are not a version 2 manifest */
    public static Manifest decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.get() != TAG || in.get() != VERSION) {
                throw new IllegalArgumentException("not a version " + VERSION + " checkpoint manifest");
            }
            long epoch = in.getLong();
            long seq = in.getLong();
            long lsn = in.getLong();
            long maxTs = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 18) {
                throw new IllegalArgumentException("bad segment count " + count);
            }
            List<Segment> segments = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long tableId = in.getLong();
                long rows = in.getLong();
                int length = Short.toUnsignedInt(in.getShort());
                if (length > in.remaining()) {
                    throw new IllegalArgumentException("bad object key length " + length);
                }
                byte[] key = new byte[length];
                in.get(key);
                segments.add(new Segment(tableId, rows, new String(key, StandardCharsets.UTF_8)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new Manifest(epoch, seq, lsn, maxTs, segments);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated checkpoint manifest", e);
        }
    }
}
