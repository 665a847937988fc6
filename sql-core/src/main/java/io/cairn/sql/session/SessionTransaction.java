package io.cairn.sql.session;

import io.cairn.data.Concurrency;
import io.cairn.data.Isolation;
import io.cairn.data.LockWaitTimeoutException;
import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.txn.LockMode;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The session's transaction, and how each statement runs in it.
 *
 * <p>With autocommit on and no BEGIN, every statement runs in its own transaction, committed at its
 * end. BEGIN/START TRANSACTION (or autocommit off) keeps one {@link Transaction} until COMMIT or
 * ROLLBACK; DDL commits it first, like MySQL. A failed statement leaves the transaction as it was.
 * Transactions are pessimistic unless {@code cairn_txn_mode} is {@code optimistic}: INSERT, UPDATE,
 * DELETE and {@code SELECT … FOR UPDATE/SHARE} read the latest committed rows and lock them, waiting
 * up to {@code innodb_lock_wait_timeout} (1205, the statement undone); a statement whose locked rows
 * changed before it got the locks runs again. A deadlock victim, or a write conflict at commit
 * (optimistic mode, or after a TN failover lost the locks), rolls the whole transaction back: 1213 /
 * SQLSTATE 40001. SAVEPOINT, ROLLBACK TO SAVEPOINT and RELEASE SAVEPOINT work on the open transaction's
 * workspace ({@link Transaction#savepoint()}); a rollback to one keeps the locks taken since, as InnoDB does.
 *
 * <p>An XA branch ({@link XaStatements}) owns the transaction from XA START to XA COMMIT or ROLLBACK;
 * local transaction control is refused meanwhile, as in MySQL.
 *
 * <p>Threading: the session's command task only.
 */
final class SessionTransaction {
    private final SqlEngine engine;
    /** Where cairn_txn_mode and innodb_lock_wait_timeout are read. */
    private final SessionVariables variables;
    private final Diagnostics diagnostics;
    /** Raised by {@link Session#cancel()}: a statement waiting for row locks gives up. */
    private final AtomicBoolean cancel;
    /** Makes the environment of each run of a statement. */
    private final Function<Transaction, SessionStatementEnv> envs;

    private boolean autocommit = true;
    private Isolation isolation = Isolation.REPEATABLE_READ;
    private Isolation nextIsolation;
    private boolean readOnly;
    private Transaction txn;
    /** Whether {@link #txn} was begun by BEGIN or XA START, not by a statement under autocommit=0. */
    private boolean explicit;
    /** The XA branch this session's transaction belongs to, or null. */
    private XaStatements.Branch xa;
    /** How many statements run inside each other now (an expression evaluated for SHOW, say): only the outermost is one. */
    private int statementDepth;
    /** The environment of the running statement's current run, or null. */
    private SessionStatementEnv currentEnv;
    /** The savepoints of {@link #savepointsOwner}, by lower-case name, oldest first. */
    private final LinkedHashMap<String, Transaction.Savepoint> savepoints = new LinkedHashMap<>();
    private Transaction savepointsOwner;

    SessionTransaction(SqlEngine engine, SessionVariables variables, Diagnostics diagnostics, AtomicBoolean cancel,
            Function<Transaction, SessionStatementEnv> envs) {
        this.engine = engine;
        this.variables = variables;
        this.diagnostics = diagnostics;
        this.cancel = cancel;
        this.envs = envs;
        Object globalIsolation = engine.globals().get("transaction_isolation");
        if (globalIsolation != null) {
            isolation = SessionStatements.isolation(String.valueOf(globalIsolation));
        }
    }

    /** Whether a transaction is open. */
    boolean open() {
        return txn != null;
    }

    /** Whether the open transaction is READ ONLY. */
    boolean readOnly() {
        return txn != null && readOnly;
    }

    boolean autocommit() {
        return autocommit;
    }

    Isolation isolation() {
        return isolation;
    }

    boolean explicit() {
        return explicit;
    }

    XaStatements.Branch xaBranch() {
        return xa;
    }

    /** Runs {@code read} with the session's transaction, or with a fresh snapshot when none is open. */
    <T> T readView(Function<Transaction, T> read) {
        if (txn != null) {
            return read.apply(txn);
        }
        Transaction t = engine.node().begin(Isolation.REPEATABLE_READ);
        try {
            return read.apply(t);
        } finally {
            t.rollback();
        }
    }

    /** Whether {@code t} is the session's transaction and spans statements (BEGIN, or autocommit off). */
    boolean spansStatements(Transaction t) {
        return t == txn && (explicit || !autocommit);
    }

    // ------------------------------------------------------------------ transaction control

    /** BEGIN [WORK] | START TRANSACTION [READ ONLY | READ WRITE | WITH CONSISTENT SNAPSHOT, …]. */
    QueryResult begin(TokenCursor c) {
        checkNoXa();
        Token first = c.next();
        if (first.is("START")) {
            c.expect("TRANSACTION");
        } else {
            c.accept("WORK");
        }
        boolean ro = false;
        while (!c.atEnd()) {
            if (c.acceptAll("READ", "ONLY")) {
                ro = true;
            } else if (c.acceptAll("READ", "WRITE")) {
                ro = false;
            } else if (c.acceptAll("WITH", "CONSISTENT", "SNAPSHOT")) {
                continue;
            } else if (!c.acceptSymbol(",")) {
                throw c.error();
            }
        }
        commitImplicitly();
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = true;
        readOnly = ro;
        return QueryResult.ok();
    }

    /** ROLLBACK [WORK] | ROLLBACK [WORK] TO [SAVEPOINT] name. */
    QueryResult rollback(TokenCursor c) {
        checkNoXa();
        c.next();
        c.accept("WORK");
        if (c.accept("TO")) {
            c.accept("SAVEPOINT");
            String name = c.identifier();
            Transaction.Savepoint savepoint = savepoints().get(name.toLowerCase(Locale.ROOT));
            if (savepoint == null) {
                throw new SqlException(MysqlError.SAVEPOINT_DOES_NOT_EXIST, name);
            }
            txn.rollbackTo(savepoint);
            dropSavepointsAfter(name, false);
            return QueryResult.ok();
        }
        rollbackQuietly();
        return QueryResult.ok();
    }

    /**
     * SAVEPOINT name: one of the same name is replaced. Under autocommit with no transaction open there is
     * nothing to return to, and the savepoint ends with the statement, as in MySQL.
     */
    QueryResult savepoint(TokenCursor c) {
        checkNoXa();
        c.next();
        String name = c.identifier();
        if (txn == null && !autocommit) {
            openStatementTransaction();
        }
        if (txn != null) {
            Transaction.Savepoint savepoint = txn.savepoint();
            savepoints().remove(name.toLowerCase(Locale.ROOT));
            savepoints.put(name.toLowerCase(Locale.ROOT), savepoint);
        }
        return QueryResult.ok();
    }

    /** RELEASE SAVEPOINT name: forgets it and those set after it; the workspace stays as it is. */
    QueryResult releaseSavepoint(TokenCursor c) {
        checkNoXa();
        c.next();
        c.expect("SAVEPOINT");
        String name = c.identifier();
        if (!savepoints().containsKey(name.toLowerCase(Locale.ROOT))) {
            throw new SqlException(MysqlError.SAVEPOINT_DOES_NOT_EXIST, name);
        }
        dropSavepointsAfter(name, true);
        return QueryResult.ok();
    }

    /** The open transaction's savepoints (none once it ended: they belong to the transaction). */
    private LinkedHashMap<String, Transaction.Savepoint> savepoints() {
        if (savepointsOwner != txn) {
            savepoints.clear();
            savepointsOwner = txn;
        }
        return savepoints;
    }

    private void dropSavepointsAfter(String name, boolean itToo) {
        boolean after = false;
        for (Iterator<String> it = savepoints.keySet().iterator(); it.hasNext(); ) {
            String n = it.next();
            boolean match = n.equals(name.toLowerCase(Locale.ROOT));
            if (after || (match && itToo)) {
                it.remove();
            }
            after |= match;
        }
    }

    void commit() {
        Transaction t = txn;
        txn = null;
        explicit = false;
        readOnly = false;
        if (t != null) {
            try {
                commit(t);
            } finally {
                t.rollback();
            }
        }
    }

    /**
     * Commits {@code t}. A conflict or a too-old snapshot is a definite refusal (1213, run it again); any
     * other failure may come after the request reached the TN, so its outcome is reported as unknown.
     */
    static void commit(Transaction t) {
        try {
            t.commit();
        } catch (WriteConflictException | SnapshotTooOldException | TransactionNodeUnavailableException
                | TransactionNodeBusyException | ReadOnlyClusterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CommitOutcomeUnknownException(e);
        }
    }

    /** DDL, BEGIN and account statements end an open transaction with a commit (MySQL's implicit commit). */
    void commitImplicitly() {
        checkNoXa();
        if (txn != null) {
            commit();
        }
    }

    void rollbackQuietly() {
        if (txn != null) {
            txn.rollback();
        }
        xa = null;
        txn = null;
        explicit = false;
        readOnly = false;
    }

    /** Local transaction control and implicit commits are refused while an XA branch is open, as in MySQL. */
    void checkNoXa() {
        if (xa != null) {
            throw new SqlException(MysqlError.XAER_RMFAIL, xa.state.name());
        }
    }

    /**
     * XA START: the branch's work runs in a transaction of its own. A read-only transaction that
     * autocommit=0 left open is ended first; one with work is outside any global transaction (1400).
     */
    void startXa(XaStatements.Branch branch) {
        if (txn != null) {
            if (explicit || txn.hasWrites()) {
                throw new SqlException(MysqlError.XAER_OUTSIDE);
            }
            rollbackQuietly();
        }
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = true;
        xa = branch;
    }

    /** Ends the XA branch: commits (one phase) or rolls back its transaction. */
    void endXa(boolean commit) {
        xa = null;
        if (commit) {
            commit();
        } else {
            rollbackQuietly();
        }
    }

    void checkWritable() {
        if (txn != null && readOnly) {
            throw new SqlException(MysqlError.CANT_EXECUTE_IN_READ_ONLY_TRANSACTION);
        }
    }

    void setAutocommit(boolean on) {
        if (on && !autocommit && txn != null && !explicit) {
            commit();
        }
        autocommit = on;
    }

    void setIsolation(Isolation level, boolean nextOnly) {
        if (nextOnly) {
            nextIsolation = level;
        } else {
            isolation = level;
        }
    }

    private Isolation takeIsolation() {
        Isolation i = nextIsolation != null ? nextIsolation : isolation;
        nextIsolation = null;
        return i;
    }

    /** The session's cairn_txn_mode. */
    private Concurrency concurrency() {
        return "optimistic".equalsIgnoreCase(String.valueOf(variables.get("cairn_txn_mode")))
                ? Concurrency.OPTIMISTIC : Concurrency.PESSIMISTIC;
    }

    /** The session's innodb_lock_wait_timeout. */
    private Duration lockWaitTimeout() {
        Object v = variables.get("innodb_lock_wait_timeout");
        return Duration.ofSeconds(v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v).trim()));
    }

    // ------------------------------------------------------------------ statements

    /** The environment of the running statement's current run. */
    SessionStatementEnv statementEnv() {
        return currentEnv;
    }

    /** Whether a statement is running (a query inside it is part of it, not a statement of its own). */
    boolean statementRunning() {
        return statementDepth > 0;
    }

    /**
     * Runs INSERT/REPLACE/UPDATE/DELETE; {@link io.cairn.sql.exec.DmlExecutor} checks the privileges on
     * its target table.
     *
     * <p>Under autocommit (pessimistic, outside XA) the statement first runs without row locks and
     * commits at once: the commit's conflict check refuses it when a row it wrote changed after it read
     * it or another transaction holds a lock on one. Only then does it run again the locking way (waiting
     * for those locks, as InnoDB would). Uncontended, that saves the lock round trip to the TN every
     * autocommit write paid (a bulk load's INSERTs: a fifth of the CN's time).
     */
    QueryResult dml(Supplier<QueryResult.Ok> body) {
        if (statementDepth == 0 && txn == null && xa == null && autocommit
                && concurrency() == Concurrency.PESSIMISTIC) {
            try {
                return inStatement(null, null, t -> body.get());
            } catch (WriteConflictException e) {
                diagnostics.clearWarnings(); // nothing of the attempt was committed; the locking run's warnings count
            }
        }
        return inStatement(LockMode.EXCLUSIVE, null, t -> body.get());
    }

    /** Runs {@code body}, which neither writes nor locks, as a statement ({@link #inStatement(LockMode, Duration, Function)}). */
    <T> T inStatement(Function<Transaction, T> body) {
        return inStatement(null, null, body);
    }

    /**
     * Runs {@code body} as one statement in the session's transaction, or in a transaction of its own
     * under autocommit. A locking statement ({@code lock} not null: writes, FOR UPDATE/SHARE) runs
     * again, from the start, when the rows it locked changed after it read them.
     *
     * @param lockWait how long the statement may wait for row locks; null for the session's
     *                 innodb_lock_wait_timeout
     */
    <T> T inStatement(LockMode lock, Duration lockWait, Function<Transaction, T> body) {
        if (statementDepth > 0) {
            return body.apply(txn);
        }
        boolean own = txn == null && autocommit;
        boolean fresh = openStatementTransaction();
        Transaction t = txn;
        SessionStatementEnv previous = currentEnv;
        statementDepth++;
        try {
            t.beginStatement(lock != null, fresh);
            T result;
            while (true) {
                currentEnv = envs.apply(t);
                result = body.apply(t);
                if (t.endStatement(lockWait != null ? lockWait : lockWaitTimeout(), cancel::get)) {
                    break;
                }
                diagnostics.clearWarnings(); // it runs again at a newer read point: only that run's warnings count
            }
            statementDepth--;
            if (own) {
                txn = null;
                commit(t);
            }
            return result;
        } catch (RuntimeException e) {
            statementFailed(t, own, e);
            throw e;
        } finally {
            currentEnv = previous;
        }
    }

    /**
     * Begins a statement that stays open after its command, for a query whose rows are streamed
     * ({@link SessionQueries}): it begins as in {@link #inStatement(LockMode, Duration, Function)}, without
     * locks, and ends with {@link #endOpenStatement} or {@link #abortOpenStatement}. Its environment is
     * {@link #statementEnv()}.
     *
     * @return whether it runs in a transaction of its own (autocommit), which its end commits
     */
    boolean beginOpenStatement() {
        boolean own = txn == null && autocommit;
        boolean fresh = openStatementTransaction();
        Transaction t = txn;
        statementDepth++;
        try {
            t.beginStatement(false, fresh);
            currentEnv = envs.apply(t);
        } catch (RuntimeException e) {
            abortOpenStatement(t, own, e);
            throw e;
        }
        return own;
    }

    /** Ends the open statement in {@code t} as done (commits it when {@code own}); a failure is the caller's to abort. */
    void endOpenStatement(Transaction t, boolean own) {
        t.endStatement(lockWaitTimeout(), cancel::get); // not locking: never asks to run again
        statementDepth--;
        currentEnv = null;
        if (own) {
            txn = null;
            commit(t);
        }
    }

    /** Ends the open statement in {@code t} as failed ({@code failure} null: abandoned by the client). */
    void abortOpenStatement(Transaction t, boolean own, RuntimeException failure) {
        currentEnv = null;
        statementFailed(t, own, failure);
    }

    /**
     * Refuses a statement in an XA transaction that is not active (XAER_RMFAIL), and begins an implicit
     * transaction when none is open; whether it began one.
     */
    private boolean openStatementTransaction() {
        if (xa != null && xa.state != XaStatements.State.ACTIVE) {
            throw new SqlException(MysqlError.XAER_RMFAIL, xa.state.name());
        }
        if (txn != null) {
            return false;
        }
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = false;
        return true;
    }

    /**
     * A statement in {@code t} failed: its work is undone, and so is its transaction when it was its own
     * or when the transaction layer failed it (a deadlock, a conflict, a snapshot too old, no TN); a lock
     * wait timeout undoes the statement only.
     */
    private void statementFailed(Transaction t, boolean own, RuntimeException failure) {
        if (statementDepth > 0) {
            statementDepth--;
            t.abortStatement();
        }
        if (own || (failure instanceof TransactionException && !(failure instanceof LockWaitTimeoutException))) {
            t.rollback();
            if (txn == t) {
                txn = null;
            }
        }
    }
}
