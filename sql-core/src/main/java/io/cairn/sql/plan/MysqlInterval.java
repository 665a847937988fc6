package io.cairn.sql.plan;

import io.cairn.sql.codec.Temporals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A MySQL {@code INTERVAL expr unit} as DATE_ADD adds it: whole months (YEAR, QUARTER, MONTH, YEAR_MONTH) or
 * microseconds (every other unit), read as MariaDB 10.11 reads the amount. A simple unit takes a number, rounded
 * half up to whole units ({@code 1.5 DAY} is 2 days, {@code 2.5 MICROSECOND} 3), except SECOND, which keeps six
 * decimals. A compound unit ({@code DAY_HOUR}, {@code SECOND_MICROSECOND}, …) takes a string of digit groups
 * separated by anything else, a leading {@code -} negating them all; fewer groups than the unit's fields fill its
 * rightmost ones, and its microsecond field is a fraction ({@code '1.5' SECOND_MICROSECOND} is 1.5 seconds).
 * Immutable.
 *
 * @param months months to add (may be negative)
 * @param micros microseconds to add (may be negative)
 */
record MysqlInterval(long months, long micros) {
    private static final long SECOND = Temporals.MICROS_PER_SECOND;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = Temporals.MICROS_PER_DAY;

    /** Microseconds of each simple time unit. */
    private static final Map<String, Long> TIME_UNITS = Map.of("MICROSECOND", 1L, "SECOND", SECOND, "MINUTE", MINUTE,
            "HOUR", HOUR, "DAY", DAY, "WEEK", 7 * DAY);
    /** Months of each simple month unit. */
    private static final Map<String, Long> MONTH_UNITS = Map.of("MONTH", 1L, "QUARTER", 3L, "YEAR", 12L);
    /** The fields of each compound unit, largest first, as microseconds (0 marks the microsecond fraction). */
    private static final Map<String, long[]> COMPOUND_UNITS = Map.ofEntries(
            Map.entry("SECOND_MICROSECOND", new long[] {SECOND, 0}),
            Map.entry("MINUTE_MICROSECOND", new long[] {MINUTE, SECOND, 0}),
            Map.entry("MINUTE_SECOND", new long[] {MINUTE, SECOND}),
            Map.entry("HOUR_MICROSECOND", new long[] {HOUR, MINUTE, SECOND, 0}),
            Map.entry("HOUR_SECOND", new long[] {HOUR, MINUTE, SECOND}),
            Map.entry("HOUR_MINUTE", new long[] {HOUR, MINUTE}),
            Map.entry("DAY_MICROSECOND", new long[] {DAY, HOUR, MINUTE, SECOND, 0}),
            Map.entry("DAY_SECOND", new long[] {DAY, HOUR, MINUTE, SECOND}),
            Map.entry("DAY_MINUTE", new long[] {DAY, HOUR, MINUTE}),
            Map.entry("DAY_HOUR", new long[] {DAY, HOUR}));

    /** Whether {@code unit} (any case, {@code SQL_TSI_} prefix allowed) is one of MySQL's interval units. */
    static boolean isUnit(String unit) {
        String u = normalized(unit);
        return TIME_UNITS.containsKey(u) || MONTH_UNITS.containsKey(u) || COMPOUND_UNITS.containsKey(u)
                || u.equals("YEAR_MONTH");
    }

    /** Whether the unit moves only whole days or months, so that a DATE stays a DATE. */
    static boolean isDateUnit(String unit) {
        String u = normalized(unit);
        return u.equals("DAY") || u.equals("WEEK") || MONTH_UNITS.containsKey(u) || u.equals("YEAR_MONTH");
    }

    /**
     * The fraction digits a DATETIME needs to hold a value moved by such an interval: 6 for the microsecond units,
     * for SECOND the amount's decimals ({@code amountScale}, 6 when the amount is a string), else 0.
     */
    static int fsp(String unit, int amountScale) {
        String u = normalized(unit);
        return u.endsWith("MICROSECOND") ? 6 : u.equals("SECOND") ? Math.max(0, Math.min(6, amountScale)) : 0;
    }

