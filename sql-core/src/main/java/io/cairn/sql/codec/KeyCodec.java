package io.cairn.sql.codec;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Memcomparable encoding of typed key values: the unsigned byte order of the encodings is the SQL
 * order of the values, so primary keys and index entries sort correctly in the store.
 *
 * <p>Each value starts with a tag: {@code 0x00} for NULL (NULLs sort first, as in MySQL) or
 * {@code 0x01}. Then:
 * <ul>
 *   <li>integers ({@link Long}/{@link Integer}, also dates as days and times as millis): 8 bytes
 *       big-endian with the sign bit flipped;</li>
 *   <li>doubles: IEEE bits, sign bit flipped for positives, all bits flipped for negatives (−0 = 0);</li>
 *   <li>decimals: a sign class byte (0 negative, 1 zero, 2 positive), for non-zero the decimal
 *       exponent as a flipped 4-byte int, then the significant digits terminated by 0x00
 *       (negatives: exponent and digits inverted, terminator 0xFF);</li>
 *   <li>strings: the <em>collation key</em> — case folded with {@link String#toLowerCase(Locale)}
 *       (root locale) and trailing spaces removed, as MySQL's {@code _general_ci} PAD SPACE
 *       collations compare — in UTF-8, with 0x00 escaped as 0x00 0xFF and terminated by 0x00 0x01.
 *       So {@code 'abc'}, {@code 'ABC'} and {@code 'abc '} are the same key: a VARCHAR primary key
 *       or unique index rejects them as duplicates, like MySQL with its default collation. The row
 *       keeps the original spelling. The byte order is code-point order of the folded string, not
 *       MySQL's collation weight order: ranges over string keys are only used to narrow scans whose
 *       result is re-filtered;</li>
 *   <li>binary strings ({@code byte[]}/{@link ByteString}): the bytes, escaped and terminated as strings.</li>
 * </ul>
 * A descending index column has all bytes of its encoding inverted (the encodings are prefix-free,
 * so inversion reverses the order).
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyCodec {
    private KeyCodec() {
    }

    /** Appends the encoding of {@code value} (NULL for null) to {@code out}. */
    public static void encode(ByteArrayOutputStream out, Object value, boolean descending) {
        if (!descending) {
            encodeAscending(out, value);
            return;
        }
        ByteArrayOutputStream tmp = new ByteArrayOutputStream();
        encodeAscending(tmp, value);
        byte[] b = tmp.toByteArray();
        for (byte x : b) {
            out.write(~x & 0xFF);
        }
    }

    /** Encodes a tuple of values, all ascending. */
    public static byte[] encodeAll(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) {
            encode(out, v, false);
        }
        return out.toByteArray();
    }

    private static void encodeAscending(ByteArrayOutputStream out, Object value) {
        if (value == null) {
            out.write(0);
            return;
        }
        out.write(1);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeLong(out, ((Number) value).longValue() ^ Long.MIN_VALUE);
        } else if (value instanceof Boolean b) {
            writeLong(out, (b ? 1L : 0L) ^ Long.MIN_VALUE);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (d == 0.0) {
                d = 0.0;
            }
            long bits = Double.doubleToLongBits(d);
            writeLong(out, bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
        } else if (value instanceof BigDecimal dec) {
            encodeDecimal(out, dec);
        } else if (value instanceof String s) {
            writeEscaped(out, collationKey(s).getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof ByteString bs) {
            writeEscaped(out, bs.getBytes());
        } else if (value instanceof byte[] bytes) {
            writeEscaped(out, bytes);
        } else {
            throw new IllegalArgumentException("no key encoding for " + value.getClass().getName());
        }
    }

    /**
     * The string that keys compare by: lower-cased (root locale) with trailing spaces removed.
     * Two strings are equal under the default collation exactly when their collation keys are equal.
     */
    public static String collationKey(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        String trimmed = s.substring(0, end);
        // Most keys are already lower-case ASCII (digits, codes): a plain scan is several times cheaper
        // than toLowerCase's per-character case lookup, and ORDER BY evaluates this once per row.
        for (int i = 0; i < end; i++) {
            char c = trimmed.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
                return trimmed.toLowerCase(Locale.ROOT);
            }
        }
        return trimmed;
    }

    private static void encodeDecimal(ByteArrayOutputStream out, BigDecimal dec) {
        int sign = dec.signum();
        if (sign == 0) {
            out.write(1);
            return;
        }
        BigDecimal abs = dec.abs().stripTrailingZeros();
        String digits = abs.unscaledValue().toString();
        int exponent = digits.length() - abs.scale(); // value = 0.digits * 10^exponent
        if (sign > 0) {
            out.write(2);
            writeInt(out, exponent ^ Integer.MIN_VALUE);
            for (int i = 0; i < digits.length(); i++) {
                out.write(digits.charAt(i));
            }
            out.write(0);
        } else {
            out.write(0);
            writeInt(out, ~(exponent ^ Integer.MIN_VALUE));
            for (int i = 0; i < digits.length(); i++) {
                out.write(~digits.charAt(i) & 0xFF);
            }
            out.write(0xFF);
        }
    }

    private static void writeEscaped(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        out.write(0);
        out.write(1);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift) & 0xFF);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((v >>> shift) & 0xFF);
        }
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or null when
     * there is none (all 0xFF): the exclusive upper bound of a prefix scan.
     */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                byte[] out = new byte[i + 1];
                System.arraycopy(end, 0, out, 0, i + 1);
                return out;
            }
        }
        return null;
    }
}
