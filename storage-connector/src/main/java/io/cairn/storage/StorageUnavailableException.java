package io.cairn.storage;

/**
 * Too few endpoints answered to complete the operation: the read or write quorum was not reached. Nothing
 * is known to be lost; the call is retryable once enough endpoints are back.
 */
public class StorageUnavailableException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final int answered;
    private final int needed;

    /**
     * @param operation what was attempted, e.g. {@code "get ckpt/1"}
     * @param answered how many endpoints gave a usable answer
     * @param needed how many were required
     * @param cause the last endpoint failure seen, may be {@code null}
     */
    public StorageUnavailableException(String operation, int answered, int needed, Throwable cause) {
        super(operation + ": storage unavailable, " + answered + " endpoint(s) answered, " + needed + " needed"
                + (cause == null ? "" : " (last error: " + cause + ")"), cause);
        this.answered = answered;
        this.needed = needed;
    }

    public int answered() {
        return answered;
    }

    public int needed() {
        return needed;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
