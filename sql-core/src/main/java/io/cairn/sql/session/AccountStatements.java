package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Account statements with MySQL 8.0's rules: CREATE USER, ALTER USER, DROP USER and SET PASSWORD
 * (the CREATE USER privilege, 1227; users may change their own password), and GRANT / REVOKE
 * ({@link GrantStatements}).
 *
 * <p>New accounts authenticate with caching_sha2_password unless {@code IDENTIFIED WITH
 * mysql_native_password} ({@link IdentifiedClause}). Options: PASSWORD EXPIRE, ACCOUNT LOCK/UNLOCK,
 * FAILED_LOGIN_ATTEMPTS, PASSWORD_LOCK_TIME, REQUIRE SSL / REQUIRE NONE and WITH MAX_USER_CONNECTIONS n
 * ({@link AccountOptions}).
 *
 * <p>Each statement commits in a transaction of its own that also bumps the grants version, so every
 * session checks its next statement against the new grants.
 */
final class AccountStatements {
    private static final int ATTEMPTS = 6;

    private final Session session;

    AccountStatements(Session session) {
        this.session = session;
    }

    QueryResult run(TokenCursor c) {
        for (int attempt = 1; ; attempt++) {
            Transaction t = session.engine().node().begin(Isolation.REPEATABLE_READ);
            try {
                c.reset(0);
                AccountChange r = new AccountChange(session.engine(), session.account(), t);
                apply(c, r);
                r.store.bumpVersion(t);
                t.commit();
                if (r.ownPasswordChanged) {
                    session.passwordChanged();
                }
                return QueryResult.ok();
            } catch (WriteConflictException e) {
                if (attempt >= ATTEMPTS) {
                    throw e; // two account statements at once: the loser runs again against the winner's rows
                }
            } finally {
                t.rollback();
            }
        }
    }

