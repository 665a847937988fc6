package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import java.util.Locale;

/**
 * The account options given in CREATE/ALTER USER (each null when not given): REQUIRE SSL / NONE, WITH
 * MAX_USER_CONNECTIONS, PASSWORD EXPIRE, FAILED_LOGIN_ATTEMPTS, PASSWORD_LOCK_TIME and ACCOUNT
 * LOCK/UNLOCK (see {@link Users}). REQUIRE X509/ISSUER/SUBJECT/CIPHER and the other resource limits other
 * than 0 are refused (1235), not silently ignored.
 */
final class AccountOptions {
    private Boolean lock;
    private Boolean expire;
    private Integer failedLoginAttempts;
    private Integer passwordLockDays;
    private Boolean requireSsl;
    private Integer maxUserConnections;

    private AccountOptions() {
    }

    /** REQUIRE, WITH limits, PASSWORD EXPIRE, FAILED_LOGIN_ATTEMPTS, PASSWORD_LOCK_TIME, ACCOUNT LOCK/UNLOCK, COMMENT. */
    static AccountOptions parse(TokenCursor c) {
        AccountOptions o = new AccountOptions();
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
                    String limit = c.next().text().toUpperCase(Locale.ROOT);
                    if (limit.equals("MAX_USER_CONNECTIONS")) {
                        o.maxUserConnections = limit(c);
                    } else if (!c.next().text().equals("0")) {
                        throw new SqlException(MysqlError.NOT_SUPPORTED_YET, limit + " other than 0");
                    }
                } while (!c.atEnd() && c.peek().text().toUpperCase(Locale.ROOT).startsWith("MAX_"));
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

    /** Whether any option was given (changing options of an account needs CREATE USER, even one's own). */
    boolean any() {
        return lock != null || expire != null || failedLoginAttempts != null || passwordLockDays != null
                || requireSsl != null || maxUserConnections != null;
    }

    /** {@code a} with the options given. */
    Account applyTo(Account a) {
        if (requireSsl != null) {
            a = a.withRequireSsl(requireSsl);
        }
        if (maxUserConnections != null) {
            a = a.withMaxUserConnections(maxUserConnections);
        }
        if (lock != null) {
            a = a.withLocked(lock);
        }
        if (expire != null) {
            a = a.withPasswordExpired(expire);
        }
        if (failedLoginAttempts != null) {
            a = a.withFailedLoginAttempts(failedLoginAttempts);
        }
        if (passwordLockDays != null) {
            a = a.withPasswordLockDays(passwordLockDays);
        }
        return a;
    }
}
