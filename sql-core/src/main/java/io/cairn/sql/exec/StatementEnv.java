package io.cairn.sql.exec;


import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.catalog.AutoIncrementAllocator;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.plan.CompiledQuery;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.sql.SqlNode;

/**
 * What executing one statement needs from its session and engine: the transaction, the catalog of
 * its snapshot, compilation through the plan cache and execution contexts. One per statement.
 */
public interface StatementEnv {
    Transaction transaction();

    Catalog catalog();

    /** The session's database, or null. */
    String database();

    /** The session's database; 1046 when none is selected. */
    default String requireDatabase() {
        String db = database();
        if (db == null) {
            throw new io.cairn.sql.SqlException(MysqlError.NO_DB);
        }
        return db;
    }

    /** The table or view {@code db.name} (db null = current); 1146 when missing. */
    default TableDefinition table(String db, String name) {
        String d = db == null ? requireDatabase() : db;
        TableDefinition t = catalog().table(d, name);
        if (t == null) {
            throw new io.cairn.sql.SqlException(MysqlError.NO_SUCH_TABLE, d, name);
        }
        return t;
    }

    /**
     * Throws 1142/1143 unless the session's user holds {@code privilege} on {@code table} (for a
     * column privilege: on the table, or on each of {@code columns}).
     */
    void checkTable(TableDefinition table, io.cairn.sql.auth.Privilege privilege, java.util.Collection<String> columns);

    /** The target of the UPDATE or DELETE {@code text}, parsed once per shape. */
    DmlTarget dmlTarget(ShapedText text);

    /** A compiled plan and the values of its parameters for one execution ("?0", … in Calcite's representation). */
    record Bound(CompiledQuery query, Map<String, Object> parameters) {
    }

    /**
     * The compiled plan of a query, from the plan cache or compiled now: for the statement's shape
     * when Calcite compiles it with parameters and the values fit their types, else for its literal text.
     * What the plan reads is checked against the session's privileges first (1142, 1143, 1356).
     *
     * @param kind  what the plan is for ("query", "update", …): part of the cache key
     * @param text  the statement
     * @param parse produces the SqlNode to compile from a text (the shape or the literal text) on a miss
     * @param dml   compile against the schema whose tables expose {@link CairnTable#ROW_KEY}
     */
    Bound compile(String kind, ShapedText text, Function<String, SqlNode> parse, boolean dml);

    /**
     * An execution context for this statement.
     *
     * @param rowLock how every row read is locked (SELECT … FOR UPDATE/SHARE), or null
     * @param dml     whether the plan was compiled with {@code dml} (see {@link #compile})
     */
    ExecContext execContext(Map<String, Object> parameters, io.cairn.txn.LockMode rowLock, boolean dml);

    /** An execution context that fails the statement with 3024 once {@code timeLimitMillis} (> 0) have passed. */
    ExecContext execContext(Map<String, Object> parameters, io.cairn.txn.LockMode rowLock, boolean dml, long timeLimitMillis);

    AutoIncrementAllocator autoIncrement();

    /** The statement's start time (NOW()). */
    java.time.LocalDateTime now();

    /** Whether affected-row counts report matched rather than changed rows (CLIENT_FOUND_ROWS). */
    boolean foundRows();

    /** The warnings the statement has raised so far (its execution contexts report them). */
    int warningCount();

    /** Adds {@code e} to the statement's warnings (INSERT IGNORE's skipped duplicates: 1062). */
    void warn(io.cairn.sql.SqlException e);
}
