package io.cairn.sql.session;

/**
 * Told about every statement a client ran on this compute node, for monitoring: its kind and how long it took
 * on the CN, from the moment the statement arrived until its answer was ready (for a result streamed to the
 * client, until its last row went out; a statement that failed counts too). A text query with several statements
 * reports each one; an execute of a prepared statement reports the statement it runs.
 *
 * <p>Called on the session's thread (a streamed result's: the one that sent its last row) after each statement: an implementation must be quick and must not throw.
 */
@FunctionalInterface
public interface StatementObserver {
    /** Observes nothing. */
    StatementObserver NONE = (kind, elapsedNanos) -> {
    };

    /**
     * @param kind         MySQL's name of the statement's command, as its {@code Com_} status counter has it
     *                     ({@code select}, {@code insert}, {@code update}, {@code delete}, {@code begin},
     *                     {@code commit}, {@code set_option}, {@code show_tables}, …) when it is one of the
     *                     commands {@code SHOW STATUS} always lists, else {@code other}: a bounded set, whatever
     *                     clients send
     * @param elapsedNanos how long the statement took
     */
    void statementEnded(String kind, long elapsedNanos);
}
