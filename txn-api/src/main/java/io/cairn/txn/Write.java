package io.cairn.txn;

/**
 * One change in a write set.
 *
 * @param key   the row or index entry
 * @param kind  what happens to it
 * @param value the new encoded row for {@link Kind#PUT}, {@code null} otherwise; never modified after
 *              the write is handed over
 */
public record Write(Key key, Kind kind, byte[] value) {
    /** What a write does to its key. */
    public enum Kind {
        /** Insert or replace the value. */
        PUT,
        /** Remove the key. */
        DELETE,
        /** Change nothing, but take part in conflict detection as if written (SELECT … FOR UPDATE). */
        LOCK
    }

    public Write {
        if ((kind == Kind.PUT) != (value != null)) {
            throw new IllegalArgumentException(kind + " " + (value == null ? "needs" : "takes no") + " value");
        }
    }

    public static Write put(Key key, byte[] value) {
        return new Write(key, Kind.PUT, value);
    }

    public static Write delete(Key key) {
        return new Write(key, Kind.DELETE, null);
    }

    public static Write lock(Key key) {
        return new Write(key, Kind.LOCK, null);
    }
}
