package io.cairn.data;

/**
 * The compute node cannot give a consistent view now: the log is out of reach, or this CN has not
 * applied it far enough in time. Nothing was read or written; retry later (MySQL error 1205-like,
 * retryable).
 */
public final class DataUnavailableException extends RuntimeException {
    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
