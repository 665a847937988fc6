package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.Grant;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.TokenCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GRANT and REVOKE with MySQL 8.0's rules, at the global ({@code *.*}), database ({@code db.*}), table
 * ({@code db.t}) and column ({@code SELECT (c) ON db.t}) levels. A grantor needs GRANT OPTION at the level
 * and every privilege it grants or revokes (1045 for {@code *.*}, as MySQL reports it, 1044 for a
 * database, 1142 for a table). Runs within an account statement ({@link AccountStatements}).
 */
final class GrantStatements {
    private final Session session;

    GrantStatements(Session session) {
        this.session = session;
    }

    /** One item of a privilege list: a privilege (null for ALL) and its columns (empty: not a column privilege). */
    private record Item(Privilege privilege, boolean all, List<String> columns) {
    }

    /**
     * GRANT privileges ON level TO accounts [WITH GRANT OPTION] ({@code grant}), or REVOKE privileges ON
     * level FROM accounts, or REVOKE ALL [PRIVILEGES], GRANT OPTION FROM accounts.
     */
    void run(TokenCursor c, AccountChange r, boolean grant) {
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
            r.requireCreateUser();
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
    private static void put(AccountChange r, List<Grant> held, Grant g) {
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
    private void requireGrantable(AccountChange r, Grant.Level level, String db, String table, long mask, Map<String, Long> columns) {
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
            name.append(c.next().text().toUpperCase(Locale.ROOT));
        }
        List<String> columns = c.optionalIdentifierList();
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