    /**
     * The interval ({@code sign} -1 for DATE_SUB and {@code -}), or null when the amount is NULL, not one (a
     * compound unit's string with too many groups) or beyond any date.
     */
    static MysqlInterval of(Object amount, String unit, int sign) {
        if (amount == null) {
            return null;
        }
        try {
            return parse(amount, normalized(unit), sign);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static MysqlInterval parse(Object amount, String u, int sign) {
        Long perUnit = TIME_UNITS.get(u);
        if (perUnit != null || MONTH_UNITS.containsKey(u)) {
            BigDecimal n = number(amount);
            if (sign < 0) {
                n = n.negate();
            }
            if (u.equals("SECOND")) {
                return new MysqlInterval(0, n.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact());
            }
            long whole = n.setScale(0, RoundingMode.HALF_UP).longValueExact();
            return perUnit != null ? new MysqlInterval(0, Math.multiplyExact(whole, perUnit))
                    : new MysqlInterval(Math.multiplyExact(whole, MONTH_UNITS.get(u)), 0);
        }
        String text = amount instanceof BigDecimal d ? d.toPlainString() : amount.toString();
        boolean negative = text.strip().startsWith("-") != (sign < 0);
        List<String> groups = digitGroups(text);
        if (u.equals("YEAR_MONTH")) {
            long[] ym = fill(groups, 2);
            return ym == null ? null
                    : new MysqlInterval((negative ? -1 : 1) * Math.addExact(Math.multiplyExact(ym[0], 12), ym[1]), 0);
        }
        long[] fields = COMPOUND_UNITS.get(u);
        if (fields == null) {
            throw new IllegalArgumentException("interval unit " + u);
        }
        long[] values = fill(groups, fields.length);
        if (values == null) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < fields.length; i++) {
            total = Math.addExact(total, fields[i] == 0 ? fraction(groups, fields.length, i)
                    : Math.multiplyExact(values[i], fields[i]));
        }
        return new MysqlInterval(0, negative ? -total : total);
    }

    /** {@code t} moved by the interval; null past the years MySQL keeps (0–9999). */
    LocalDateTime addTo(LocalDateTime t) {
        LocalDateTime r = t.plusMonths(months).plus(micros, ChronoUnit.MICROS);
        return r.getYear() < 0 || r.getYear() > 9999 ? null : r;
    }

    private static String normalized(String unit) {
        String u = unit.toUpperCase(Locale.ROOT);
        return u.startsWith("SQL_TSI_") ? u.substring(8) : u;
    }

    /** The amount as a number (a string's NumberFormatException makes the interval NULL). */
    private static BigDecimal number(Object amount) {
        if (amount instanceof BigDecimal d) {
            return d;
        }
        if (amount instanceof Double || amount instanceof Float) {
            return new BigDecimal(amount.toString());
        }
        if (amount instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(amount.toString().strip());
    }

    private static List<String> digitGroups(String text) {
        List<String> groups = new ArrayList<>();
        StringBuilder g = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c >= '0' && c <= '9') {
                g.append(c);
            } else if (!g.isEmpty()) {
                groups.add(g.toString());
                g.setLength(0);
            }
        }
        if (!g.isEmpty()) {
            groups.add(g.toString());
        }
        return groups;
    }

    /** The groups as {@code n} fields, right-aligned (missing leading fields are 0); null for too many groups. */
    private static long[] fill(List<String> groups, int n) {
        if (groups.size() > n) {
            return null;
        }
        long[] out = new long[n];
        for (int i = 0; i < groups.size(); i++) {
            out[n - groups.size() + i] = Long.parseLong(groups.get(i));
        }
        return out;
    }

    /** The microseconds of the fraction field at {@code field}: its digits after a decimal point (6 at most). */
    private static long fraction(List<String> groups, int fields, int field) {
        int g = field - (fields - groups.size());
        if (g < 0) {
            return 0;
        }
        String digits = (groups.get(g) + "000000").substring(0, 6);
        return Long.parseLong(digits);
    }
}
