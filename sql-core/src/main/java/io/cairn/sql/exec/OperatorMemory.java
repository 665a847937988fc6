package io.cairn.sql.exec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.math.BigDecimal;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The memory one statement's sorts and groupings may hold ({@code cairn.sql.max-operator-memory}): the
 * rows a full sort has read and the groups a hash aggregation has produced, estimated per row, summed
 * over the streams of the statement that are open at once. Past the limit the statement stops with
 * MySQL's 1038 (ER_OUT_OF_SORTMEMORY); nothing spills to disk.
 *
 * <p>Plans count through {@link #meter}, which the planner puts where such operators read or produce
 * their rows ({@code plan.OperatorMemoryMeters}). Belongs to one execution on one thread.
 */
public final class OperatorMemory {
    /** A statement with no limit (internal statements, contexts built without one). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** What the operator's own structures take per row beyond the row (tree or hash map entry, list slot). */
    private static final int PER_ROW = 64;

    private final long limit;
    private long held;

    /** @param limit bytes, {@link #UNLIMITED} for none */
    public OperatorMemory(long limit) {
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The bytes counted as held now. */
    public long held() {
        return held;
    }

    /** @throws SqlException 1038 when this takes the statement past its limit */
    void take(long bytes) {
        held += bytes;
        if (held > limit) {
            throw new SqlException(MysqlError.OUT_OF_SORTMEMORY, limit);
        }
    }

    void release(long bytes) {
        held -= bytes;
    }

    /**
     * Called by generated code: {@code input}'s rows, unchanged, counted against the budget of the
     * execution {@code root} belongs to while the stream is open (released when it is closed, as
     * a correlated subquery's sort is run again per outer row). Not counted outside an execution.
     */
    public static <T> Enumerable<T> meter(DataContext root, Enumerable<T> input) {
        if (!(root instanceof ExecContext context) || context.operatorMemory().limit == UNLIMITED) {
            return input;
        }
        OperatorMemory budget = context.operatorMemory();
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<T> enumerator() {
                return new Metered<>(input.enumerator(), budget);
            }
        };
    }

    private static final class Metered<T> implements Enumerator<T> {
        private final Enumerator<T> input;
        private final OperatorMemory budget;
        private long counted;
        /** The input's current row: Calcite's projections compute a row at each current() call. */
        private T current;

        Metered(Enumerator<T> input, OperatorMemory budget) {
            this.input = input;
            this.budget = budget;
        }

        @Override
        public T current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            if (!input.moveNext()) {
                current = null;
                return false;
            }
            current = input.current();
            long bytes = PER_ROW + estimate(current);
            counted += bytes;
            budget.take(bytes);
            return true;
        }

        @Override
        public void reset() {
            input.reset();
            current = null;
        }

        @Override
        public void close() {
            budget.release(counted);
            counted = 0;
            input.close();
        }
    }

    /** A row's heap size, roughly: the array and its values as Calcite holds them. */
    static long estimate(Object value) {
        if (value == null || value instanceof Boolean) {
            return 0;
        }
        if (value instanceof Object[] row) {
            long size = 16 + 8L * row.length;
            for (Object v : row) {
                size += estimate(v);
            }
            return size;
        }
        if (value instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof ByteString b) {
            return 40 + b.length();
        }
        if (value instanceof byte[] b) {
            return 16 + b.length;
        }
        if (value instanceof BigDecimal d) {
            return 40 + d.unscaledValue().bitLength() / 8;
        }
        return 16; // boxed numbers, dates as numbers
    }
}
