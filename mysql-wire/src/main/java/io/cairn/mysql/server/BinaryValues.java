package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** The binary-protocol form of row values (COM_STMT_EXECUTE result rows), chosen by the column type. */
final class BinaryValues {
    private BinaryValues() {
    }

    /** Appends a non-null value; a value whose Java type does not fit the column type is an error. */
    static void write(PacketBuilder p, Object v, ColumnDef column) throws MysqlException {
        switch (column.type()) {
            case TINY -> p.u8((int) integer(v, column));
            case SHORT, YEAR -> p.u16((int) integer(v, column));
            case INT24, LONG -> p.i32((int) integer(v, column));
            case LONGLONG -> p.i64(integer(v, column));
            case FLOAT -> p.i32(Float.floatToIntBits((float) floating(v, column)));
            case DOUBLE -> p.i64(Double.doubleToLongBits(floating(v, column)));
            case DATE, DATETIME, TIMESTAMP -> writeDateTime(p, v, column);
            case TIME -> writeTime(p, v, column);
            default -> p.lenencBytes(v instanceof byte[] b ? b
                    : TextValues.format(v, column).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static long integer(Object v, ColumnDef column) throws MysqlException {
        if (v instanceof Number n) {
            return n.longValue(); // BigInteger.longValue keeps the low 64 bits: right for UNSIGNED BIGINT
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw mismatch(v, column);
    }

    private static double floating(Object v, ColumnDef column) throws MysqlException {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw mismatch(v, column);
    }

    private static void writeDateTime(PacketBuilder p, Object v, ColumnDef column) throws MysqlException {
        LocalDateTime t;
        if (v instanceof LocalDateTime ldt) {
            t = ldt;
        } else if (v instanceof LocalDate d) {
            t = d.atStartOfDay();
        } else {
            throw mismatch(v, column);
        }
        int micros = t.getNano() / 1000;
        boolean timePart = t.getHour() != 0 || t.getMinute() != 0 || t.getSecond() != 0 || micros != 0;
        int len = micros != 0 ? 11 : timePart ? 7 : 4;
        p.u8(len).u16(t.getYear()).u8(t.getMonthValue()).u8(t.getDayOfMonth());
        if (len >= 7) {
            p.u8(t.getHour()).u8(t.getMinute()).u8(t.getSecond());
        }
        if (len == 11) {
            p.i32(micros);
        }
    }

    private static void writeTime(PacketBuilder p, Object v, ColumnDef column) throws MysqlException {
        Duration d;
        if (v instanceof Duration dur) {
            d = dur;
        } else if (v instanceof LocalTime lt) {
            d = Duration.ofNanos(lt.toNanoOfDay());
        } else {
            throw mismatch(v, column);
        }
        boolean negative = d.isNegative();
        if (negative) {
            d = d.negated();
        }
        long seconds = d.getSeconds();
        int micros = d.getNano() / 1000;
        if (seconds == 0 && micros == 0) {
            p.u8(0);
            return;
        }
        p.u8(micros != 0 ? 12 : 8).u8(negative ? 1 : 0).i32((int) (seconds / 86400))
                .u8((int) (seconds / 3600 % 24)).u8((int) (seconds / 60 % 60)).u8((int) (seconds % 60));
        if (micros != 0) {
            p.i32(micros);
        }
    }

    private static MysqlException mismatch(Object v, ColumnDef column) {
        return MysqlException.of(MysqlError.UNKNOWN_ERROR, "cannot send a " + v.getClass().getSimpleName()
                + " value in column '" + column.name() + "' of type " + column.type());
    }
}
