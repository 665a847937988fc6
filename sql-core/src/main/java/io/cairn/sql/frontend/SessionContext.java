package io.cairn.sql.frontend;

/**
 * What the front-end needs from the session to rewrite a statement: values of variables and of the
 * session functions that MySQL evaluates once per statement.
 */
public interface SessionContext {
    /** The value of {@code @@name} ("session.x", "global.x" or "x"). */
    Object systemVariable(String name);

    /** The value of {@code @name}, null when unset. */
    Object userVariable(String name);

    /**
     * The value of a session function called without arguments, e.g. DATABASE(), NOW(), or
     * {@link #NOT_A_SESSION_FUNCTION} when {@code upperName} is not one.
     */
    Object sessionFunction(String upperName);

    /**
     * The value of a date/time session function called with a fractional-seconds precision, e.g. NOW(6): the
     * statement's start cut to {@code fsp} digits (0–6), or {@link #NOT_A_SESSION_FUNCTION}.
     */
    default Object sessionFunction(String upperName, int fsp) {
        return sessionFunction(upperName);
    }

    /** Marker returned by {@link #sessionFunction} for names it does not know. */
    Object NOT_A_SESSION_FUNCTION = new Object();
}
