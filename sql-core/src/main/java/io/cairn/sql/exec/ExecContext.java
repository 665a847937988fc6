package io.cairn.sql.exec;


import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.auth.Visibility;
import io.cairn.txn.LockMode;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The {@link DataContext} of one statement execution: how Calcite-generated code and Cairn's tables
 * reach the session's transaction (never through statics), the statement's parameters ("?0", …),
 * its start time and its cancel flag. Belongs to one execution on one thread.
 */
public final class ExecContext implements DataContext {
    /** Key of the {@link Transaction} the statement reads and locks through. */
    public static final String TRANSACTION = "cairn.transaction";
    /** Key of the {@link LockMode} every row read is locked in (SELECT … FOR UPDATE/SHARE), or null. */
    public static final String ROW_LOCK = "cairn.rowLock";
    /** Key of the {@link Visibility} that filters information_schema rows (null: the rows are hidden). */
    public static final String VIEWER = "cairn.viewer";

    private final SchemaPlus rootSchema;
    private final JavaTypeFactory typeFactory;
    private final Transaction transaction;
    private final LockMode rowLock;
    private final Map<String, Object> parameters;
    private final AtomicBoolean cancel;
    private final long startMillis;
    private final long deadlineNanos;
    private final WarningSink warnings;
    private final Map<String, Object> internals;
    private final Visibility viewer;
    private final OperatorMemory operatorMemory;

    /**
     * Where a statement's warnings go (MySQL's SHOW WARNINGS list). Called on the executing thread;
     * the sink may drop repeats of a warning it already has.
     */
    @FunctionalInterface
    public interface WarningSink {
        WarningSink NONE = (code, message) -> { };

        void warn(int code, String message);
    }

    /**
     * @param parameters dynamic parameter values by name "?0", "?1", … in Calcite's internal representation
     * @param cancel     set to stop the execution (KILL QUERY, time limit)
     * @param startMillis statement start, local wall-clock millis (CURRENT_TIMESTAMP)
     */
    public ExecContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, Transaction transaction, LockMode rowLock,
            Map<String, Object> parameters, AtomicBoolean cancel, long startMillis) {
        this(rootSchema, typeFactory, transaction, rowLock, parameters, cancel, startMillis, Long.MAX_VALUE,
                WarningSink.NONE);
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} after which the statement fails with 3024, or Long.MAX_VALUE
     * @param warnings      receives the warnings of the execution (1292 for truncated conversions, …)
     */
    public ExecContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, Transaction transaction, LockMode rowLock,
            Map<String, Object> parameters, AtomicBoolean cancel, long startMillis, long deadlineNanos,
            WarningSink warnings) {
        this.rootSchema = rootSchema;
        this.typeFactory = typeFactory;
        this.transaction = transaction;
        this.rowLock = rowLock;
        this.parameters = parameters;
        this.cancel = cancel;
        this.startMillis = startMillis;
        this.deadlineNanos = deadlineNanos;
        this.warnings = warnings;
        this.internals = Map.of();
        this.viewer = null;
        this.operatorMemory = new OperatorMemory(OperatorMemory.UNLIMITED);
    }

    private ExecContext(ExecContext base, Map<String, Object> internals, Visibility viewer,
            OperatorMemory operatorMemory) {
        this.rootSchema = base.rootSchema;
        this.typeFactory = base.typeFactory;
        this.transaction = base.transaction;
        this.rowLock = base.rowLock;
        this.parameters = base.parameters;
        this.cancel = base.cancel;
        this.startMillis = base.startMillis;
        this.deadlineNanos = base.deadlineNanos;
        this.warnings = base.warnings;
        this.internals = internals;
        this.viewer = viewer;
        this.operatorMemory = operatorMemory;
    }

    /** This context serving also the objects a compiled plan stashed for its generated code. */
    public ExecContext withInternals(Map<String, Object> planInternals) {
        return planInternals.isEmpty() ? this : new ExecContext(this, planInternals, viewer, operatorMemory);
    }

    /** This context showing the information_schema rows {@code v} may see. */
    public ExecContext withViewer(Visibility v) {
        return new ExecContext(this, internals, v, operatorMemory);
    }

    /** This context with a budget of {@code limitBytes} for the memory its sorts and groupings hold. */
    public ExecContext withOperatorMemory(long limitBytes) {
        return new ExecContext(this, internals, viewer, new OperatorMemory(limitBytes));
    }

    /** What this execution's sorts and groupings hold, and may hold. */
    public OperatorMemory operatorMemory() {
        return operatorMemory;
    }

    @Override
    public SchemaPlus getRootSchema() {
        return rootSchema;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider() {
        return null;
    }

    @Override
    public Object get(String name) {
        // Generated code fetches the parameters and the plan's stashed objects for every row: those first,
        // a parameter without probing the stashed objects (a miss there walks the probe sequence).
        if (!name.isEmpty() && name.charAt(0) == '?') {
            return parameters.get(name);
        }
        Object stashed = internals.get(name);
        if (stashed != null) {
            return stashed;
        }
        switch (name) {
            case TRANSACTION:
                return transaction;
            case ROW_LOCK:
                return rowLock;
            case VIEWER:
                return viewer;
            default:
                break;
        }
        if (name.equals(Variable.CANCEL_FLAG.camelName)) {
            return cancel;
        }
        if (name.equals(Variable.CURRENT_TIMESTAMP.camelName) || name.equals(Variable.LOCAL_TIMESTAMP.camelName)
                || name.equals(Variable.UTC_TIMESTAMP.camelName)) {
            return startMillis;
        }
        if (name.equals(Variable.TIME_ZONE.camelName)) {
            return TimeZone.getTimeZone("UTC");
        }
        if (name.equals(Variable.USER.camelName)) {
            return null;
        }
        return parameters.get(name);
    }

    public Transaction transaction() {
        return transaction;
    }

    /**
     * Records a warning of the execution that {@code root} belongs to; a no-op for other data contexts
     * (Calcite's constant reduction at planning time, which Cairn's warning functions avoid).
     */
    public static void warn(Object root, int code, String message) {
        if (root instanceof ExecContext e) {
            e.warnings.warn(code, message);
        }
    }

    /**
     * Whether the execution that {@code root} belongs to was cancelled (KILL QUERY) or ran past its
     * time limit: for functions that wait (SLEEP), which end early rather than fail.
     */
    public static boolean interrupted(Object root) {
        if (root instanceof ExecContext e) {
            return e.cancel.get() || (e.deadlineNanos != Long.MAX_VALUE && System.nanoTime() - e.deadlineNanos > 0);
        }
        return false;
    }

    /** Throws 1317 when the statement was cancelled, 3024 when it ran past its time limit. */
    public static void checkCancelled(DataContext root) {
        // Table scans call this for every row: an ExecContext's own fields, not a lookup by name.
        Object flag = root instanceof ExecContext e ? e.cancel : root.get(Variable.CANCEL_FLAG.camelName);
        if (flag instanceof AtomicBoolean b && b.get()) {
            throw new io.cairn.sql.SqlException(MysqlError.QUERY_INTERRUPTED);
        }
        if (root instanceof ExecContext e && e.deadlineNanos != Long.MAX_VALUE && System.nanoTime() - e.deadlineNanos > 0) {
            throw new io.cairn.sql.SqlException(MysqlError.QUERY_TIMEOUT);
        }
    }
}
