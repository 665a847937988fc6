package io.cairn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator defined by one method, {@link #advance()}, that finds the next element or says there
 * is none; for scans that skip invisible versions, deleted rows or missing index targets.
 * Not thread-safe.
 */
public abstract class LookaheadIterator<T> implements Iterator<T> {
    private T next;
    private boolean looked;

    /** The next element, or null when the iteration is over. Called at most once per element. */
    protected abstract T advance();

    @Override
    public final boolean hasNext() {
        if (!looked) {
            next = advance();
            looked = true;
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        looked = false;
        return next;
    }
}
