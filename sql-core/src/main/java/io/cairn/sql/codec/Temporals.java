package io.cairn.sql.codec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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

    public static String format(LocalDateTime t) {
        String s = PRINT.format(t);
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    public static String format(Duration d) {
        long secs = Math.abs(d.getSeconds());
        return (d.isNegative() ? "-" : "") + String.format("%02d:%02d:%02d", secs / 3600, (secs / 60) % 60, secs % 60);
    }
}
