package io.cairn.sql.exec;

import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.DataType;
import io.cairn.sql.catalog.SqlType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.calcite.avatica.util.ByteString;

/**
 * The checksum MariaDB 10.11 gives a row in {@code CHECKSUM TABLE} (the row-by-row way, which InnoDB tables
 * take): a CRC-32 (zlib's polynomial, {@link CRC32}) over the row as MariaDB's in-memory record holds it —
 * <ol>
 *   <li>the record's null-flag bytes, when it has any: one bit per nullable column in column order (set when
 *       NULL), after a leading "deleted" bit, always set, in tables without a variable-length column
 *       (VARCHAR, VARBINARY, TEXT, BLOB), and with the unused high bits of the last byte set;</li>
 *   <li>then each column that is not NULL: variable-length ones as their value's bytes (no length prefix),
 *       the others as the bytes of their fixed-size storage format: integers little-endian in 1, 2, 3, 4 or 8
 *       bytes; FLOAT and DOUBLE as IEEE little-endian in 4 and 8 bytes; DECIMAL in MariaDB's binary format;
 *       CHAR(n) as utf8mb4 padded with spaces to 4·n bytes, BINARY(n) padded with zero bytes to n; DATE in
 *       3 bytes; DATETIME, TIMESTAMP and TIME in MariaDB's (MySQL 5.6) big-endian formats with their declared
 *       fractional digits; YEAR in one byte.</li>
 * </ol>
 * A table's checksum is the sum of its rows' checksums modulo 2<sup>32</sup> ({@link #add}), so row order does
 * not matter. Every detail was checked against a MariaDB 10.11 server ({@code RowChecksumTest}).
 *
 * <p>Assumes what a MariaDB table loaded from a Cairn dump (and Cairn's own defaults) has: string columns in
 * utf8mb4, TIMESTAMP values in UTC (MariaDB's time zone UTC). DATETIME/TIMESTAMP values are exact to the
 * microsecond and already rounded to the column's digits on insert; TIME values are kept to the millisecond.
 *
 * <p>Immutable and thread-safe.
 */
public final class RowChecksum {
    /** Bytes of a DECIMAL group of n (0..9) digits. */
    private static final int[] DIGIT_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    /** utf8mb4's longest character: a CHAR(n) takes 4·n bytes in the record. */
    private static final int MAX_BYTES_PER_CHAR = 4;

    private final SqlType[] types;
    /** Each column's bit among the null flags, or -1 for a NOT NULL column. */
    private final int[] nullBits;
    private final int nullBytes;
    /** The fixed bits of the null-flag bytes: the deleted bit and the unused high bits of the last byte. */
    private final byte[] nullTemplate;

    public RowChecksum(List<ColumnDefinition> columns) {
        types = new SqlType[columns.size()];
        nullBits = new int[columns.size()];
        boolean variableLength = columns.stream().anyMatch(c -> isVariableLength(c.type().base()));
        int bit = variableLength ? 0 : 1;
        for (int i = 0; i < columns.size(); i++) {
            types[i] = columns.get(i).type();
            nullBits[i] = columns.get(i).nullable() ? bit++ : -1;
        }
        nullBytes = (bit + 7) / 8;
        nullTemplate = new byte[nullBytes];
        if (nullBytes > 0) {
            if (!variableLength) {
                nullTemplate[0] |= 1;
            }
            int used = bit % 8;
            if (used != 0) {
                nullTemplate[nullBytes - 1] |= (byte) (0xFF << used);
            }
        }
    }

    /** Adds a row's checksum to a table's: the sum modulo 2<sup>32</sup>. */
    public static long add(long tableChecksum, long rowChecksum) {
        return (tableChecksum + rowChecksum) & 0xFFFF_FFFFL;
    }

