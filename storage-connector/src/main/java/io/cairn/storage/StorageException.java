package io.cairn.storage;

/**
 * Base of every error the object store reports. Unchecked, so that store calls compose with lambdas and
 * streams; each subclass names one failure the caller can act on.
 *
 * <p>{@link #isRetryable()} says whether the same call may succeed if repeated later without any change by
 * the caller (for example once an endpoint is back). Callers that map errors to client-visible codes should
 * switch on the subclass, never on the message.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call later, unchanged, may succeed. */
    public boolean isRetryable() {
        return false;
    }
}
