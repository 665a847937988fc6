package io.cairn.sql.exec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.plan.CompiledQuery;
import java.util.List;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * The rows of one execution of a {@link CompiledQuery}, pulled one at a time from Calcite's enumerator (a
 * cursor): nothing is held but the row at hand and what the plan itself buffers (sorts, aggregates). Errors
 * of the generated code are translated as {@link QueryRunner} documents. Belongs to one thread at a time;
 * must be closed (it releases the enumerator, and with it the table scans).
 */
public final class QueryRows implements AutoCloseable {
    private final Enumerator<Object> enumerator;
    private final int width;
    /** The row type's fields when values are converted to the wire layer's types, else null. */
    private final List<RelDataTypeField> external;
    private boolean closed;

    private QueryRows(Enumerator<Object> enumerator, int width, List<RelDataTypeField> external) {
        this.enumerator = enumerator;
        this.width = width;
        this.external = external;
    }

    /**
     * Starts executing {@code query}.
     *
     * @param external whether rows carry the wire layer's Java types ({@link QueryRunner#external}) rather
     *                 than Calcite's internal ones
     */
    public static QueryRows open(CompiledQuery query, ExecContext ctx, boolean external) {
        try {
            Enumerator<Object> e = query.bindable().bind(ctx.withInternals(query.internals())).enumerator();
            return new QueryRows(e, query.rowType().getFieldCount(),
                    external ? query.rowType().getFieldList() : null);
        } catch (ArithmeticException | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw translate(e);
        } catch (IllegalStateException e) {
            throw translateState(e);
        }
    }

    /** The next row, or null after the last. On an exception the enumerator is closed. */
    public Object[] next() {
        if (closed) {
            return null;
        }
        try {
            if (!enumerator.moveNext()) {
                return null;
            }
            Object current = enumerator.current();
            Object[] row = width == 1 && !(current instanceof Object[]) ? new Object[] {current} : (Object[]) current;
            if (external != null) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = QueryRunner.external(external.get(i).getType(), row[i]);
                }
            }
            return row;
        } catch (ArithmeticException | ExceptionInInitializerError | NoClassDefFoundError e) {
            close();
            throw translate(e);
        } catch (IllegalStateException e) {
            close();
            throw translateState(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            enumerator.close();
        }
    }

    /**
     * A scalar sub-query that found more than one row: Calcite's SINGLE_VALUE aggregate (which the
     * planner puts over it) throws this {@link IllegalStateException}, MySQL answers 1242. Any other
     * is left as it is (a bug, for the session to log with its statement).
     */
    static RuntimeException translateState(IllegalStateException e) {
        if (String.valueOf(e.getMessage()).startsWith(SINGLE_VALUE_FAILURE)) {
            return new SqlException(MysqlError.SUBQUERY_NO_1_ROW, e);
        }
        return e;
    }

    /** The message of Calcite's generated SINGLE_VALUE aggregate for a second value (RexImpTable). */
    private static final String SINGLE_VALUE_FAILURE = "more than one value in agg SINGLE_VALUE";

    private static RuntimeException translate(Throwable e) {
        if (e instanceof ArithmeticException) {
            return new SqlException(MysqlError.NUMERIC_OUT_OF_RANGE, e, "BIGINT", e.getMessage());
        }
        // generated code computes constant expressions in static initializers: an overflow there
        // fails the class's initialization, and every later run of the plan reports that again
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArithmeticException || String.valueOf(t.getMessage()).contains("ArithmeticException")) {
                return new SqlException(MysqlError.NUMERIC_OUT_OF_RANGE, e, "BIGINT", "constant expression");
            }
        }
        return new IllegalStateException("generated code of the plan failed to load", e);
    }
}
