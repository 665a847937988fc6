package io.cairn.sql.session;

import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.AccountStore;
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.Privilege;

/**
 * What one account statement ({@link AccountStatements}, {@link GrantStatements}) works on: the accounts
 * and grants as its transaction reads them, the privileges of the session's account among them, and the
 * revision the rows it writes get.
 */
final class AccountChange {
    final Transaction t;
    final AccountStore store;
    final Accounts accounts;
    /** The privileges of the session's account: what it may create, grant and revoke. */
    final AccountPrivileges mine;
    final long revision;
    /** Whether the statement changed the session's own password, which ends its expired-password sandbox. */
    boolean ownPasswordChanged;

    AccountChange(SqlEngine engine, Account sessionAccount, Transaction t) {
        this.t = t;
        this.store = engine.privileges().store();
        store.migrate(t);
        this.accounts = store.load(t, engine.privileges().rootPassword());
        this.mine = accounts.privileges(accounts.account(sessionAccount.user(), sessionAccount.host()));
        this.revision = store.version(t) + 1;
    }

    /** 1227 unless the session's account holds CREATE USER. */
    void requireCreateUser() {
        if (!Privilege.CREATE_USER.in(mine.global())) {
            throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "CREATE USER");
        }
    }
}
