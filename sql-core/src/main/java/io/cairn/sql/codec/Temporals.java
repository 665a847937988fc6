package io.cairn.sql.codec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Parsing and formatting of MySQL date/time values. Stateless and thread-safe. */
public final class Temporals {
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[[ ]['T']HH:mm[:ss]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter();
    private static final DateTimeFormatter PRINT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Temporals() {
    }

    public static LocalDate toDate(Object value, String column, long row) {
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        return toDateTime(value, column, row).toLocalDate();
    }

    public static LocalDateTime toDateTime(Object value, String column, long row) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        String text = value.toString().trim();
        try {
            return LocalDateTime.parse(text, DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new SqlException(MysqlError.TRUNCATED_WRONG_VALUE, e, "datetime", text);
        }
    }

    public static LocalTime toTime(Object value, String column, long row) {
        if (value instanceof LocalTime t) {
            return t;
        }
        if (value instanceof LocalDateTime t) {
            return t.toLocalTime();
        }
        if (value instanceof Duration d) {
            return LocalTime.ofNanoOfDay(Math.floorMod(d.toNanos(), 86_400_000_000_000L));
        }
        String text = value.toString().trim();
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new SqlException(MysqlError.TRUNCATED_WRONG_VALUE, e, "time", text);
        }
    }

    /** Microseconds in a second, a day. */
    public static final long MICROS_PER_SECOND = 1_000_000L;
    public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    /**
     * {@code t} as microseconds since 1970-01-01 00:00 (no zone), its fraction rounded half up to {@code fsp}
     * digits (0–6), as MySQL stores a value in a DATETIME(fsp) (without TIME_TRUNCATE_FRACTIONAL).
     */
    public static long toMicros(LocalDateTime t, int fsp) {
        long unit = POW10[9 - Math.max(0, Math.min(6, fsp))];
        long nanos = (t.getNano() + unit / 2) / unit * unit;
        return t.toEpochSecond(ZoneOffset.UTC) * MICROS_PER_SECOND + nanos / 1000;
    }

    /** {@code micros} rounded half up to {@code fsp} fraction digits (0–6). */
    public static long roundMicros(long micros, int fsp) {
        long unit = POW10[6 - Math.max(0, Math.min(6, fsp))];
        return Math.floorDiv(micros + unit / 2, unit) * unit;
    }

    /** {@code t} cut to {@code fsp} fraction digits (0–6), as MySQL's NOW(fsp) cuts the current time. */
    public static LocalDateTime truncate(LocalDateTime t, int fsp) {
        long unit = POW10[9 - Math.max(0, Math.min(6, fsp))];
        return t.withNano((int) (t.getNano() / unit * unit));
    }

    /** The date and time of microseconds since 1970-01-01 00:00 (no zone). */
    public static LocalDateTime ofMicros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }

    /** MySQL's text of a DATETIME(fsp): {@code yyyy-MM-dd HH:mm:ss} and exactly {@code fsp} fraction digits. */
    public static String format(long micros, int fsp) {
        LocalDateTime t = ofMicros(micros);
        String s = PRINT.format(t);
        if (fsp <= 0) {
            return s;
        }
        String f = String.format("%06d", t.getNano() / 1000);
        return s + '.' + f.substring(0, Math.min(6, fsp));
    }

    public static String format(LocalDateTime t) {
        String s = PRINT.format(t);
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    public static String format(Duration d) {
        long secs = Math.abs(d.getSeconds());
        return (d.isNegative() ? "-" : "") + String.format("%02d:%02d:%02d", secs / 3600, (secs / 60) % 60, secs % 60);
    }

    /** MySQL's DATE_FORMAT(t, format) with English month and day names (lc_time_names en_US). */
    public static String dateFormat(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char f = format.charAt(++i);
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            switch (f) {
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.US));
                case 'b' -> out.append(t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.US));
                case 'c' -> out.append(t.getMonthValue());
                case 'D' -> out.append(t.getDayOfMonth()).append(ordinal(t.getDayOfMonth()));
                case 'd' -> out.append(two(t.getDayOfMonth()));
                case 'e' -> out.append(t.getDayOfMonth());
                case 'f' -> out.append(String.format("%06d", t.getNano() / 1000));
                case 'H' -> out.append(two(t.getHour()));
                case 'h', 'I' -> out.append(two(hour12));
                case 'i' -> out.append(two(t.getMinute()));
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'k' -> out.append(t.getHour());
                case 'l' -> out.append(hour12);
                case 'M' -> out.append(t.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.US));
                case 'm' -> out.append(two(t.getMonthValue()));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'r' -> out.append(two(hour12)).append(':').append(two(t.getMinute())).append(':')
                        .append(two(t.getSecond())).append(t.getHour() < 12 ? " AM" : " PM");
                case 'S', 's' -> out.append(two(t.getSecond()));
                case 'T' -> out.append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':')
                        .append(two(t.getSecond()));
                case 'W' -> out.append(t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.US));
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'Y' -> out.append(String.format("%04d", t.getYear()));
                case 'y' -> out.append(two(t.getYear() % 100));
                case 'U' -> out.append(two(week(t, java.time.DayOfWeek.SUNDAY)));
                case 'u' -> out.append(two(t.get(java.time.temporal.WeekFields.ISO.weekOfYear())));
                default -> out.append(f);
            }
        }
        return out.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String ordinal(int day) {
        if (day / 10 % 10 == 1) {
            return "th";
        }
        return switch (day % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

    /** MySQL's week 0–53 with weeks starting on {@code first}, week 1 from the first such day of the year. */
    private static int week(LocalDateTime t, java.time.DayOfWeek first) {
        LocalDate jan1 = t.toLocalDate().withDayOfYear(1);
        int offset = Math.floorMod(first.getValue() - jan1.getDayOfWeek().getValue(), 7);
        int day = t.getDayOfYear() - 1 - offset;
        return day < 0 ? 0 : day / 7 + 1;
    }
}
