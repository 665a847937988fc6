package io.cairn.sql;

import io.cairn.mysql.MysqlError;

/**
 * An error to report to the client as a MySQL error: {@link #error()} fixes code and SQLSTATE, the
 * message is the formatted template. Unchecked so that it can cross Calcite-generated code; it is
 * caught and mapped in one place by the session.
 */
public final class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient MysqlError error;

    public SqlException(MysqlError error, Object... args) {
        super(String.format(error.template(), args));
        this.error = error;
    }

    public SqlException(MysqlError error, Throwable cause, Object... args) {
        super(String.format(error.template(), args), cause);
        this.error = error;
    }

    public MysqlError error() {
        return error;
    }
}
