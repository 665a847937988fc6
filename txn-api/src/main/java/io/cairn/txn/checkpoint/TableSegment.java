package io.cairn.txn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * One checkpoint object of one table: an Apache Arrow IPC file whose rows are sorted by key, with
 * the columns {@code key} (binary), {@code ts} (int64) and {@code value} (binary, null for a
 * deletion). Rows go in record batches of {@link #BATCH_ROWS}, so a reader can stream them.
 *
 * <p>Stateless and thread-safe; every call uses its own Arrow allocator.
 */
public final class TableSegment {
    static final int BATCH_ROWS = 8192;
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("key", FieldType.notNullable(ArrowType.Binary.INSTANCE), null),
            new Field("ts", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            new Field("value", FieldType.nullable(ArrowType.Binary.INSTANCE), null)));

    private TableSegment() {
    }

    /**
     * Writes and reads back a one-row segment, so that Arrow's classes and allocator are set up before the
     * first real read: done lazily, it cost a CN's first sessions seconds on a busy machine, right when
     * they had just moved to it from a failed CN.
     */
    public static void warmUp() {
        read(write(List.of(new CheckpointRow(new byte[] {0}, 1, new byte[0]))));
    }

    /**
     * Encodes rows as an Arrow IPC file.
     *
     * @throws IllegalArgumentException the rows are not in strictly increasing unsigned key order
     */
    public static byte[] write(List<CheckpointRow> rows) {
        for (int i = 1; i < rows.size(); i++) {
            if (Arrays.compareUnsigned(rows.get(i - 1).key(), rows.get(i).key()) >= 0) {
                throw new IllegalArgumentException("checkpoint rows must be sorted by key without repeats");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
                ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
            VarBinaryVector keys = (VarBinaryVector) root.getVector("key");
            BigIntVector stamps = (BigIntVector) root.getVector("ts");
            VarBinaryVector values = (VarBinaryVector) root.getVector("value");
            writer.start();
            for (int start = 0; start < rows.size(); start += BATCH_ROWS) {
                int count = Math.min(BATCH_ROWS, rows.size() - start);
                root.allocateNew();
                for (int i = 0; i < count; i++) {
                    CheckpointRow row = rows.get(start + i);
                    keys.setSafe(i, row.key());
                    stamps.setSafe(i, row.ts());
                    if (row.value() == null) {
                        values.setNull(i);
                    } else {
                        values.setSafe(i, row.value());
                    }
                }
                root.setRowCount(count);
                writer.writeBatch();
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a checkpoint segment", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a segment written by {@link #write}.
     *
     * @throws IllegalArgumentException the bytes are not a segment of this schema
     */
    public static List<CheckpointRow> read(byte[] bytes) {
        List<CheckpointRow> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowFileReader reader = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(bytes), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            if (!root.getSchema().equals(SCHEMA)) {
                throw new IllegalArgumentException("not a checkpoint segment: schema " + root.getSchema());
            }
            while (reader.loadNextBatch()) {
                VarBinaryVector keys = (VarBinaryVector) root.getVector("key");
                BigIntVector stamps = (BigIntVector) root.getVector("ts");
                VarBinaryVector values = (VarBinaryVector) root.getVector("value");
                for (int i = 0; i < root.getRowCount(); i++) {
                    rows.add(new CheckpointRow(keys.get(i), stamps.get(i), values.isNull(i) ? null : values.get(i)));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot decode a checkpoint segment: " + e.getMessage(), e);
        }
        return rows;
    }
}
