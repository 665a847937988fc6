package io.cairn.txn.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A checkpoint: the segment objects that together hold every commit with an LSN up to {@code lsn}.
 *
 * <h2>How a table's segments fit together</h2>
 * A table's rows are in <em>runs</em>; a run is a set of segments with disjoint key ranges. The
 * <em>bottom</em> run ({@link Segment#BOTTOM}) holds the oldest state and no deletions. Each
 * checkpoint may add one <em>upper</em> run, numbered by the checkpoint's sequence number, with the
 * keys changed since the previous one (deletions included). A key's state is the one in the newest
 * run holding it; a deletion hides it. Compaction merges the upper runs into the bottom run, one
 * key range at a time (the TN's checkpoint writer).
 *
 * <p>The manifest is written after all its segments are durable, so a manifest that can be read is
 * complete; the log before {@code lsn + 1} may be truncated only after that. The latest checkpoint is
 * the one with the highest (epoch, seq): a TN writes only under its own lease epoch, so once a new TN
 * has published, nothing a deposed TN still publishes becomes latest.
 *
 * <p>Layout: {@code 'M'}, version 3, epoch (i64), seq (i64), lsn (i64), max commit ts (i64), segment
 * count (i32), per segment: table id (i64), run (i64), rows (i64), bytes (i64), object key, first key
 * and last key (each u16 length + bytes; the object key in UTF-8). Version 2 manifests (whole-table
 * segments without block index) are refused with the reason.
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
    private static final byte VERSION = 3;
    private static final int MAX_KEY = 0xFFFF;

    /**
     * One segment object: rows of one table with keys in [{@code firstKey}, {@code lastKey}].
     *
     * @param run   {@link #BOTTOM}, or the sequence number of the checkpoint that added the upper run
     * @param bytes the object's size (a reader finds the block index at its end)
     */
    public record Segment(long tableId, long run, long rows, long bytes, String objectKey, byte[] firstKey,
            byte[] lastKey) {
        /** The run number of the bottom run. */
        public static final long BOTTOM = 0;

        public Segment {
            Objects.requireNonNull(objectKey, "objectKey");
            Objects.requireNonNull(firstKey, "firstKey");
            Objects.requireNonNull(lastKey, "lastKey");
            if (run < 0 || rows <= 0 || bytes <= 0 || firstKey.length > MAX_KEY || lastKey.length > MAX_KEY
                    || Arrays.compareUnsigned(firstKey, lastKey) > 0) {
                throw new IllegalArgumentException("bad segment " + objectKey + ": run " + run + ", " + rows + " rows, "
                        + bytes + " bytes, keys out of order or too long");
            }
        }

        public boolean bottom() {
            return run == BOTTOM;
        }

        /** Whether {@code key} lies in this segment's key range. */
        public boolean covers(byte[] key) {
            return Arrays.compareUnsigned(key, firstKey) >= 0 && Arrays.compareUnsigned(key, lastKey) <= 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && tableId == s.tableId && run == s.run && rows == s.rows
                    && bytes == s.bytes && objectKey.equals(s.objectKey) && Arrays.equals(firstKey, s.firstKey)
                    && Arrays.equals(lastKey, s.lastKey);
        }

        @Override
        public int hashCode() {
            return objectKey.hashCode();
        }

        @Override
        public String toString() {
            return "Segment[" + objectKey + ", table " + tableId + ", run " + run + ", " + rows + " rows, " + bytes
                    + " bytes]";
        }
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
     * The object key of segment {@code part} of {@code tableId} written by checkpoint {@code seq} of
     * {@code epoch}; {@code attempt} tells apart the objects of a retried checkpoint (objects are write-once).
     */
    public static String segmentKey(long epoch, long seq, String attempt, long tableId, int part) {
        return SEGMENT_PREFIX + String.format(Locale.ROOT, "%019d-%019d-%s/%d-%d.arrow", epoch, seq, attempt, tableId,
                part);
    }

    public byte[] encode() {
        List<byte[]> keys = segments.stream().map(s -> s.objectKey().getBytes(StandardCharsets.UTF_8)).toList();
        int size = 2 + 8 * 4 + 4;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            size += 8 * 4 + 6 + keys.get(i).length + s.firstKey().length + s.lastKey().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(TAG).put(VERSION).putLong(epoch).putLong(seq).putLong(lsn)
                .putLong(maxTs).putInt(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            out.putLong(s.tableId()).putLong(s.run()).putLong(s.rows()).putLong(s.bytes());
            putShortBytes(out, keys.get(i));
            putShortBytes(out, s.firstKey());
            putShortBytes(out, s.lastKey());
        }
        return out.array();
    }

    private static void putShortBytes(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    /** @throws IllegalArgumentException the bytes are not a version 3 manifest (the message says why) */
    public static Manifest decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.get() != TAG) {
                throw new IllegalArgumentException("not a checkpoint manifest");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("checkpoint manifest format " + version + "; this server reads format "
                        + VERSION + " only (block-indexed key-range segments). Format 2 checkpoints are not migrated: "
                        + "dump the data with the server version that wrote them and load it into a fresh cluster");
            }
            long epoch = in.getLong();
            long seq = in.getLong();
            long lsn = in.getLong();
            long maxTs = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 38) {
                throw new IllegalArgumentException("bad segment count " + count);
            }
            List<Segment> segments = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long tableId = in.getLong();
                long run = in.getLong();
                long rows = in.getLong();
                long size = in.getLong();
                String key = new String(shortBytes(in), StandardCharsets.UTF_8);
                segments.add(new Segment(tableId, run, rows, size, key, shortBytes(in), shortBytes(in)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new Manifest(epoch, seq, lsn, maxTs, segments);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated checkpoint manifest", e);
        }
    }

    private static byte[] shortBytes(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IllegalArgumentException("bad length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
