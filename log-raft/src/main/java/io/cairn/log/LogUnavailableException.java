package io.cairn.log;

/**
 * The log could not complete the call within its timeout: no majority of peers was reachable, no
 * leader could be elected, or the client was closed.
 *
 * <p><b>For an append the outcome is unknown</b>: the records may still become committed later
 * (the leader may have logged them before the majority was lost). Callers that must not repeat
 * an effect should make their records idempotent (e.g. carry a transaction id) or rely on epoch
 * fencing. Retryable.
 */
public class LogUnavailableException extends LogException {

    public LogUnavailableException(String message) {
        super(message);
    }

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
