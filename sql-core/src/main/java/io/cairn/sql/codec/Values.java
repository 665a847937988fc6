package io.cairn.sql.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Conversions between the stored (Calcite internal) representation of values and the external Java
 * types that clients and {@link io.cairn.mysql.QueryResult.Rows} use. Stateless and thread-safe.
 */
public final class Values {
    private Values() {
    }

    /** The external form of an internal value of {@code kind}: java.time for temporals, byte[] for binaries. */
    public static Object toExternal(ValueKind kind, Object value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case DATE -> LocalDate.ofEpochDay(((Number) value).longValue());
            case TIMESTAMP -> Temporals.ofMicros(((Number) value).longValue());
            case TIME -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
            case BYTES -> value instanceof ByteString bs ? bs.getBytes() : value;
            default -> value;
        };
    }

    /** An exact numeric literal's value: a Long when it is integral and fits, else the BigDecimal. */
    public static Object exactNumber(BigDecimal d) {
        if (d.scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d;
            }
        }
        return d;
    }

    /** A double as MySQL prints it: integral values without a fraction, others in the shortest form. */
    public static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        if (s.contains("E")) {
            return new BigDecimal(s).stripTrailingZeros().toString().replace("E+", "e+").replace("E-", "e-");
        }
        return s;
    }
}
