package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.txn.WriteConflictException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * CREATE USER, DROP USER, ALTER USER … IDENTIFIED BY, and database-level GRANT / REVOKE
 * ({@code ON db.*} or {@code ON *.*}; table-level grants are widened to their database). Only root
 * manages accounts (1227 for others). Each statement commits in a transaction of its own.
 */
final class AccountStatements {
    private final Session session;

    AccountStatements(Session session) {
        this.session = session;
    }

    QueryResult run(TokenCursor c) {
        if (!session.user().equals("root")) {
            throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "CREATE USER");
        }
        for (int attempt = 0; ; attempt++) {
            Transaction t = session.engine().node().begin(Isolation.REPEATABLE_READ);
            try {
                c.reset(0);
                apply(c, t);
                t.commit();
                return QueryResult.ok();
            } catch (WriteConflictException e) {
                if (attempt >= 5) {
                    throw e;
                }
            } finally {
                t.rollback();
            }
        }
    }

    private void apply(TokenCursor c, Transaction t) {
        Users users = session.engine().users();
        Token verb = c.next();
        switch (verb.keyword()) {
            case "CREATE" -> {
                c.expect("USER");
                boolean ifNotExists = c.acceptAll("IF", "NOT", "EXISTS");
                String user = account(c);
                String password = identifiedBy(c);
                Users.checkUserName(user);
                if (users.exists(t, user)) {
                    if (ifNotExists) {
                        return;
                    }
                    throw new SqlException(MysqlError.CANNOT_USER, "CREATE USER", user);
                }
                users.put(t, user, password == null ? "" : password);
            }
            case "DROP" -> {
                c.expect("USER");
                boolean ifExists = c.acceptAll("IF", "EXISTS");
                do {
                    String user = account(c);
                    if (!users.exists(t, user) || user.equals("root")) {
                        if (ifExists && !user.equals("root")) {
                            continue;
                        }
                        throw new SqlException(MysqlError.CANNOT_USER, "DROP USER", user);
                    }
                    users.drop(t, user);
                } while (c.acceptSymbol(","));
            }
            case "ALTER" -> {
                c.expect("USER");
                c.acceptAll("IF", "EXISTS");
                String user = account(c);
                String password = identifiedBy(c);
                if (!users.exists(t, user)) {
                    throw new SqlException(MysqlError.CANNOT_USER, "ALTER USER", user);
                }
                if (password != null) {
                    users.put(t, user, password);
                }
            }
            case "GRANT", "REVOKE" -> grant(c, t, verb.is("GRANT"));
            default -> throw c.error();
        }
        while (!c.atEnd()) {
            c.next(); // REQUIRE / WITH / PASSWORD options: accepted, ignored
        }
    }

    private void grant(TokenCursor c, Transaction t, boolean grant) {
        Users users = session.engine().users();
        Set<String> privileges = new LinkedHashSet<>();
        do {
            StringBuilder p = new StringBuilder(c.next().keyword());
            while (!c.atEnd() && !c.peek().isSymbol(",") && !c.peek().is("ON")) {
                if (c.peek().isSymbol("(")) {
                    c.skipParenthesized(); // column list: widened to the table
                    continue;
                }
                p.append(' ').append(c.next().keyword());
            }
            String priv = p.toString().equals("ALL PRIVILEGES") ? "ALL" : p.toString();
            if (!Users.PRIVILEGES.contains(priv) && !priv.equals("USAGE")) {
                throw c.error();
            }
            if (!priv.equals("USAGE")) {
                privileges.add(priv);
            }
        } while (c.acceptSymbol(","));
        c.expect("ON");
        c.accept("TABLE");
        String db;
        if (c.acceptSymbol("*")) {
            db = "*";
            if (c.acceptSymbol(".")) {
                c.expectSymbol("*");
            } else {
                db = session.database() == null ? "*" : session.database();
            }
        } else {
            db = c.identifier();
            if (c.acceptSymbol(".")) {
                if (!c.acceptSymbol("*")) {
                    c.identifier();
                }
            } else {
                db = session.database() == null ? db : session.database();
            }
        }
        c.expect(grant ? "TO" : "FROM");
        do {
            String user = account(c);
            if (!users.exists(t, user)) {
                throw new SqlException(MysqlError.NONEXISTING_GRANT, user);
            }
            String scope = db.equals("*") ? "*" : db.toLowerCase(Locale.ROOT);
            Set<String> current = users.grants(t, user, scope);
            if (grant) {
                current.addAll(privileges);
            } else if (privileges.contains("ALL")) {
                current.clear();
            } else {
                current.removeAll(privileges);
            }
            users.setGrants(t, user, scope, current);
        } while (c.acceptSymbol(","));
    }

    /** 'user'@'host', user@host or user: the user part (hosts are not distinguished). */
    private static String account(TokenCursor c) {
        Token t = c.next();
        String user = t.type() == Token.Type.STRING || t.identifier() != null ? t.text() : null;
        if (user == null) {
            throw c.error();
        }
        if (!c.atEnd() && c.peek().type() == Token.Type.USER_VAR) {
            c.next(); // @'host' is lexed as a user variable
        }
        return user;
    }

    private static String identifiedBy(TokenCursor c) {
        if (!c.accept("IDENTIFIED")) {
            return null;
        }
        if (c.accept("WITH")) {
            c.next(); // plugin name
        }
        if (!c.accept("BY")) {
            return null;
        }
        Token pw = c.next();
        if (pw.type() != Token.Type.STRING) {
            throw c.error();
        }
        return pw.text();
    }
}
