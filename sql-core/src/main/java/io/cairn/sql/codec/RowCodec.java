package io.cairn.sql.codec;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;

/**
 * The stored form of a row: the column count (varint), a nulls bitmap (one bit per column), then the
 * non-null values in column order, each by its {@link ValueKind}: INT/DATE/TIME and LONG/TIMESTAMP as
 * zig-zag varints, DOUBLE as 8 bytes, DECIMAL as scale varint + unscaled two's-complement bytes
 * (length-prefixed), STRING as length-prefixed UTF-8, BYTES length-prefixed.
 *
 * <p>A row with fewer stored columns than the table has (a column added later) decodes the missing
 * ones as null; callers substitute defaults. Stateless and thread-safe.
 */
public final class RowCodec {
    private RowCodec() {
    }

    /** Encodes {@code values} (internal representation, see {@link ValueKind}) by {@code kinds}. */
    public static byte[] encode(List<ValueKind> kinds, Object[] values) {
        int n = kinds.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + n * 8);
        writeVarLong(out, n);
        byte[] nulls = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                nulls[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        out.writeBytes(nulls);
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            switch (kinds.get(i)) {
                case INT, DATE, TIME -> writeZigZag(out, ((Number) v).intValue());
                case LONG, TIMESTAMP -> writeZigZag(out, ((Number) v).longValue());
                case DOUBLE -> {
                    long bits = Double.doubleToRawLongBits(((Number) v).doubleValue());
                    for (int s = 56; s >= 0; s -= 8) {
                        out.write((int) (bits >>> s) & 0xFF);
                    }
                }
                case DECIMAL -> {
                    BigDecimal d = (BigDecimal) v;
                    writeZigZag(out, d.scale());
                    writeBytes(out, d.unscaledValue().toByteArray());
                }
                case STRING -> writeBytes(out, ((String) v).getBytes(StandardCharsets.UTF_8));
                case BYTES -> writeBytes(out, ((ByteString) v).getBytes());
                default -> throw new IllegalStateException(kinds.get(i).name());
            }
        }
        return out.toByteArray();
    }

    /** Decodes a row of {@code kinds.size()} columns. */
    public static Object[] decode(List<ValueKind> kinds, byte[] row) {
        return decode(kinds, row, null);
    }

    /**
     * Decodes the columns {@code read} marks (all when null) of a row of {@code kinds.size()} columns;
     * the others are skipped without building their values and come back null.
     */
    public static Object[] decode(List<ValueKind> kinds, byte[] row, boolean[] read) {
        int n = kinds.size();
        Object[] values = new Object[n];
        int[] pos = {0};
        int stored = (int) readVarLong(row, pos);
        int nullBytes = (stored + 7) / 8;
        int nullsAt = pos[0];
        pos[0] += nullBytes;
        for (int i = 0; i < stored && i < n; i++) {
            if ((row[nullsAt + (i >> 3)] & (1 << (i & 7))) != 0) {
                continue;
            }
            ValueKind kind = kinds.get(i);
            if (read != null && !read[i]) {
                skip(kind, row, pos);
                continue;
            }
            values[i] = switch (kind) {
                case INT, DATE, TIME -> (int) readZigZag(row, pos);
                case LONG, TIMESTAMP -> readZigZag(row, pos);
                case DOUBLE -> {
                    long bits = 0;
                    for (int k = 0; k < 8; k++) {
                        bits = (bits << 8) | (row[pos[0]++] & 0xFF);
                    }
                    yield Double.longBitsToDouble(bits);
                }
                case DECIMAL -> {
                    int scale = (int) readZigZag(row, pos);
                    yield new BigDecimal(new BigInteger(readBytes(row, pos)), scale);
                }
                case STRING -> {
                    int len = (int) readVarLong(row, pos);
                    String v = new String(row, pos[0], len, StandardCharsets.UTF_8);
                    pos[0] += len;
                    yield v;
                }
                case BYTES -> new ByteString(readBytes(row, pos));
            };
        }
        return values;
    }

    /** Moves {@code pos} past one stored value of {@code kind}. */
    private static void skip(ValueKind kind, byte[] row, int[] pos) {
        switch (kind) {
            case INT, DATE, TIME, LONG, TIMESTAMP -> readVarLong(row, pos);
            case DOUBLE -> pos[0] += 8;
            case DECIMAL -> {
                readVarLong(row, pos);
                skipBytes(row, pos);
            }
            case STRING, BYTES -> skipBytes(row, pos);
        }
    }

    private static void skipBytes(byte[] row, int[] pos) {
        int len = (int) readVarLong(row, pos); // before the add: pos[0] += f(pos) would add to the old position
        pos[0] += len;
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeVarLong(out, b.length);
        out.writeBytes(b);
    }

    private static byte[] readBytes(byte[] row, int[] pos) {
        int len = (int) readVarLong(row, pos);
        byte[] b = new byte[len];
        System.arraycopy(row, pos[0], b, 0, len);
        pos[0] += len;
        return b;
    }

    private static void writeZigZag(ByteArrayOutputStream out, long v) {
        writeVarLong(out, (v << 1) ^ (v >> 63));
    }

    private static long readZigZag(byte[] row, int[] pos) {
        long u = readVarLong(row, pos);
        return (u >>> 1) ^ -(u & 1);
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(byte[] row, int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = row[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }
}
