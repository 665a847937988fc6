package io.cairn.txn.checkpoint;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a segment object is: an Apache Arrow IPC file of rows sorted by key, with the columns
 * {@code key} (binary), {@code ts} (int64) and {@code value} (binary, null for a deletion). Each
 * record batch is one <em>block</em> of about the configured block size. The file footer's custom
 * metadata carries the segment's {@link SegmentIndex}: per block its first key and row count, and a
 * Bloom filter of all keys. A reader fetches the footer, then only the blocks it needs.
 */
final class SegmentFormat {
    static final Schema SCHEMA = new Schema(List.of(
            new Field("key", FieldType.notNullable(ArrowType.Binary.INSTANCE), null),
            new Field("ts", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            new Field("value", FieldType.nullable(ArrowType.Binary.INSTANCE), null)));
    /** Footer metadata keys. */
    static final String FORMAT_KEY = "cairn.segment.format";
    static final String FORMAT = "3";
    static final String INDEX_KEY = "cairn.segment.index";
    static final String BLOOM_KEY = "cairn.segment.bloom";
    /** Arrow file trailer: footer length (int32, little-endian) and the magic "ARROW1". */
    static final int TRAILER = 10;

    /** One allocator for every segment read and write (Arrow's allocators are thread-safe). */
    static final BufferAllocator ALLOCATOR = new RootAllocator();

    private SegmentFormat() {
    }
}