    /**
     * The checksum of {@code row}, given in the stored representation ({@link TableCodec#decodeRow}), one value
     * per column of the table.
     */
    public long of(Object[] row) {
        CRC32 crc = new CRC32();
        if (nullBytes > 0) {
            byte[] flags = Arrays.copyOf(nullTemplate, nullBytes);
            for (int i = 0; i < types.length; i++) {
                if (row[i] == null && nullBits[i] >= 0) {
                    flags[nullBits[i] / 8] |= (byte) (1 << (nullBits[i] % 8));
                }
            }
            crc.update(flags);
        }
        for (int i = 0; i < types.length; i++) {
            if (row[i] != null) {
                crc.update(recordBytes(types[i], row[i]));
            }
        }
        return crc.getValue();
    }

    /** Whether MariaDB keeps the column's value out of the fixed-size record (and the record has no deleted bit). */
    private static boolean isVariableLength(DataType base) {
        return switch (base) {
            case VARCHAR, VARBINARY, TINYTEXT, TEXT, MEDIUMTEXT, LONGTEXT, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> true;
            default -> false;
        };
    }

    /** The bytes MariaDB checksums for a non-NULL value of a column of type {@code type}. */
    static byte[] recordBytes(SqlType type, Object value) {
        return switch (type.base()) {
            case TINYINT, BOOLEAN -> littleEndian(integer(value), 1);
            case SMALLINT -> littleEndian(integer(value), 2);
            case MEDIUMINT -> littleEndian(integer(value), 3);
            case INT -> littleEndian(integer(value), 4);
            case BIGINT -> littleEndian(integer(value), 8);
            case YEAR -> {
                long year = integer(value);
                yield new byte[] {(byte) (year == 0 ? 0 : year - 1900)};
            }
            case FLOAT -> littleEndian(Float.floatToIntBits(((Number) value).floatValue()), 4);
            case DOUBLE -> littleEndian(Double.doubleToLongBits(((Number) value).doubleValue()), 8);
            case DECIMAL -> decimal((BigDecimal) value, type.precision(), type.scale());
            case CHAR -> padded(((String) value).getBytes(StandardCharsets.UTF_8),
                    (int) type.maxLength() * MAX_BYTES_PER_CHAR, (byte) ' ');
            case BINARY -> padded(((ByteString) value).getBytes(), (int) type.maxLength(), (byte) 0);
            case VARCHAR, TINYTEXT, TEXT, MEDIUMTEXT, LONGTEXT -> ((String) value).getBytes(StandardCharsets.UTF_8);
            case VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> ((ByteString) value).getBytes();
            case DATE -> {
                LocalDate d = LocalDate.ofEpochDay(((Number) value).longValue());
                yield littleEndian(d.getYear() * 512L + d.getMonthValue() * 32L + d.getDayOfMonth(), 3);
            }
            case DATETIME -> {
                LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) value).longValue(), 1_000_000L), 0,
                        ZoneOffset.UTC);
                long yearMonth = t.getYear() * 13L + t.getMonthValue();
                long date = (yearMonth << 5) | t.getDayOfMonth();
                long packed = (date << 17) | timeOfDay(t.getHour(), t.getMinute(), t.getSecond());
                yield withFraction(bigEndian(packed + 0x80_0000_0000L, 5), microsOf(value), type);
            }
            case TIMESTAMP -> {
                long micros = ((Number) value).longValue();
                yield withFraction(bigEndian(Math.floorDiv(micros, 1_000_000L), 4), microsOf(value), type);
            }
            case TIME -> {
                long seconds = Math.floorDiv(((Number) value).longValue(), 1000);
                long packed = timeOfDay((int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
                yield withFraction(bigEndian(packed + 0x80_0000L, 3), millisOf(value) * 1000, type);
            }
        };
    }

    private static long integer(Object value) {
        // UNSIGNED BIGINT is stored as a DECIMAL: its low 64 bits are MariaDB's bytes
        return value instanceof BigDecimal d ? d.toBigInteger().longValue() : ((Number) value).longValue();
    }

    private static long timeOfDay(int hour, int minute, int second) {
        return ((long) hour << 12) | ((long) minute << 6) | second;
    }

    private static int millisOf(Object value) {
        return (int) Math.floorMod(((Number) value).longValue(), 1000L);
    }

    /** The microseconds of a DATETIME/TIMESTAMP's second. */
    private static int microsOf(Object value) {
        return (int) Math.floorMod(((Number) value).longValue(), 1_000_000L);
    }

    /**
     * A temporal value's bytes followed by its fraction cut to the column's declared fractional digits (its type's
     * length, at most 6): for 1–2 digits one byte of hundredths, 3–4 two bytes of ten-thousandths, 5–6 three bytes
     * of microseconds, big-endian.
     */
    private static byte[] withFraction(byte[] whole, int micros, SqlType type) {
        int digits = (int) Math.min(6, type.length());
        if (digits == 0) {
            return whole;
        }
        byte[] fraction = switch (digits) {
            case 1, 2 -> bigEndian(micros / 10_000 / pow10(2 - digits) * pow10(2 - digits), 1);
            case 3, 4 -> bigEndian(micros / 100 / pow10(4 - digits) * pow10(4 - digits), 2);
            default -> bigEndian(micros / pow10(6 - digits) * pow10(6 - digits), 3);
        };
        byte[] out = Arrays.copyOf(whole, whole.length + fraction.length);
        System.arraycopy(fraction, 0, out, whole.length, fraction.length);
        return out;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /**
     * MariaDB's binary DECIMAL(precision, scale): the integer digits, then the fraction digits, each side in
     * groups of nine digits stored as 4-byte big-endian numbers (the integer side's leftover leading digits,
     * and the fraction's trailing ones, in {@link #DIGIT_BYTES} bytes); a negative value's bytes inverted, and
     * the first byte's top bit flipped, so that the bytes sort as the numbers do.
     */
    static byte[] decimal(BigDecimal value, int precision, int scale) {
        BigDecimal scaled = value.setScale(scale, RoundingMode.HALF_UP);
        String digits = scaled.unscaledValue().abs().toString();
        if (digits.length() < precision) {
            digits = "0".repeat(precision - digits.length()) + digits;
        } else if (digits.length() > precision) {
            digits = digits.substring(digits.length() - precision); // cannot be stored: coerce refuses it (1264)
        }
        int intDigits = precision - scale;
        int lead = intDigits % 9;
        int fullFraction = scale - scale % 9;
        byte[] out = new byte[intDigits / 9 * 4 + DIGIT_BYTES[lead] + scale / 9 * 4 + DIGIT_BYTES[scale % 9]];
        int at = 0;
        at = group(out, at, digits, 0, lead);
        for (int i = lead; i < intDigits; i += 9) {
            at = group(out, at, digits, i, 9);
        }
        for (int i = 0; i < fullFraction; i += 9) {
            at = group(out, at, digits, intDigits + i, 9);
        }
        group(out, at, digits, intDigits + fullFraction, scale % 9);
        if (scaled.signum() < 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) ~out[i];
            }
        }
        out[0] ^= (byte) 0x80;
        return out;
    }

    /** Writes {@code count} digits from {@code from} as one big-endian group; returns the next position. */
    private static int group(byte[] out, int at, String digits, int from, int count) {
        if (count == 0) {
            return at;
        }
        int n = DIGIT_BYTES[count];
        long v = Long.parseLong(digits, from, from + count, 10);
        for (int i = n - 1; i >= 0; i--) {
            out[at + i] = (byte) v;
            v >>>= 8;
        }
        return at + n;
    }

    private static byte[] padded(byte[] value, int length, byte pad) {
        if (value.length >= length) {
            return value;
        }
        byte[] out = Arrays.copyOf(value, length);
        Arrays.fill(out, value.length, length, pad);
        return out;
    }

    private static byte[] littleEndian(long v, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    private static byte[] bigEndian(long v, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }
}
