package io.cairn.sql.session;

import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.TableAccess;
import io.cairn.sql.plan.CompiledQuery;
import java.util.List;

/**
 * The privileges of the session's account ({@code 'user'@'host'}, matched at login), resolved once per
 * grants version ({@link #at(Transaction)}), and the check of what a plan reads. Every plan is checked
 * at every execution ({@link #checkAccess}: what it reads, views' queries with their definers' rights),
 * DML targets by {@link io.cairn.sql.exec.DmlExecutor}, DDL by {@link DdlStatements}, SHOW by
 * {@link ShowStatements}, account statements by {@link AccountStatements}; see the README's "Accounts
 * and privileges".
 *
 * <p>Threading: the session's command task only.
 */
final class SessionPrivileges {
    private final SqlEngine engine;
    private final SessionEnvironment environment;
    private final SessionTransaction transaction;
    /** The accounts snapshot {@link #privileges} was resolved from. */
    private Accounts accountsSeen;
    private AccountPrivileges privileges = AccountPrivileges.NONE;

    SessionPrivileges(SqlEngine engine, SessionEnvironment environment, SessionTransaction transaction) {
        this.engine = engine;
        this.environment = environment;
        this.transaction = transaction;
    }

    /**
     * The session user's privileges as of transaction {@code t} (one key read when accounts and grants
     * did not change since the last statement), or as of now when that is newer and {@code t} spans
     * statements.
     */
    AccountPrivileges at(Transaction t) {
        Accounts a = engine.privileges().at(t);
        if (transaction.spansStatements(t)) {
            // the snapshot of a transaction that spans statements may predate a REVOKE, which, as in
            // MySQL, holds from the next statement: the newer of its grants and the latest ones count.
            // "Latest" is what this CN has applied: a read barrier per statement would cost a log round each.
            Accounts latest = engine.users().applied();
            if (latest.version() > a.version()) {
                a = latest;
            }
        }
        if (a != accountsSeen) {
            Account account = environment.account();
            privileges = a.privileges(a.account(account.user(), account.host())); // NONE once the account is dropped
            accountsSeen = a;
        }
        return privileges;
    }

    /** The session user's privileges as of the session's transaction, or a fresh snapshot. */
    AccountPrivileges now() {
        return transaction.readView(this::at);
    }

    /**
     * Checks what a compiled plan reads ({@link CompiledQuery#access()}) against the session user's
     * privileges, and the queries of SQL SECURITY DEFINER views against their definers' (1356 when a
     * definer lacks them, 1449 when it no longer exists). Runs at every execution: plans are shared
     * across sessions and users.
     */
    void checkAccess(List<TableAccess> access, Transaction t) {
        if (access.isEmpty()) {
            return;
        }
        AccountPrivileges mine = at(t);
        for (TableAccess a : access) {
            if (a.via() == null) {
                AccessChecks.require(mine, a, environment.user(), environment.clientHost());
                continue;
            }
            Account definer = accountsSeen.account(a.via().definerUser(), a.via().definerHost());
            if (definer == null) {
                throw new SqlException(MysqlError.NO_SUCH_USER, a.via().definerUser(), a.via().definerHost());
            }
            if (!AccessChecks.allowed(accountsSeen.privileges(definer), a)) {
                throw new SqlException(MysqlError.VIEW_INVALID, a.via().database(), a.via().view());
            }
        }
    }

    /** Whether {@code e} is a refusal for lack of privileges. */
    static boolean isAccessError(SqlException e) {
        MysqlError m = e.error();
        return m == MysqlError.TABLE_ACCESS_DENIED || m == MysqlError.COLUMN_ACCESS_DENIED || m == MysqlError.DB_ACCESS_DENIED
                || m == MysqlError.VIEW_INVALID || m == MysqlError.NO_SUCH_USER || m == MysqlError.SPECIFIC_ACCESS_DENIED;
    }
}
