package io.cairn.sql.session;

/**
 * A commit failed after its request may have reached the transaction node: it may or may not be in the
 * log. Only a write conflict or a too-old snapshot refuse a commit for sure; anything else at that point
 * (a lost log majority, a failure inside the compute node) must not tell the client to run the
 * transaction again, which could apply it twice.
 */
final class CommitOutcomeUnknownException extends RuntimeException {
    CommitOutcomeUnknownException(RuntimeException cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
}
