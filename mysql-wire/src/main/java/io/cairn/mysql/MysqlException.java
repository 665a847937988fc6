package io.cairn.mysql;

import java.util.Objects;

/**
 * The single way an error reaches a MySQL client: the wire layer turns it into an ERR packet carrying
 * {@link #code()}, {@link #sqlState()} and {@link #getMessage()}, and the connection stays usable
 * (unless the error is about the connection itself, such as a failed authentication).
 *
 * <p>Prefer {@link #of(MysqlError, Object...)} so that codes and SQLSTATEs come from the registry
 * {@link MysqlError}; the raw constructor exists for errors relayed from elsewhere (a proxy forwarding a
 * back end's ERR packet).
 */
public class MysqlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String sqlState;
    private final boolean retryable;

    /**
     * @param code      MySQL error number (1..65535)
     * @param sqlState  five-character SQLSTATE
     * @param message   human-readable message sent to the client
     * @param retryable whether the client may retry its transaction
     * @param cause     the internal cause, kept for logs, never sent to the client
     */
    public MysqlException(int code, String sqlState, String message, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (code <= 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("error code out of range: " + code);
        }
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters: " + sqlState);
        }
        this.code = code;
        this.sqlState = sqlState;
        this.retryable = retryable;
    }

    /** An error from the registry, its message formatted with {@code args}. */
    public static MysqlException of(MysqlError error, Object... args) {
        return new MysqlException(error.code(), error.sqlState(), String.format(error.template(), args),
                error.retryable(), null);
    }

    /** An error from the registry with an internal cause (kept for logs only). */
    public static MysqlException of(MysqlError error, Throwable cause, Object... args) {
        return new MysqlException(error.code(), error.sqlState(), String.format(error.template(), args),
                error.retryable(), cause);
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    public boolean retryable() {
        return retryable;
    }
}
