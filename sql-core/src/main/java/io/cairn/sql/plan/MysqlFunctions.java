package io.cairn.sql.plan;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.codec.KeyCodec;
import io.cairn.sql.exec.ExecContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.util.ByteString;
import java.math.RoundingMode;
import java.util.concurrent.locks.LockSupport;

/**
 * Runtime of the MySQL operators that Calcite-generated code calls (see {@link MysqlOperators}).
 * Public static methods only; Janino compiles calls to them, so this class must sit beside Calcite
 * (STACK-NOTES). Arguments arrive boxed; null in, null out.
 */
public final class MysqlFunctions {
    private MysqlFunctions() {
    }

    /** Exact division with MySQL's result scale; NULL when dividing by zero. */
    public static BigDecimal divideDecimal(Object root, Object a, Object b, int scale) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return divisionByZero(root);
        }
        return decimal(a).divide(divisor, scale, RoundingMode.HALF_UP);
    }

    /** Approximate division; NULL when dividing by zero. */
    public static Double divideDouble(Object root, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        double divisor = ((Number) b).doubleValue();
        if (divisor == 0) {
            return divisionByZero(root);
        }
        return ((Number) a).doubleValue() / divisor;
    }

    /** Remainder of exact integers (sign of the dividend); NULL when dividing by zero. */
    public static Long modLong(Object root, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        long divisor = ((Number) b).longValue();
        if (divisor == 0) {
            return divisionByZero(root);
        }
        return ((Number) a).longValue() % divisor;
    }

    /** Remainder of exact decimals; NULL when dividing by zero. */
    public static BigDecimal modDecimal(Object root, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return divisionByZero(root);
        }
        return decimal(a).remainder(divisor);
    }

    /** Remainder of approximate numbers; NULL when dividing by zero. */
    public static Double modDouble(Object root, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        double divisor = ((Number) b).doubleValue();
        if (divisor == 0) {
            return divisionByZero(root);
        }
        return ((Number) a).doubleValue() % divisor;
    }

    /** Integer division (DIV): truncates toward zero; NULL when dividing by zero. */
    public static Long intDivide(Object root, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return divisionByZero(root);
        }
        return decimal(a).divide(divisor, 0, RoundingMode.DOWN).longValueExact();
    }

    /** NULL, the result of a division by zero, with MySQL's warning 1365 {@code Division by 0}. */
    private static <T> T divisionByZero(Object root) {
        ExecContext.warn(root, MysqlError.DIVISION_BY_ZERO.code(), MysqlError.DIVISION_BY_ZERO.template());
        return null;
    }

    /** LENGTH(): bytes of a string's UTF-8 encoding, of a binary string, of a number's text. */
    public static Long octetLength(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof ByteString b) {
            return (long) b.length();
        }
        return (long) o.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** HEX(): a number as a 64-bit integer (rounded) in hex, anything else as the hex of its UTF-8 bytes. */
    public static String hex(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            long v = n instanceof BigDecimal d ? d.setScale(0, RoundingMode.HALF_UP).longValue()
                    : n instanceof Double || n instanceof Float ? Math.round(n.doubleValue()) : n.longValue();
            return Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
        }
        byte[] bytes = o instanceof ByteString b ? b.getBytes() : o.toString().getBytes(StandardCharsets.UTF_8);
        return java.util.HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** UNHEX(): the bytes of pairs of hex digits (an odd count has a leading 0); NULL if a character is no digit. */
    public static ByteString unhex(Object o) {
        if (o == null) {
            return null;
        }
        String s = o instanceof ByteString b ? new String(b.getBytes(), StandardCharsets.UTF_8) : o.toString();
        if (s.length() % 2 == 1) {
            s = "0" + s;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return new ByteString(out);
    }

    /** CHAR_LENGTH(): characters (Unicode code points) of a string, bytes of a binary string. */
    public static Long charLength(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof ByteString b) {
            return (long) b.length();
        }
        String s = o.toString();
        return (long) s.codePointCount(0, s.length());
    }

    /** The default collation's key of a string (MysqlOperators#COLLATION_KEY). */
    public static String collationKey(Object s) {
        return s == null ? null : KeyCodec.collationKey(s.toString());
    }

    /** An integer as an exact decimal (the operand of SUM, see MysqlOperators#SUMMAND). */
    public static BigDecimal toDecimal(Object o) {
        return o == null ? null : decimal(o);
    }

    /**
     * A value in numeric context, as MySQL converts strings: the number its longest numeric prefix
     * spells after leading white space ({@code ' 12.5e1x'} → 125, {@code 'abc'} → 0), never an error.
     */
    public static Double toDouble(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        String s = o.toString();
        int[] span = numericPrefix(s, true);
        return span[1] == span[0] ? 0.0 : Double.parseDouble(s.substring(span[0], span[1]));
    }

    /**
     * {@link #toDouble(Object)} in generated code: a string that is not wholly a number (but for
     * leading and trailing spaces) also adds MySQL's warning 1292 {@code Truncated incorrect DOUBLE
     * value: '12abc'} to the execution of {@code root}.
     */
    public static Double toDouble(Object root, Object o) {
        if (o != null && !(o instanceof Number)) {
            checkTruncated(root, o.toString(), true, "DOUBLE");
        }
        return toDouble(o);
    }

    /**
     * A string as CAST(… AS SIGNED) makes it: the integer its longest integer prefix spells (a
     * fraction or exponent is cut off: {@code '12.7'} → 12), clipped to BIGINT, with warning 1292
     * {@code Truncated incorrect INTEGER value} when anything was cut or clipped.
     */
    public static Long toSigned(Object root, Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        String s = o.toString();
        int[] span = numericPrefix(s, false);
        boolean truncated = !onlySpaces(s, span[1]) || span[1] == span[0];
        long v;
        if (span[1] == span[0] || (span[1] == span[0] + 1 && !isDigit(s.charAt(span[0])))) {
            v = 0;
        } else {
            java.math.BigInteger big = new java.math.BigInteger(s.substring(span[0], span[1]).replace("+", ""));
            if (big.bitLength() > 63) {
                truncated = true;
                v = big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            } else {
                v = big.longValue();
            }
        }
        if (truncated) {
            ExecContext.warn(root, MysqlError.TRUNCATED_WRONG_VALUE.code(),
                    String.format(MysqlError.TRUNCATED_WRONG_VALUE.template(), "INTEGER", s));
        }
        return v;
    }

    /**
     * A string as CAST(… AS DECIMAL) makes it: the exact number its longest numeric prefix spells,
     * with warning 1292 {@code Truncated incorrect DECIMAL value} when something was cut off.
     */
    public static BigDecimal toDecimal(Object root, Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number) {
            return decimal(o);
        }
        String s = o.toString();
        checkTruncated(root, s, true, "DECIMAL");
        int[] span = numericPrefix(s, true);
        return span[1] == span[0] ? BigDecimal.ZERO : new BigDecimal(s.substring(span[0], span[1]));
    }

    private static void checkTruncated(Object root, String s, boolean fraction, String type) {
        int[] span = numericPrefix(s, fraction);
        if (span[1] == span[0] || !onlySpaces(s, span[1])) {
            ExecContext.warn(root, MysqlError.TRUNCATED_WRONG_VALUE.code(),
                    String.format(MysqlError.TRUNCATED_WRONG_VALUE.template(), type, s));
        }
    }

    private static boolean onlySpaces(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the number at the start of {@code s} (after white space) begins and ends: sign, digits
     * and, with {@code fraction}, a fraction and an exponent; {start, start} when no digit is there.
     */
    private static int[] numericPrefix(String s, boolean fraction) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        for (; i < s.length() && isDigit(s.charAt(i)); i++) {
            digits++;
        }
        if (fraction && i < s.length() && s.charAt(i) == '.') {
            int dot = i;
            i++;
            int after = 0;
            for (; i < s.length() && isDigit(s.charAt(i)); i++) {
                after++;
            }
            if (digits == 0 && after == 0) {
                i = dot;
            }
            digits += after;
        }
        if (digits == 0) {
            return new int[] {start, start};
        }
        int end = i;
        if (fraction && i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int k = i + 1;
            if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                k++;
            }
            if (k < s.length() && isDigit(s.charAt(k))) {
                while (k < s.length() && isDigit(s.charAt(k))) {
                    k++;
                }
                end = k;
            }
        }
        return new int[] {start, end};
    }

    /**
     * MySQL's STRCMP: -1, 0 or 1 as {@code a} sorts before, equal to or after {@code b} in the
     * default collation (case-insensitive, trailing spaces ignored: {@link KeyCodec#collationKey}).
     */
    public static Long strcmp(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        int c = KeyCodec.collationKey(text(a)).compareTo(KeyCodec.collationKey(text(b)));
        return (long) Integer.signum(c);
    }

    private static String text(Object o) {
        if (o instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (o instanceof ByteString b) {
            return new String(b.getBytes(), StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    /** The longest a SLEEP waits between looks at its statement's cancel flag and time limit. */
    private static final long SLEEP_POLL_NANOS = 10_000_000L;

    /**
     * MySQL's SLEEP(seconds): waits, then returns 0; returns 1 early when the statement is killed
     * (KILL QUERY) or reaches its time limit, as MySQL does for a SLEEP that is the whole query (a
     * query that goes on reading rows then fails with 1317/3024 at its next row). NULL or a
     * negative duration is error 1210, as in MySQL's strict mode.
     */
    public static Long sleep(Object root, Object seconds) {
        double s = seconds == null ? -1 : seconds instanceof Number n ? n.doubleValue() : toDouble(root, seconds);
        if (!(s >= 0)) {
            throw new io.cairn.sql.SqlException(MysqlError.WRONG_ARGUMENTS, "sleep.");
        }
        long end = System.nanoTime() + (long) Math.min(s * 1e9, Long.MAX_VALUE / 4.0);
        while (true) {
            if (ExecContext.interrupted(root)) {
                return 1L;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return 0L;
            }
            LockSupport.parkNanos(Math.min(left, SLEEP_POLL_NANOS));
            if (Thread.currentThread().isInterrupted()) {
                return 1L;
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof BigDecimal d) {
            return d;
        }
        if (o instanceof Double || o instanceof Float) {
            return new BigDecimal(o.toString());
        }
        return BigDecimal.valueOf(((Number) o).longValue());
    }

    // ---- microsecond temporals: DATETIME/TIMESTAMP values are microseconds since 1970-01-01 00:00 (see
    // Microseconds); DATE values days since then

    /** A DATETIME given as its microseconds (a literal). */
    public static Long micros(Object micros, Object fsp) {
        return micros == null ? null : ((Number) micros).longValue();
    }

    /**
     * {@code v}, of SQL type {@code type}, as a DATETIME(fsp) in microseconds, rounded to fsp digits; a string that is
     * not a date and time is NULL with warning 1292 (MySQL's CAST).
     */
    public static Long toDatetime(Object root, Object v, Object fsp, String type) {
        if (v == null) {
            return null;
        }
        int digits = ((Number) fsp).intValue();
        switch (type) {
            case "TIMESTAMP":
                return io.cairn.sql.codec.Temporals.roundMicros(((Number) v).longValue(), digits);
            case "DATE":
                return ((Number) v).longValue() * io.cairn.sql.codec.Temporals.MICROS_PER_DAY;
            case "TIME":
                return null;
            default:
                break;
        }
        String text = datetimeText(v);
        try {
            return io.cairn.sql.codec.Temporals.toMicros(
                    io.cairn.sql.codec.Temporals.toDateTime(text, null, 0), digits);
        } catch (io.cairn.sql.SqlException e) {
            ExecContext.warn(root, MysqlError.TRUNCATED_WRONG_VALUE.code(),
                    MysqlError.TRUNCATED_WRONG_VALUE.template().formatted("datetime", text));
            return null;
        }
    }

    // ---- date arithmetic (MYSQL_DATE_ADD: x moved by INTERVAL amount unit, sign -1 for minus; see MysqlInterval)

    /** DATE_ADD giving a DATETIME (of a DATETIME, or of a DATE moved by time units): microseconds. */
    public static Long dateAddDatetime(Object root, Object x, Object amount, Object unit, Object sign, String type) {
        java.time.LocalDateTime r = dateAdd(root, x, amount, unit, sign, type);
        return r == null ? null : io.cairn.sql.codec.Temporals.toMicros(r, 6);
    }

    /** DATE_ADD of a DATE by days or months: days since 1970-01-01. */
    public static Integer dateAddDate(Object root, Object x, Object amount, Object unit, Object sign, String type) {
        java.time.LocalDateTime r = dateAdd(root, x, amount, unit, sign, type);
        return r == null ? null : (int) r.toLocalDate().toEpochDay();
    }

    /** DATE_ADD of a TIME: milliseconds of the day (a TIME's unit), wrapping past midnight. */
    public static Integer dateAddTime(Object root, Object x, Object amount, Object unit, Object sign, String type) {
        java.time.LocalDateTime r = dateAdd(root, x, amount, unit, sign, type);
        return r == null ? null : (int) Math.floorDiv(r.toLocalTime().toNanoOfDay(), 1_000_000L);
    }

    /**
     * DATE_ADD of a string (or number): MySQL's text of the result, a date when the string was one and the unit
     * moves days or months, else a date and time with the digits of the string's fraction or of the interval.
     */
    public static String dateAddString(Object root, Object x, Object amount, Object unit, Object sign, String type,
            int amountScale) {
        java.time.LocalDateTime r = dateAdd(root, x, amount, unit, sign, type);
        if (r == null) {
            return null;
        }
        String text = datetimeText(x).strip();
        boolean hasTime = text.indexOf(':') >= 0;
        if (!hasTime && MysqlInterval.isDateUnit(unit.toString())) {
            return r.toLocalDate().toString();
        }
        int dot = text.lastIndexOf('.');
        int digits = hasTime && dot > text.indexOf(':') ? text.length() - dot - 1 : 0;
        return io.cairn.sql.codec.Temporals.format(io.cairn.sql.codec.Temporals.toMicros(r, 6),
                Math.min(6, Math.max(digits, MysqlInterval.fsp(unit.toString(), amountScale))));
    }

    private static java.time.LocalDateTime dateAdd(Object root, Object x, Object amount, Object unit, Object sign,
            String type) {
        if (x == null || unit == null || sign == null) {
            return null;
        }
        MysqlInterval interval = MysqlInterval.of(amount, unit.toString(), ((Number) sign).intValue());
        if (interval == null) {
            return null;
        }
        Long micros = type.equals("TIME") ? Long.valueOf(((Number) x).longValue() * 1000L) : toDatetime(root, x, 6, type);
        return micros == null ? null : interval.addTo(io.cairn.sql.codec.Temporals.ofMicros(micros));
    }

    /** The text of a string or number that stands for a date and time. */
    private static String datetimeText(Object v) {
        String text = v instanceof ByteString b ? new String(b.getBytes(), StandardCharsets.UTF_8)
                : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        return v instanceof Number && !(v instanceof Double) ? numberAsDatetime(text) : text;
    }

    /** A number YYYYMMDD or YYYYMMDDhhmmss[.ffffff] as the text of its date and time (else as it is). */
    private static String numberAsDatetime(String n) {
        int dot = n.indexOf('.');
        String whole = dot < 0 ? n : n.substring(0, dot);
        String fraction = dot < 0 ? "" : n.substring(dot);
        if (whole.length() == 8) {
            return whole.substring(0, 4) + "-" + whole.substring(4, 6) + "-" + whole.substring(6, 8);
        }
        if (whole.length() == 14) {
            return whole.substring(0, 4) + "-" + whole.substring(4, 6) + "-" + whole.substring(6, 8) + " "
                    + whole.substring(8, 10) + ":" + whole.substring(10, 12) + ":" + whole.substring(12, 14) + fraction;
        }
        return n;
    }

    /** MySQL's text of a DATETIME(fsp) in microseconds: exactly fsp fraction digits. */
    public static String datetimeString(Object micros, Object fsp) {
        return micros == null ? null
                : io.cairn.sql.codec.Temporals.format(((Number) micros).longValue(), ((Number) fsp).intValue());
    }

    /** Microseconds to Calcite's milliseconds (floored). */
    public static Long microsToMillis(Object micros) {
        return micros == null ? null : Math.floorDiv(((Number) micros).longValue(), 1000L);
    }

    /** Calcite's milliseconds to microseconds. */
    public static Long millisToMicros(Object millis) {
        return millis == null ? null : ((Number) millis).longValue() * 1000L;
    }

    /** MICROSECOND(): the fraction of the second in microseconds. */
    public static Integer microsecond(Object root, Object v, String type) {
        if (v != null && "TIME".equals(type)) {
            return (int) Math.floorMod(((Number) v).longValue(), 1000L) * 1000; // milliseconds of the day
        }
        Long micros = toDatetime(root, v, 6, type);
        return micros == null ? null
                : (int) Math.floorMod(micros, io.cairn.sql.codec.Temporals.MICROS_PER_SECOND);
    }

    /** MySQL's DATE_FORMAT of a DATETIME in microseconds (English names; unknown specifiers print their letter). */
    public static String dateFormat(Object root, Object v, Object format, String type) {
        Long micros = toDatetime(root, v, 6, type);
        if (micros == null || format == null) {
            return null;
        }
        return io.cairn.sql.codec.Temporals.dateFormat(io.cairn.sql.codec.Temporals.ofMicros(micros),
                format instanceof ByteString b ? new String(b.getBytes(), StandardCharsets.UTF_8) : format.toString());
    }

    /**
     * TIMESTAMPDIFF(unit, a, b): whole units from a to b (negative when b is earlier), exact to the microsecond;
     * months, quarters and years count whole calendar months as MySQL does. a and b of SQL types {@code ta}, {@code tb}.
     */
    public static Long timestampDiff(Object root, Object unit, Object a, Object b, String ta, String tb) {
        Long x = toDatetime(root, a, 6, ta);
        Long y = toDatetime(root, b, 6, tb);
        if (unit == null || x == null || y == null) {
            return null;
        }
        long d = y - x;
        String u = unit.toString().toUpperCase(java.util.Locale.ROOT);
        if (u.startsWith("SQL_TSI_")) {
            u = u.substring(8);
        }
        long perSecond = io.cairn.sql.codec.Temporals.MICROS_PER_SECOND;
        return switch (u) {
            case "MICROSECOND", "FRAC_SECOND" -> d;
            case "SECOND" -> d / perSecond;
            case "MINUTE" -> d / (60 * perSecond);
            case "HOUR" -> d / (3600 * perSecond);
            case "DAY" -> d / io.cairn.sql.codec.Temporals.MICROS_PER_DAY;
            case "WEEK" -> d / (7 * io.cairn.sql.codec.Temporals.MICROS_PER_DAY);
            case "MONTH" -> months(x, y);
            case "QUARTER" -> months(x, y) / 3;
            case "YEAR" -> months(x, y) / 12;
            default -> throw new IllegalArgumentException("TIMESTAMPDIFF unit " + unit);
        };
    }

    /** Whole months from a to b: the month difference, less one when b's day and time of month is before a's. */
    private static long months(long a, long b) {
        java.time.LocalDateTime x = io.cairn.sql.codec.Temporals.ofMicros(a);
        java.time.LocalDateTime y = io.cairn.sql.codec.Temporals.ofMicros(b);
        boolean negative = b < a;
        if (negative) {
            java.time.LocalDateTime t = x;
            x = y;
            y = t;
        }
        long months = (y.getYear() - x.getYear()) * 12L + y.getMonthValue() - x.getMonthValue();
        java.time.LocalDateTime restY = y.withYear(2000).withMonth(1);
        java.time.LocalDateTime restX = x.withYear(2000).withMonth(1);
        if (restY.isBefore(restX)) {
            months--;
        }
        return negative ? -months : months;
    }
}
