package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.AccountStore;
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.Grant;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Account statements with MySQL 8.0's rules: CREATE USER, ALTER USER, DROP USER and SET PASSWORD
 * (the CREATE USER privilege, 1227; users may change their own password), and GRANT / REVOKE at the
 * global ({@code *.*}), database ({@code db.*}), table ({@code db.t}) and column
 * ({@code SELECT (c) ON db.t}) levels. A grantor needs GRANT OPTION at the level and every privilege it
 * grants or revokes (1045 for {@code *.*}, as MySQL reports it, 1044 for a database, 1142 for a table).
 *
 * <p>New accounts authenticate with caching_sha2_password unless {@code IDENTIFIED WITH
 * mysql_native_password}. Options: PASSWORD EXPIRE, ACCOUNT LOCK/UNLOCK, FAILED_LOGIN_ATTEMPTS,
 * PASSWORD_LOCK_TIME, REQUIRE SSL / REQUIRE NONE and WITH MAX_USER_CONNECTIONS n (see {@link Users}).
 * REQUIRE X509/ISSUER/SUBJECT/CIPHER and the other resource limits other than 0 are refused (1235), not
 * silently ignored.
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

    /** How an account authenticates: plugin (null: the default or current one) and password or stored hash. */
    private record Auth(AuthPlugin plugin, String password, String hash) {
    }

    /** Account options given in CREATE/ALTER USER (null: not given). */
    private static final class Options {
        Boolean lock;
        Boolean expire;
        Integer failedLoginAttempts;
        Integer passwordLockDays;
        Boolean requireSsl;
        Integer maxUserConnections;
    }

    /** What one statement does, against the accounts of its transaction. */
    private final class Run {
        final Transaction t;
        final AccountStore store;
        final Accounts accounts;
        final AccountPrivileges mine;
        final long revision;
        boolean ownPasswordChanged;

        Run(Transaction t) {
            this.t = t;
            this.store = session.engine().privileges().store();
            store.migrate(t);
            this.accounts = store.load(t, session.engine().privileges().rootPassword());
            this.mine = accounts.privileges(accounts.account(session.account().user(), session.account().host()));
            this.revision = store.version(t) + 1;
        }
    }

    QueryResult run(TokenCursor c) {
        for (int attempt = 1; ; attempt++) {
            Transaction t = session.engine().node().begin(Isolation.REPEATABLE_READ);
            try {
                c.reset(0);
                Run r = new Run(t);
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

    private void apply(TokenCursor c, Run r) {
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
            case "GRANT" -> grant(c, r, true);
            case "REVOKE" -> grant(c, r, false);
            default -> throw c.error();
        }
        c.expectEnd();
    }

    // ------------------------------------------------------------------ users

    private void createUser(TokenCursor c, Run r) {
        requireCreateUser(r);
        boolean ifNotExists = c.acceptAll("IF", "NOT", "EXISTS");
        Map<String[], Auth> users = accountsWithAuth(c);
        Options o = options(c);
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String[], Auth> e : users.entrySet()) {
            String user = e.getKey()[0];
            String host = e.getKey()[1];
            Users.checkUserName(user, host);
            if (r.accounts.account(user, host) != null) {
                if (!ifNotExists) {
                    failed.add(Account.quoted(user, host));
                }
                continue;
            }
            Auth auth = e.getValue();
            Account a = new Account(user, host, credential(auth, AuthPlugin.CACHING_SHA2_PASSWORD), false, false, 0, 0, r.revision,
                    false, 0);
            r.store.put(r.t, withOptions(a, o));
        }
        if (!failed.isEmpty()) {
            throw new SqlException(MysqlError.CANNOT_USER, "CREATE USER", String.join(",", failed));
        }
    }

    private void alterUser(TokenCursor c, Run r) {
        boolean ifExists = c.acceptAll("IF", "EXISTS");
        Map<String[], Auth> users;
        if (c.peek() != null && c.peek().is("USER") && c.peek(1) != null && c.peek(1).isSymbol("(")) {
            c.next(); // ALTER USER USER() IDENTIFIED BY …: the session's own account
            c.expectSymbol("(");
            c.expectSymbol(")");
            users = new LinkedHashMap<>();
            users.put(new String[] {session.account().user(), session.account().host()}, auth(c));
        } else {
            users = accountsWithAuth(c);
        }
        Options o = options(c);
        boolean optionsGiven = o.lock != null || o.expire != null || o.failedLoginAttempts != null || o.passwordLockDays != null
                || o.requireSsl != null || o.maxUserConnections != null;
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String[], Auth> e : users.entrySet()) {
            String user = e.getKey()[0];
            String host = e.getKey()[1];
            boolean own = isSessionAccount(user, host);
            // users may change their own password; anything else needs CREATE USER
            if (!own || optionsGiven || e.getValue() == null || e.getValue().plugin() != null) {
                requireCreateUser(r);
            }
            Account existing = r.accounts.account(user, host);
            if (existing == null) {
                if (!ifExists) {
                    failed.add(Account.quoted(user, host));
                }
                continue;
            }
            Account a = existing.withRevision(r.revision);
            Auth auth = e.getValue();
            if (auth != null) {
                a = a.withCredential(credential(auth, existing.credential().plugin())).withPasswordExpired(false);
                r.ownPasswordChanged |= own;
            }
            r.store.put(r.t, withOptions(a, o));
        }
        if (!failed.isEmpty()) {
            throw new SqlException(MysqlError.CANNOT_USER, "ALTER USER", String.join(",", failed));
        }
    }

    private void dropUser(TokenCursor c, Run r) {
        requireCreateUser(r);
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
    private void setPassword(TokenCursor c, Run r) {
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

    private void requireCreateUser(Run r) {
        if (!Privilege.CREATE_USER.in(r.mine.global())) {
            throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "CREATE USER");
        }
    }

    /** {@code user [auth] [, user [auth]] …}; the auth of an account is null when none is given. */
    private static Map<String[], Auth> accountsWithAuth(TokenCursor c) {
        Map<String[], Auth> out = new LinkedHashMap<>();
        do {
            String[] name = DdlParser.account(c);
            out.put(name, auth(c));
        } while (c.acceptSymbol(","));
        return out;
    }

    /** IDENTIFIED BY 'pw' | IDENTIFIED WITH plugin [BY 'pw' | AS 'hash'], or null. */
    private static Auth auth(TokenCursor c) {
        if (!c.accept("IDENTIFIED")) {
            return null;
        }
        AuthPlugin plugin = null;
        if (c.accept("WITH")) {
            Token p = c.next();
            plugin = AuthPlugin.fromWireName(p.text().toLowerCase(java.util.Locale.ROOT));
            if (plugin == null) {
                throw new SqlException(MysqlError.PLUGIN_IS_NOT_LOADED, p.text());
            }
        }
        if (c.accept("BY")) {
            Token pw = c.next();
            if (pw.type() != Token.Type.STRING) {
                throw c.error();
            }
            return new Auth(plugin, pw.text(), null);
        }
        if (plugin != null && c.accept("AS")) {
            Token hash = c.next();
            if (hash.type() != Token.Type.STRING) {
                throw c.error();
            }
            return new Auth(plugin, null, hash.text());
        }
        if (plugin == null) {
            throw c.error();
        }
        return new Auth(plugin, "", null);
    }

    private static Credential credential(Auth auth, AuthPlugin fallback) {
        if (auth == null) {
            return Credential.forPassword(fallback, "");
        }
        AuthPlugin plugin = auth.plugin() != null ? auth.plugin() : fallback;
        if (auth.hash() == null) {
            return Credential.forPassword(plugin, auth.password());
        }
        // AS 'hash': mysql_native_password's '*' + 40 hex digits (as mysql.user and SHOW CREATE USER hold it)
        String h = auth.hash();
        if (plugin != AuthPlugin.MYSQL_NATIVE_PASSWORD || !(h.isEmpty() || h.matches("\\*[0-9A-Fa-f]{40}"))) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "IDENTIFIED WITH " + plugin.wireName() + " AS this hash");
        }
        return new Credential(plugin, h.isEmpty() ? new byte[0] : HexFormat.of().parseHex(h.substring(1)));
    }

    /** REQUIRE, WITH limits, PASSWORD EXPIRE, FAILED_LOGIN_ATTEMPTS, PASSWORD_LOCK_TIME, ACCOUNT LOCK/UNLOCK, COMMENT. */
    private static Options options(TokenCursor c) {
        Options o = new Options();
        while (!c.atEnd()) {
            if (c.accept("REQUIRE")) {
                if (c.accept("NONE")) {
                    o.requireSsl = false;
                } else if (c.accept("SSL")) {
                    o.requireSsl = true;
                } else {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "REQUIRE " + (c.atEnd() ? "" : c.peek().text()));
                }
            } else if (c.accept("WITH")) {
                do {
                    String limit = c.next().text().toUpperCase(java.util.Locale.ROOT);
                    if (limit.equals("MAX_USER_CONNECTIONS")) {
                        o.maxUserConnections = limit(c);
                    } else if (!c.next().text().equals("0")) {
                        throw new SqlException(MysqlError.NOT_SUPPORTED_YET, limit + " other than 0");
                    }
                } while (!c.atEnd() && c.peek().text().toUpperCase(java.util.Locale.ROOT).startsWith("MAX_"));
            } else if (c.acceptAll("PASSWORD", "EXPIRE")) {
                if (c.accept("DEFAULT") || c.accept("NEVER")) {
                    continue; // no password lifetime policy: nothing to change
                }
                if (c.peek() != null && c.peek().is("INTERVAL")) {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "PASSWORD EXPIRE INTERVAL");
                }
                o.expire = true;
            } else if (c.accept("FAILED_LOGIN_ATTEMPTS")) {
                o.failedLoginAttempts = number(c);
            } else if (c.accept("PASSWORD_LOCK_TIME")) {
                o.passwordLockDays = c.accept("UNBOUNDED") ? Account.UNBOUNDED : number(c);
            } else if (c.accept("ACCOUNT")) {
                if (c.accept("LOCK")) {
                    o.lock = true;
                } else {
                    c.expect("UNLOCK");
                    o.lock = false;
                }
            } else if (c.accept("COMMENT") || c.accept("ATTRIBUTE")) {
                c.next();
            } else {
                throw c.error();
            }
        }
        return o;
    }

    /** A FAILED_LOGIN_ATTEMPTS / PASSWORD_LOCK_TIME value: 0 to 32767, as in MySQL. */
    private static int number(TokenCursor c) {
        Token n = c.next();
        try {
            int v = Integer.parseInt(n.text());
            if (v >= 0 && v <= 32767) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the syntax error
        }
        throw c.error();
    }

    /** A resource limit: 0 to 4294967295 in MySQL; Cairn keeps it in an int (larger is no limit in practice). */
    private static int limit(TokenCursor c) {
        Token n = c.next();
        try {
            long v = Long.parseLong(n.text());
            if (v >= 0 && v <= 4_294_967_295L) {
                return (int) Math.min(v, Integer.MAX_VALUE);
            }
        } catch (NumberFormatException e) {
            // falls through to the syntax error
        }
        throw c.error();
    }

    private static Account withOptions(Account a, Options o) {
        if (o.requireSsl != null) {
            a = a.withRequireSsl(o.requireSsl);
        }
        if (o.maxUserConnections != null) {
            a = a.withMaxUserConnections(o.maxUserConnections);
        }
        if (o.lock != null) {
            a = a.withLocked(o.lock);
        }
        if (o.expire != null) {
            a = a.withPasswordExpired(o.expire);
        }
        if (o.failedLoginAttempts != null) {
            a = a.withFailedLoginAttempts(o.failedLoginAttempts);
        }
        if (o.passwordLockDays != null) {
            a = a.withPasswordLockDays(o.passwordLockDays);
        }
        return a;
    }

    // ------------------------------------------------------------------ GRANT / REVOKE

    /** One item of a privilege list: a privilege (null for ALL) and its columns (empty: not a column privilege). */
    private record Item(Privilege privilege, boolean all, List<String> columns) {
    }

    private void grant(TokenCursor c, Run r, boolean grant) {
        List<Item> items = new ArrayList<>();
        do {
            items.add(item(c));
        } while (c.acceptSymbol(","));
        if (!grant && (c.peek() == null || !c.peek().is("ON"))) {
            // REVOKE ALL [PRIVILEGES], GRANT OPTION FROM user …
            boolean all = items.size() == 2 && items.get(0).all() && items.get(1).privilege() == Privilege.GRANT_OPTION;
            if (!all) {
                throw c.error();
            }
            requireCreateUser(r);
            c.expect("FROM");
            do {
                String[] name = DdlParser.account(c);
                if (r.accounts.account(name[0], name[1]) == null) {
                    throw new SqlException(MysqlError.NONEXISTING_GRANT, name[0], name[1]);
                }
                for (Grant g : r.accounts.grants(name[0], name[1])) {
                    r.store.put(r.t, g.withMask(0));
                }
            } while (c.acceptSymbol(","));
            return;
        }
        c.expect("ON");
        c.accept("TABLE");
        Grant.Level level;
        String db = null;
        String table = null;
        if (c.acceptSymbol("*")) {
            if (c.acceptSymbol(".")) {
                c.expectSymbol("*");
                level = Grant.Level.GLOBAL;
            } else if (session.database() != null) {
                db = session.database();
                level = Grant.Level.DATABASE;
            } else {
                level = Grant.Level.GLOBAL;
            }
        } else {
            String first = c.identifier();
            if (c.acceptSymbol(".")) {
                db = first;
                if (c.acceptSymbol("*")) {
                    level = Grant.Level.DATABASE;
                } else {
                    table = c.identifier();
                    level = Grant.Level.TABLE;
                }
            } else {
                db = session.database();
                if (db == null) {
                    throw new SqlException(MysqlError.NO_DB);
                }
                table = first;
                level = Grant.Level.TABLE;
            }
        }
        c.expect(grant ? "TO" : "FROM");
        List<String[]> users = new ArrayList<>();
        do {
            users.add(DdlParser.account(c));
        } while (c.acceptSymbol(","));
        boolean withGrantOption = grant && c.acceptAll("WITH", "GRANT", "OPTION");

        // what the statement grants or revokes: a mask at the level, and column masks
        long mask = 0;
        Map<String, Long> columnMasks = new LinkedHashMap<>();
        TableDefinition def = null;
        if (level == Grant.Level.TABLE) {
            def = session.catalogNow().table(db, table);
            if (def == null) {
                throw new SqlException(MysqlError.NO_SUCH_TABLE, db, table);
            }
            db = def.database();
            table = def.name();
        }
        for (Item it : items) {
            if (it.all()) {
                mask |= switch (level) {
                    case GLOBAL -> Privilege.ALL_GLOBAL;
                    case DATABASE -> Privilege.ALL_DATABASE;
                    default -> Privilege.ALL_TABLE;
                } | (grant ? 0 : Privilege.GRANT_OPTION.bit());
                continue;
            }
            if (it.privilege() == null) {
                continue; // USAGE
            }
            Privilege p = it.privilege();
            if (!it.columns().isEmpty()) {
                if (level != Grant.Level.TABLE || p.level() != Privilege.Level.COLUMN) {
                    throw new SqlException(MysqlError.ILLEGAL_GRANT_FOR_TABLE);
                }
                for (String col : it.columns()) {
                    int at = def.columnIndex(col);
                    if (at < 0) {
                        throw new SqlException(MysqlError.BAD_FIELD, col, table);
                    }
                    columnMasks.merge(def.columns().get(at).name(), p.bit(), (a, b) -> a | b);
                }
                continue;
            }
            if (level == Grant.Level.DATABASE && p.level().compareTo(Privilege.Level.DATABASE) > 0) {
                throw new SqlException(MysqlError.WRONG_USAGE, "DB GRANT", "GLOBAL PRIVILEGES");
            }
            if (level == Grant.Level.TABLE && p.level().compareTo(Privilege.Level.TABLE) > 0) {
                throw new SqlException(MysqlError.ILLEGAL_GRANT_FOR_TABLE);
            }
            mask |= p.bit();
        }
        if (withGrantOption) {
            mask |= Privilege.GRANT_OPTION.bit();
        }
        requireGrantable(r, level, db, table, mask | (columnMasks.isEmpty() ? 0 : Privilege.GRANT_OPTION.bit()), columnMasks);

        for (String[] name : users) {
            Account a = r.accounts.account(name[0], name[1]);
            if (a == null) {
                if (grant) {
                    throw new SqlException(MysqlError.CANT_CREATE_USER_WITH_GRANT);
                }
                throw new SqlException(MysqlError.NONEXISTING_GRANT, name[0], name[1]);
            }
            List<Grant> held = r.accounts.grants(a.user(), a.host());
            if (grant) {
                if (mask != 0 || level != Grant.Level.TABLE) {
                    put(r, held, new Grant(a.user(), a.host(), db, table, null, mask));
                }
                for (Map.Entry<String, Long> col : columnMasks.entrySet()) {
                    put(r, held, new Grant(a.user(), a.host(), db, table, col.getKey(), col.getValue()));
                }
                continue;
            }
            boolean found = false;
            Grant atLevel = find(held, new Grant(a.user(), a.host(), db, table, null, 0));
            if (atLevel != null && (mask != 0 || columnMasks.isEmpty())) {
                r.store.put(r.t, atLevel.withMask(atLevel.mask() & ~mask));
                found = true;
            }
            for (Grant g : held) {
                if (level == Grant.Level.TABLE && g.level() == Grant.Level.COLUMN
                        && g.objectKey().startsWith(Grant.objectKey(db, table, null) + "\0")) {
                    // REVOKE p ON db.t also revokes p on its columns; REVOKE p (c) ON db.t on that column
                    long off = mask & Privilege.COLUMN_PRIVILEGES;
                    for (Map.Entry<String, Long> col : columnMasks.entrySet()) {
                        if (col.getKey().equalsIgnoreCase(g.column())) {
                            off |= col.getValue();
                        }
                    }
                    if ((g.mask() & off) != 0 || columnMasks.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(g.column()))) {
                        found = true;
                    }
                    r.store.put(r.t, g.withMask(g.mask() & ~off));
                }
            }
            if (!found) {
                if (level == Grant.Level.TABLE) {
                    throw new SqlException(MysqlError.NONEXISTING_TABLE_GRANT, a.user(), a.host(), table);
                }
                throw new SqlException(MysqlError.NONEXISTING_GRANT, a.user(), a.host());
            }
        }
    }

    /** Adds {@code g}'s privileges to the row the account holds at that level (if any). */
    private static void put(Run r, List<Grant> held, Grant g) {
        Grant existing = find(held, g);
        long mask = existing == null ? g.mask() : existing.mask() | g.mask();
        r.store.put(r.t, existing == null ? g.withMask(mask) : existing.withMask(mask));
    }

    private static Grant find(List<Grant> held, Grant like) {
        for (Grant g : held) {
            if (g.level() == like.level() && g.objectKey().equals(like.objectKey())) {
                return g;
            }
        }
        return null;
    }

    /**
     * The grantor must hold GRANT OPTION at the level and every privilege it grants or revokes there
     * (column privileges on the table or on those columns). MySQL's errors: 1045 on {@code *.*},
     * 1044 on a database, 1142 on a table.
     */
    private void requireGrantable(Run r, Grant.Level level, String db, String table, long mask, Map<String, Long> columns) {
        long held = switch (level) {
            case GLOBAL -> r.mine.global();
            case DATABASE -> r.mine.database(db);
            default -> r.mine.table(db, table);
        };
        boolean ok = (mask & ~held) == 0 && (mask == 0 || Privilege.GRANT_OPTION.in(held));
        for (Map.Entry<String, Long> col : columns.entrySet()) {
            ok &= (col.getValue() & ~r.mine.column(db, table, col.getKey())) == 0;
        }
        if (ok) {
            return;
        }
        switch (level) {
            case GLOBAL -> throw new SqlException(MysqlError.ACCESS_DENIED, session.user(), session.account().host(),
                    session.account().credential().emptyPassword() ? "NO" : "YES");
            case DATABASE -> throw new SqlException(MysqlError.DB_ACCESS_DENIED, session.user(), session.account().host(), db);
            default -> throw new SqlException(MysqlError.TABLE_ACCESS_DENIED, "GRANT", session.user(), session.clientHost(), table);
        }
    }

    /** One privilege of a GRANT/REVOKE list: its words, then an optional column list. */
    private static Item item(TokenCursor c) {
        StringBuilder name = new StringBuilder();
        while (!c.atEnd() && !c.peek().isSymbol(",") && !c.peek().isSymbol("(") && !c.peek().is("ON")
                && !(c.peek().is("FROM") && name.length() > 0) && !(c.peek().is("TO") && name.length() > 0)) {
            if (name.length() > 0) {
                name.append(' ');
            }
            name.append(c.next().text().toUpperCase(java.util.Locale.ROOT));
        }
        List<String> columns = new ArrayList<>();
        if (c.acceptSymbol("(")) {
            do {
                columns.add(c.identifier());
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        String n = name.toString();
        if (n.equals("ALL") || n.equals("ALL PRIVILEGES")) {
            if (!columns.isEmpty()) {
                throw new SqlException(MysqlError.ILLEGAL_GRANT_FOR_TABLE);
            }
            return new Item(null, true, columns);
        }
        if (n.equals("USAGE")) {
            return new Item(null, false, columns);
        }
        Privilege p = Privilege.named(n);
        if (p == null) {
            throw c.error();
        }
        return new Item(p, false, columns);
    }
}
