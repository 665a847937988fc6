package io.cairn.sql.session;

import io.cairn.data.DataUnavailableException;
import io.cairn.data.LockWaitTimeoutException;
import io.cairn.data.TransactionTooLargeException;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.sql.SqlException;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * The one place where internal exceptions become MySQL errors (CONVENTIONS #9):
 * <ul>
 *   <li>{@link SqlException} → its {@link MysqlError};</li>
 *   <li>{@link WriteConflictException}, {@link SnapshotTooOldException}, {@link DeadlockException} → 1213 / 40001 (retryable);</li>
 *   <li>{@link TransactionTooLargeException} → 1197 naming the limit (the statement is undone, the transaction stays open);</li>
 *   <li>{@link LockWaitTimeoutException} → 1205, or 1317 when the statement was cancelled while it waited;</li>
 *   <li>{@link ReadOnlyClusterException} → 1290 (--read-only) with the reason: a standby, or a fenced or drained primary;</li>
 *   <li>{@link TransactionNodeBusyException} (held back by the TN's memory budget for a minute; not committed) →
 *       1205, retryable, with the TN's reason;</li>
 *   <li>{@link TransactionNodeUnavailableException} → 1105 saying the outcome is unknown (not retryable: the
 *       commit may have reached the log, and running it again would apply it twice);</li>
 *   <li>{@link CommitOutcomeUnknownException} (any other failure of a commit) → 1105 saying the same, logged;</li>
 *   <li>{@link DataUnavailableException} (nothing read or written: no log majority, apply lag) and other
 *       {@link TransactionException}s → 1205 (retryable), the former with its cause in the message;</li>
 *   <li>Calcite validation errors → 1146 unknown table, 1054 unknown column, 1052 ambiguous column,
 *       1305 unknown function, else 1064 with Calcite's message;</li>
 *   <li>planner and code-generation failures (unsupported SQL) → 1235 "not supported yet", logged at FINE.</li>
 * </ul>
 * Anything else is a bug and is rethrown, for the session to log with its statement and report as 1105
 * ({@code Session#mapError}).
 */
public final class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("(?:Object|Table) '([^']*)' not found(?: within '([^']*)')?");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']*)' not found in (?:any table|table '([^']*)')");
    private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']*)' is ambiguous");
    private static final Pattern NO_FUNCTION = Pattern.compile("No match found for function signature ([A-Za-z0-9_]+)");
    private static final Pattern NOT_GROUPED = Pattern.compile("Expression '(.*)' is not being grouped");

    private ErrorMapper() {
    }

    /**
     * @param database the session's database (for messages naming tables)
     */
    public static MysqlException toMysql(RuntimeException e, String database) {
        MysqlError error;
        String message;
        Throwable cause = e;
        if (e instanceof SqlException s) {
            return of(s.error(), s.getMessage(), e);
        }
        if (e instanceof WriteConflictException || e instanceof SnapshotTooOldException || e instanceof DeadlockException) {
            return of(MysqlError.LOCK_DEADLOCK, MysqlError.LOCK_DEADLOCK.template(), e);
        }
        if (e instanceof TransactionTooLargeException t) {
            return of(MysqlError.TRANS_CACHE_FULL, String.format(MysqlError.TRANS_CACHE_FULL.template(), t.limit()), e);
        }
        if (e instanceof LockWaitTimeoutException w) {
            return w.cancelled() ? of(MysqlError.QUERY_INTERRUPTED, MysqlError.QUERY_INTERRUPTED.template(), e)
                    : of(MysqlError.LOCK_WAIT_TIMEOUT, MysqlError.LOCK_WAIT_TIMEOUT.template(), e);
        }
        if (e instanceof ReadOnlyClusterException) {
            return of(MysqlError.OPTION_PREVENTS_STATEMENT, String.format(MysqlError.OPTION_PREVENTS_STATEMENT.template(),
                    "--read-only") + " (" + e.getMessage() + ")", e);
        }
        if (e instanceof TransactionNodeBusyException) {
            return of(MysqlError.LOCK_WAIT_TIMEOUT, MysqlError.LOCK_WAIT_TIMEOUT.template() + " (the transaction was not"
                    + " committed: " + e.getMessage() + ")", e);
        }
        if (e instanceof TransactionNodeUnavailableException) {
            return of(MysqlError.UNKNOWN_ERROR, "No transaction node answered in time; the transaction may or may not"
                    + " have been committed: read back before running it again (" + e.getMessage() + ")", e);
        }
        if (e instanceof CommitOutcomeUnknownException) {
            // rare, and the one answer a client cannot act on safely: the server log keeps the cause
            LOG.log(Level.WARNING, "CAIRN0401W: a commit failed with its outcome unknown", e.getCause());
            return of(MysqlError.UNKNOWN_ERROR, "The commit failed; the transaction may or may not have been committed:"
                    + " read back before running it again (" + e.getMessage() + ")", e);
        }
        if (e instanceof DataUnavailableException) {
            return of(MysqlError.DATA_UNAVAILABLE, MysqlError.DATA_UNAVAILABLE.template() + " (" + e.getMessage() + ")", e);
        }
        if (e instanceof TransactionException) {
            return of(MysqlError.LOCK_WAIT_TIMEOUT, MysqlError.LOCK_WAIT_TIMEOUT.template(), e);
        }
        SqlException nested = find(e, SqlException.class);
        if (nested != null) {
            return of(nested.error(), nested.getMessage(), e);
        }
        ArithmeticException overflow = find(e, ArithmeticException.class); // also when constant folding overflowed
        if (overflow != null) {
            return of(MysqlError.NUMERIC_OUT_OF_RANGE, String.format(MysqlError.NUMERIC_OUT_OF_RANGE.template(),
                    "BIGINT", overflow.getMessage()), e);
        }
        CalciteContextException ctx = find(e, CalciteContextException.class);
        if (ctx != null) {
            SqlValidatorException v = find(ctx, SqlValidatorException.class);
            String text = v != null ? v.getMessage() : ctx.getMessage();
            Matcher m;
            if ((m = OBJECT_NOT_FOUND.matcher(text)).find()) {
                String name = m.group(1);
                String db = m.group(2) != null ? m.group(2) : database;
                error = MysqlError.NO_SUCH_TABLE;
                message = String.format(error.template(), db == null ? "" : db, name);
            } else if ((m = COLUMN_NOT_FOUND.matcher(text)).find()) {
                error = MysqlError.BAD_FIELD;
                message = String.format(error.template(), m.group(1), "field list");
            } else if ((m = AMBIGUOUS.matcher(text)).find()) {
                error = MysqlError.NON_UNIQ_ERROR;
                message = String.format(error.template(), m.group(1), "field list");
            } else if ((m = NO_FUNCTION.matcher(text)).find()) {
                error = MysqlError.SP_DOES_NOT_EXIST;
                message = String.format(error.template(), (database == null ? "" : database + ".") + m.group(1));
            } else if ((m = NOT_GROUPED.matcher(text)).find()) {
                // MySQL names the select item by its position, which Calcite's message does not give
                error = MysqlError.WRONG_FIELD_WITH_GROUP;
                message = "Expression '" + m.group(1) + "' is not in GROUP BY clause and contains nonaggregated column"
                        + " which is not functionally dependent on columns in GROUP BY clause; this is incompatible"
                        + " with sql_mode=only_full_group_by";
            } else {
                error = MysqlError.PARSE;
                message = "You have an error in your SQL syntax; " + text;
            }
            return of(error, message, cause);
        }
        if (e instanceof UnsupportedOperationException || e.getClass().getName().startsWith("org.apache.calcite")
                || (e.getStackTrace().length > 0 && e.getStackTrace()[0].getClassName().startsWith("org.apache.calcite"))) {
            LOG.log(Level.FINE, "statement not supported by the planner", e);
            Throwable root = e;
            while (true) {
                if (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                } else if (root.getSuppressed().length > 0) {
                    root = root.getSuppressed()[0];
                } else {
                    break;
                }
            }
            String what = root.getClass().getSimpleName() + ": " + root.getMessage();
            return of(MysqlError.NOT_SUPPORTED_YET, String.format(MysqlError.NOT_SUPPORTED_YET.template(),
                    what.length() > 400 ? what.substring(0, 400) : what), e);
        }
        throw e;
    }

    private static MysqlException of(MysqlError error, String message, Throwable cause) {
        return new MysqlException(error.code(), error.sqlState(), message, error.retryable(), cause);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
