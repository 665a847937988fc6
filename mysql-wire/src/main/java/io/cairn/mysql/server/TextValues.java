package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** The text-protocol form of row values (what MySQL would print for the column). */
final class TextValues {
    private TextValues() {
    }

    /** The bytes of a non-null value. */
    static byte[] encode(Object v, ColumnDef column) {
        if (v instanceof byte[] b) {
            return b;
        }
        return ascii(format(v, column));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String format(Object v, ColumnDef column) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return formatFloating(((Number) v).doubleValue());
        }
        if (v instanceof LocalDateTime t) {
            return formatDate(t.toLocalDate()) + ' ' + formatTime(t.toLocalTime(), column.decimals());
        }
        if (v instanceof LocalDate d) {
            return switch (column.type()) {
                case DATETIME, TIMESTAMP -> formatDate(d) + " 00:00:00";
                default -> formatDate(d);
            };
        }
        if (v instanceof LocalTime t) {
            return formatTime(t, column.decimals());
        }
        if (v instanceof Duration d) {
            return formatDuration(d, column.decimals());
        }
        return v.toString();
    }

    static String formatFloating(double d) {
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static String formatDate(LocalDate d) {
        StringBuilder sb = new StringBuilder(10);
        pad(sb, d.getYear(), 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        return pad(sb, d.getDayOfMonth(), 2).toString();
    }

    static String formatTime(LocalTime t, int decimals) {
        StringBuilder sb = new StringBuilder(15);
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        return fraction(sb, t.getNano(), decimals).toString();
    }

    static String formatDuration(Duration d, int decimals) {
        StringBuilder sb = new StringBuilder(16);
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        long seconds = d.getSeconds();
        pad(sb, seconds / 3600, 2).append(':');
        pad(sb, (seconds / 60) % 60, 2).append(':');
        pad(sb, seconds % 60, 2);
        return fraction(sb, d.getNano(), decimals).toString();
    }

    private static StringBuilder fraction(StringBuilder sb, int nanos, int decimals) {
        int digits = decimals >= 1 && decimals <= 6 ? decimals : 0;
        if (digits > 0) {
            String micros = Integer.toString(nanos / 1000 + 1_000_000).substring(1);
            sb.append('.').append(micros, 0, digits);
        }
        return sb;
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
