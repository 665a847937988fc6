package io.cairn.sql.plan;

/**
 * Calcite failed one of its own internal checks (an {@link AssertionError}, such as "Conversion to
 * relational algebra failed to preserve datatypes") while compiling a statement it had accepted: a bug of
 * Calcite or of Cairn's use of it, not an error of the statement. {@link QueryCompiler} turns the
 * {@code Error} into this exception so that the statement fails as any other (its statement undone, an own
 * transaction rolled back); the session logs it with the statement's text and answers 1105.
 */
public final class PlannerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlannerFailure(AssertionError cause) {
        super("Calcite failed an internal check while planning: " + firstLine(cause.getMessage()), cause);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
