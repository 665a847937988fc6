package io.cairn.txn.node;

/**
 * A checkpoint stopped because its TN no longer holds the lease it was cut under: a deposed TN
 * must not publish a manifest, truncate the log or delete objects. Expected after a takeover.
 */
final class LeaseLostException extends RuntimeException {
    LeaseLostException(String message) {
        super(message);
    }
}
