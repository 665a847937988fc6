package io.cairn.log;

/**
 * Base of every error the {@link LogService} reports. Unchecked, so it can cross
 * {@link java.util.concurrent.CompletableFuture} boundaries unwrapped; callers should catch the
 * specific subclasses.
 */
public class LogException extends RuntimeException {

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed if retried later (the log may still be changing). */
    public boolean retryable() {
        return false;
    }
}
