package io.cairn.sql.session;

import io.cairn.data.Isolation;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import java.util.List;
import java.util.Locale;

/**
 * SET (system and user variables, NAMES, CHARACTER SET, TRANSACTION) and KILL. One use per statement.
 */
final class SessionStatements {
    private final Session session;

    SessionStatements(Session session) {
        this.session = session;
    }

    QueryResult set(TokenCursor c) {
        c.expect("SET");
        String scope = scope(c);
        if (c.accept("TRANSACTION")) {
            transaction(c, scope == null);
            return QueryResult.ok();
        }
        if (c.accept("NAMES") || (c.accept("CHARACTER") && c.accept("SET")) || c.accept("CHARSET")) {
            // utf8mb4 is the only character set spoken: accept and ignore
            while (!c.atEnd()) {
                c.next();
            }
            return QueryResult.ok();
        }
        List<Token> tokens = c.tokens();
        do {
            String s = scope(c);
            if (s != null) {
                scope = s;
            }
            if (c.peek() != null && (c.peek().is("NAMES") || c.peek().is("CHARSET")
                    || (c.peek().is("CHARACTER") && c.peek(1) != null && c.peek(1).is("SET")))) {
                // utf8mb4 is the only character set spoken: accept and ignore
                while (!c.atEnd() && !c.peek().isSymbol(",")) {
                    c.next();
                }
                continue;
            }
            Token target = c.next();
            String name;
            boolean user = false;
            if (target.type() == Token.Type.USER_VAR) {
                name = target.text();
                user = true;
            } else if (target.type() == Token.Type.SYSTEM_VAR) {
                name = target.text();
            } else if (target.identifier() != null) {
                name = target.text();
                if (c.acceptSymbol(".")) {
                    name = c.identifier();
                }
            } else {
                throw c.error();
            }
            if (!c.acceptSymbol("=") && !c.acceptSymbol(":=")) {
                throw c.error();
            }
            int from = c.position();
            int depth = 0;
            while (!c.atEnd() && !(depth == 0 && c.peek().isSymbol(","))) {
                Token t = c.next();
                depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            }
            int to = c.position();
            if (user) {
                session.userVariables().put(name.toLowerCase(Locale.ROOT), session.queries().evaluate(tokens, from, to));
            } else {
                String n = name.toLowerCase(Locale.ROOT);
                boolean global = n.startsWith("global.") || n.startsWith("persist")
                        || (!n.contains(".") && scope != null && (scope.equals("GLOBAL") || scope.startsWith("PERSIST")));
                setSystem(n, tokens, from, to, global);
            }
        } while (c.acceptSymbol(","));
        c.expectEnd();
        return QueryResult.ok();
    }

    private static String scope(TokenCursor c) {
        for (String s : new String[] {"GLOBAL", "SESSION", "LOCAL", "PERSIST", "PERSIST_ONLY"}) {
            if (c.accept(s)) {
                return s;
            }
        }
        return null;
    }

