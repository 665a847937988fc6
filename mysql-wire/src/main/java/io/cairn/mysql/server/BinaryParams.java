package io.cairn.mysql.server;

import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the parameter block of COM_STMT_EXECUTE (null bitmap, new-params-bound flag, types, values) into
 * {@link Parameter}s, using and updating the statement's remembered types.
 */
final class BinaryParams {
    private BinaryParams() {
    }

    /** MySQL's DECIMAL: at most 65 digits, at most 30 after the point. */
    private static final int DECIMAL_DIGITS = 65;
    private static final int DECIMAL_SCALE = 30;

    /**
     * The statement's long data is used, not cleared (the caller accounts for it and clears it).
     *
     * @param in reader positioned after statement id, flags and iteration count
     * @throws MalformedPacketException when the block does not follow the protocol (connection is closed)
     * @throws MysqlException           when a value is well-formed but invalid (e.g. month 13)
     */
    static List<Parameter> decode(PacketReader in, PreparedStatementState stmt)
            throws MalformedPacketException, MysqlException {
        int n = stmt.parameterCount;
        List<Parameter> params = new ArrayList<>(n);
        if (n == 0) {
            return params;
        }
        byte[] nullBitmap = in.bytes((n + 7) / 8);
        int newParamsBound = in.u8();
        if (newParamsBound == 1) {
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                int code = in.u8();
                int flags = in.u8();
                if (ColumnType.fromCode(code) == null) {
                    throw new MalformedPacketException("unknown parameter type " + code);
                }
                types[i] = code | ((flags & 0x80) != 0 ? 0x8000 : 0);
            }
            stmt.boundTypes = types;
        } else if (newParamsBound != 0 || stmt.boundTypes == null) {
            throw new MalformedPacketException("parameters executed without bound types");
        }
        for (int i = 0; i < n; i++) {
            int t = stmt.boundTypes[i];
            ColumnType type = ColumnType.fromCode(t & 0xFF);
            boolean unsigned = (t & 0x8000) != 0;
            byte[] raw = null;
            Object value;
            if (stmt.longData[i] != null) {
                raw = stmt.longData[i].toByteArray();
                value = bytesValue(type, raw);
            } else if ((nullBitmap[i / 8] & (1 << (i % 8))) != 0 || type == ColumnType.NULL) {
                value = null;
            } else if (isStringLike(type)) {
                raw = in.lenencBytes();
                value = bytesValue(type, raw);
            } else {
                value = value(in, type, unsigned);
            }
            params.add(new Parameter(type, unsigned, value, raw));
        }
        return params;
    }

    private static boolean isStringLike(ColumnType type) {
        return switch (type) {
            case VARCHAR, VAR_STRING, STRING, JSON, ENUM, SET, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB, BIT,
                    GEOMETRY -> true;
            default -> false;
        };
    }

    private static Object bytesValue(ColumnType type, byte[] raw) {
        return isBinary(type) ? raw : new String(raw, StandardCharsets.UTF_8);
    }

    private static boolean isBinary(ColumnType type) {
        return type.isBlob() || type == ColumnType.BIT || type == ColumnType.GEOMETRY;
    }

    private static Object value(PacketReader in, ColumnType type, boolean unsigned)
            throws MalformedPacketException, MysqlException {
        switch (type) {
            case TINY:
                int b = in.u8();
                return (long) (unsigned ? b : (byte) b);
            case SHORT:
            case YEAR:
                int s = in.u16();
                return (long) (unsigned ? s : (short) s);
            case INT24:
            case LONG:
                int i = in.i32();
                return unsigned ? Integer.toUnsignedLong(i) : (long) i;
            case LONGLONG:
                long l = in.i64();
                if (unsigned && l < 0) {
                    return new BigInteger(Long.toUnsignedString(l));
                }
                return l;
            case FLOAT:
                return Double.valueOf(Float.toString(Float.intBitsToFloat(in.i32())));
            case DOUBLE:
                return Double.longBitsToDouble(in.i64());
            case DATE:
            case DATETIME:
            case TIMESTAMP:
                return dateTime(in, type);
            case TIME:
                return time(in);
            case DECIMAL:
            case NEWDECIMAL:
                return decimal(in.lenencString());
            default:
                throw new MalformedPacketException("unexpected parameter type " + type);
        }
    }

    /**
     * A DECIMAL parameter as MySQL's DECIMAL can hold it: rounded to 30 places, no negative scale, at most
     * 65 digits, else ERR 1210. Unbounded, "1e999999999" would reach the engine as a BigDecimal whose plain
     * text is a gigabyte.
     */
    private static BigDecimal decimal(String text) throws MysqlException {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw MysqlException.of(MysqlError.WRONG_ARGUMENTS, e, "mysqld_stmt_execute");
        }
        long integerDigits = (long) d.precision() - d.scale();
        if (integerDigits > DECIMAL_DIGITS) {
            throw MysqlException.of(MysqlError.WRONG_ARGUMENTS, "mysqld_stmt_execute");
        }
        if (integerDigits < -DECIMAL_SCALE) {
            return BigDecimal.ZERO.setScale(DECIMAL_SCALE); // below 10^-31: rounds to 0 (without dividing by 10^scale)
        }
        if (d.scale() > DECIMAL_SCALE) {
            d = d.setScale(DECIMAL_SCALE, java.math.RoundingMode.HALF_UP);
        } else if (d.scale() < 0) {
            d = d.setScale(0);
        }
        if (d.precision() > DECIMAL_DIGITS) { // 35+ integer digits and 30 decimals: fewer decimals, as MySQL
            d = d.setScale(Math.max(0, DECIMAL_DIGITS - (d.precision() - d.scale())), java.math.RoundingMode.HALF_UP);
        }
        return d;
    }

    private static Object dateTime(PacketReader in, ColumnType type)
            throws MalformedPacketException, MysqlException {
        int len = in.u8();
        if (len != 0 && len != 4 && len != 7 && len != 11) {
            throw new MalformedPacketException("bad date length " + len);
        }
        if (len == 0) {
            return type == ColumnType.DATE ? "0000-00-00" : "0000-00-00 00:00:00";
        }
        int year = in.u16();
        int month = in.u8();
        int day = in.u8();
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        if (len >= 7) {
            hour = in.u8();
            minute = in.u8();
            second = in.u8();
        }
        if (len == 11) {
            micros = in.i32();
        }
        try {
            if (type == ColumnType.DATE) {
                return LocalDate.of(year, month, day);
            }
            if (micros < 0 || micros > 999_999) {
                throw new DateTimeException("microseconds out of range");
            }
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
        } catch (DateTimeException e) {
            throw MysqlException.of(MysqlError.WRONG_ARGUMENTS, e, "mysqld_stmt_execute");
        }
    }

    private static Duration time(PacketReader in) throws MalformedPacketException {
        int len = in.u8();
        if (len == 0) {
            return Duration.ZERO;
        }
        if (len != 8 && len != 12) {
            throw new MalformedPacketException("bad time length " + len);
        }
        boolean negative = in.u8() == 1;
        long days = Integer.toUnsignedLong(in.i32());
        int hours = in.u8();
        int minutes = in.u8();
        int seconds = in.u8();
        int micros = len == 12 ? in.i32() : 0;
        Duration d = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds)
                .plusNanos(Math.floorMod(micros, 1_000_000) * 1000L);
        return negative ? d.negated() : d;
    }
}
