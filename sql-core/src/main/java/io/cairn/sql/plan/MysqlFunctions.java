package io.cairn.sql.plan;

import io.cairn.sql.codec.KeyCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.util.ByteString;
import java.math.RoundingMode;

/**
 * Runtime of the MySQL operators that Calcite-generated code calls (see {@link MysqlOperators}).
 * Public static methods only; Janino compiles calls to them, so this class must sit beside Calcite
 * (STACK-NOTES). Arguments arrive boxed; null in, null out.
 */
public final class MysqlFunctions {
    private MysqlFunctions() {
    }

    /** Exact division with MySQL's result scale; NULL when dividing by zero. */
    public static BigDecimal divideDecimal(Object a, Object b, int scale) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return null;
        }
        return decimal(a).divide(divisor, scale, RoundingMode.HALF_UP);
    }

    /** Approximate division; NULL when dividing by zero. */
    public static Double divideDouble(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        double divisor = ((Number) b).doubleValue();
        if (divisor == 0) {
            return null;
        }
        return ((Number) a).doubleValue() / divisor;
    }

    /** Remainder of exact integers (sign of the dividend); NULL when dividing by zero. */
    public static Long modLong(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        long divisor = ((Number) b).longValue();
        if (divisor == 0) {
            return null;
        }
        return ((Number) a).longValue() % divisor;
    }

    /** Remainder of exact decimals; NULL when dividing by zero. */
    public static BigDecimal modDecimal(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return null;
        }
        return decimal(a).remainder(divisor);
    }

    /** Remainder of approximate numbers; NULL when dividing by zero. */
    public static Double modDouble(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        double divisor = ((Number) b).doubleValue();
        if (divisor == 0) {
            return null;
        }
        return ((Number) a).doubleValue() % divisor;
    }

    /** Integer division (DIV): truncates toward zero; NULL when dividing by zero. */
    public static Long intDivide(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal divisor = decimal(b);
        if (divisor.signum() == 0) {
            return null;
        }
        return decimal(a).divide(divisor, 0, RoundingMode.DOWN).longValueExact();
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
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            for (; i < s.length() && isDigit(s.charAt(i)); i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return 0.0;
        }
        int end = i;
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
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
        return Double.parseDouble(s.substring(start, end));
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
}