    private void setSystem(String name, List<Token> tokens, int from, int to, boolean global) {
        String n = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
        Object value;
        if (to - from == 1 && tokens.get(from).type() == Token.Type.WORD) {
            String w = tokens.get(from).text();
            value = w.equalsIgnoreCase("ON") || w.equalsIgnoreCase("TRUE") ? 1L
                    : w.equalsIgnoreCase("OFF") || w.equalsIgnoreCase("FALSE") ? 0L
                    : w.equalsIgnoreCase("DEFAULT") ? SessionVariables.DEFAULTS.get(n) : w;
        } else {
            value = session.queries().evaluate(tokens, from, to);
        }
        value = validated(n, value);
        if (global) {
            AccountPrivileges p = session.privilegesNow();
            if (!p.hasGlobal(Privilege.SUPER) && !p.hasGlobal(Privilege.SYSTEM_VARIABLES_ADMIN)) {
                throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "SUPER or SYSTEM_VARIABLES_ADMIN");
            }
            if (!SessionVariables.known(n)) {
                throw new SqlException(MysqlError.UNKNOWN_SYSTEM_VARIABLE, n);
            }
            if (n.equals("require_secure_transport") && Long.valueOf(1).equals(value) && !session.secure()
                    && session.engine().tlsReloader() == null) {
                // no TLS here and none on the way in: nobody could log in again, this administrator included
                throw new SqlException(MysqlError.NO_SECURE_TRANSPORTS_CONFIGURED);
            }
            if (ClusterVariables.NAMES.contains(n)) {
                session.engine().clusterVariables().set(n, ((Number) value).longValue());
            } else {
                session.engine().globals().set(n, value instanceof Integer i ? (Object) (long) i : value);
            }
            return;
        }
        if (GLOBAL_ONLY.contains(n)) {
            throw new SqlException(MysqlError.GLOBAL_VARIABLE, n);
        }
        switch (n) {
            case "autocommit" -> session.transaction().setAutocommit(truth(n, value));
            case "transaction_isolation", "tx_isolation" -> session.transaction().setIsolation(isolation(String.valueOf(value)), false);
            case "transaction_read_only", "tx_read_only" -> setReadOnlyDefault(truth(n, value));
            default -> {
                if (!SessionVariables.known(n)) {
                    throw new SqlException(MysqlError.UNKNOWN_SYSTEM_VARIABLE, n);
                }
                session.variables().set(n, value instanceof Integer i ? (Object) (long) i : value);
            }
        }
    }

    /** Variables without a session value. */
    private static final java.util.Set<String> GLOBAL_ONLY = java.util.Set.of("require_secure_transport",
            "max_connections", "max_user_connections", "slow_query_log", "read_only", "super_read_only");

    /** The value to store for the variables whose values Cairn acts on, checked; others as given. */
    private static Object validated(String name, Object value) {
        switch (name) {
            case "require_secure_transport", "slow_query_log" -> {
                return truth(name, value) ? 1L : 0L;
            }
            case "read_only", "super_read_only" -> {
                // the cluster's write mode follows its role (standby, drained, fenced): bin/cairn standby, the admin API
                throw new SqlException(MysqlError.READ_ONLY_VARIABLE, name);
            }
            case "slow_query_log_file" -> {
                // where the server writes is the server's configuration (cairn.sql.slow-query-log-file), not a client's
                throw new SqlException(MysqlError.READ_ONLY_VARIABLE, name);
            }
            case "long_query_time" -> {
                return Math.max(0, Math.min(31_536_000, number(name, value).doubleValue())); // MySQL clamps to its range
            }
            case "max_connections" -> {
                return clamped(name, value, 1, 100_000);
            }
            case "max_user_connections" -> {
                return clamped(name, value, 0, 4_294_967_295L);
            }
            case "wait_timeout", "interactive_timeout" -> {
                return clamped(name, value, 1, 31_536_000);
            }
            case "innodb_lock_wait_timeout" -> {
                return Math.max(1, Math.min(1_073_741_824L, number(name, value).longValue())); // MySQL clamps to its range
            }
            case "cairn_txn_mode" -> {
                String mode = String.valueOf(value).toLowerCase(Locale.ROOT);
                if (!mode.equals("pessimistic") && !mode.equals("optimistic")) {
                    throw new SqlException(MysqlError.WRONG_VALUE_FOR_VAR, name, String.valueOf(value));
                }
                return mode;
            }
            default -> {
                return value;
            }
        }
    }

    /** An integer value, clamped to MySQL's range of the variable (as MySQL does, with a warning it omits here). */
    private static long clamped(String name, Object value, long min, long max) {
        return Math.max(min, Math.min(max, number(name, value).longValue()));
    }

    /** A variable's numeric value, from a number or its text; 1232 when it is neither. */
    private static Number number(String name, Object value) {
        if (value instanceof Number num) {
            return num;
        }
        try {
            return new java.math.BigDecimal(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new SqlException(MysqlError.WRONG_TYPE_FOR_VAR, name);
        }
    }

    private static boolean truth(String name, Object value) {
        String s = String.valueOf(value);
        if (s.equals("1") || s.equalsIgnoreCase("ON") || s.equalsIgnoreCase("TRUE")) {
            return true;
        }
        if (s.equals("0") || s.equalsIgnoreCase("OFF") || s.equalsIgnoreCase("FALSE")) {
            return false;
        }
        throw new SqlException(MysqlError.WRONG_VALUE_FOR_VAR, name, s);
    }

    static Isolation isolation(String level) {
        String l = level.toUpperCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        return switch (l) {
            case "READ-COMMITTED", "READ-UNCOMMITTED" -> Isolation.READ_COMMITTED;
            case "REPEATABLE-READ", "SERIALIZABLE" -> Isolation.REPEATABLE_READ;
            default -> throw new SqlException(MysqlError.WRONG_VALUE_FOR_VAR, "transaction_isolation", level);
        };
    }

    /** SET [GLOBAL|SESSION] TRANSACTION ISOLATION LEVEL …, READ ONLY | READ WRITE. */
    private void transaction(TokenCursor c, boolean nextOnly) {
        do {
            if (c.acceptAll("ISOLATION", "LEVEL")) {
                StringBuilder level = new StringBuilder(c.next().text());
                if (!c.atEnd() && !c.peek().isSymbol(",")) {
                    level.append('-').append(c.next().text());
                }
                session.transaction().setIsolation(isolation(level.toString()), nextOnly);
            } else if (c.acceptAll("READ", "ONLY")) {
                setReadOnlyDefault(true);
            } else if (c.acceptAll("READ", "WRITE")) {
                setReadOnlyDefault(false);
            } else {
                throw c.error();
            }
        } while (c.acceptSymbol(","));
        c.expectEnd();
    }

    /**
     * Records the default access mode (SET TRANSACTION READ ONLY | READ WRITE, @@transaction_read_only);
     * only START TRANSACTION READ ONLY makes a transaction read only.
     */
    private void setReadOnlyDefault(boolean ro) {
        session.variables().set("transaction_read_only", ro ? 1L : 0L);
        session.variables().set("tx_read_only", ro ? 1L : 0L);
    }

    QueryResult kill(TokenCursor c) {
        c.expect("KILL");
        boolean queryOnly = c.accept("QUERY");
        c.accept("CONNECTION");
        Token id = c.next();
        c.expectEnd();
        long target;
        try {
            target = Long.parseLong(id.text());
        } catch (NumberFormatException e) {
            throw c.error();
        }
        Session s = session.engine().sessions().get(target);
        if (s == null) {
            throw new SqlException(MysqlError.UNKNOWN_THREAD, target);
        }
        // MySQL: a user's own sessions (by user name), any session with CONNECTION_ADMIN or SUPER
        AccountPrivileges p = session.privilegesNow();
        if (!session.user().equals(s.user()) && !p.hasGlobal(Privilege.CONNECTION_ADMIN) && !p.hasGlobal(Privilege.SUPER)) {
            throw new SqlException(MysqlError.KILL_DENIED, target);
        }
        if (!queryOnly && session.engine().killConnection(target)) {
            return QueryResult.ok();
        }
        s.cancel();
        return QueryResult.ok();
    }
}