    private void apply(TokenCursor c, AccountChange r) {
        Token verb = c.next();
        switch (verb.keyword()) {
            case "CREATE" -> {
                if (c.accept("ROLE")) {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "CREATE ROLE");
                }
                c.expect("USER");
                createUser(c, r);
            }
            case "DROP" -> {
                if (c.accept("ROLE")) {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "DROP ROLE");
                }
                c.expect("USER");
                dropUser(c, r);
            }
            case "ALTER" -> {
                c.expect("USER");
                alterUser(c, r);
            }
            case "RENAME" -> throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "RENAME USER");
            case "SET" -> {
                c.expect("PASSWORD");
                setPassword(c, r);
            }
            case "GRANT" -> new GrantStatements(session).run(c, r, true);
            case "REVOKE" -> new GrantStatements(session).run(c, r, false);
            default -> throw c.error();
        }
        c.expectEnd();
    }

    private void createUser(TokenCursor c, AccountChange r) {
        r.requireCreateUser();
        boolean ifNotExists = c.acceptAll("IF", "NOT", "EXISTS");
        Map<String[], IdentifiedClause> users = accountsWithAuth(c);
        AccountOptions o = AccountOptions.parse(c);
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String[], IdentifiedClause> e : users.entrySet()) {
            String user = e.getKey()[0];
            String host = e.getKey()[1];
            Users.checkUserName(user, host);
            if (r.accounts.account(user, host) != null) {
                if (!ifNotExists) {
                    failed.add(Account.quoted(user, host));
                }
                continue;
            }
            IdentifiedClause auth = e.getValue();
            Account a = new Account(user, host, IdentifiedClause.credential(auth, AuthPlugin.CACHING_SHA2_PASSWORD), false, false,
                    0, 0, r.revision, false, 0);
            r.store.put(r.t, o.applyTo(a));
        }
        if (!failed.isEmpty()) {
            throw new SqlException(MysqlError.CANNOT_USER, "CREATE USER", String.join(",", failed));
        }
    }

    private void alterUser(TokenCursor c, AccountChange r) {
        boolean ifExists = c.acceptAll("IF", "EXISTS");
        Map<String[], IdentifiedClause> users;
        if (c.peek() != null && c.peek().is("USER") && c.peek(1) != null && c.peek(1).isSymbol("(")) {
            c.next(); // ALTER USER USER() IDENTIFIED BY …: the session's own account
            c.expectSymbol("(");
            c.expectSymbol(")");
            users = new LinkedHashMap<>();
            users.put(new String[] {session.account().user(), session.account().host()}, IdentifiedClause.parse(c));
        } else {
            users = accountsWithAuth(c);
        }
        AccountOptions o = AccountOptions.parse(c);
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String[], IdentifiedClause> e : users.entrySet()) {
            String user = e.getKey()[0];
            String host = e.getKey()[1];
            boolean own = isSessionAccount(user, host);
            // users may change their own password; anything else needs CREATE USER
            if (!own || o.any() || e.getValue() == null || e.getValue().plugin() != null) {
                r.requireCreateUser();
            }
            Account existing = r.accounts.account(user, host);
            if (existing == null) {
                if (!ifExists) {
                    failed.add(Account.quoted(user, host));
                }
                continue;
            }
            Account a = existing.withRevision(r.revision);
            IdentifiedClause auth = e.getValue();
            if (auth != null) {
                a = a.withCredential(IdentifiedClause.credential(auth, existing.credential().plugin())).withPasswordExpired(false);
                r.ownPasswordChanged |= own;
            }
            r.store.put(r.t, o.applyTo(a));
        }
        if (!failed.isEmpty()) {
            throw new SqlException(MysqlError.CANNOT_USER, "ALTER USER", String.join(",", failed));
        }
    }

    private void dropUser(TokenCursor c, AccountChange r) {
        r.requireCreateUser();
        boolean ifExists = c.acceptAll("IF", "EXISTS");
        List<String> failed = new ArrayList<>();
        do {
            String[] name = DdlParser.account(c);
            Account a = r.accounts.account(name[0], name[1]);
            if (a == null || a.isRoot()) { // the built-in root cannot be dropped
                if (!ifExists || a != null) {
                    failed.add(Account.quoted(name[0], name[1]));
                }
                continue;
            }
            r.store.delete(r.t, a.user(), a.host());
        } while (c.acceptSymbol(","));
        if (!failed.isEmpty()) {
            throw new SqlException(MysqlError.CANNOT_USER, "DROP USER", String.join(",", failed));
        }
    }

    /** SET PASSWORD [FOR user] = 'password'. */
    private void setPassword(TokenCursor c, AccountChange r) {
        String user = session.account().user();
        String host = session.account().host();
        if (c.accept("FOR")) {
            String[] name = DdlParser.account(c);
            user = name[0];
            host = name[1];
        }
        c.expectSymbol("=");
        Token pw = c.next();
        if (pw.type() != Token.Type.STRING) {
            throw c.error();
        }
        boolean own = isSessionAccount(user, host);
        if (!own && !Privilege.CREATE_USER.in(r.mine.global())) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, session.user(), session.account().host(), "mysql");
        }
        Account existing = r.accounts.account(user, host);
        if (existing == null) {
            throw new SqlException(MysqlError.PASSWORD_NO_MATCH);
        }
        r.store.put(r.t, existing.withRevision(r.revision).withPasswordExpired(false)
                .withCredential(Credential.forPassword(existing.credential().plugin(), pw.text())));
        r.ownPasswordChanged |= own;
    }

    private boolean isSessionAccount(String user, String host) {
        return user.equals(session.account().user()) && host.equalsIgnoreCase(session.account().host());
    }

    /** {@code user [auth] [, user [auth]] …}; the auth of an account is null when none is given. */
    private static Map<String[], IdentifiedClause> accountsWithAuth(TokenCursor c) {
        Map<String[], IdentifiedClause> out = new LinkedHashMap<>();
        do {
            String[] name = DdlParser.account(c);
            out.put(name, IdentifiedClause.parse(c));
        } while (c.acceptSymbol(","));
        return out;
    }
}
