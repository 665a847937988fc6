package io.cairn.sql.auth;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import java.util.Locale;

/**
 * A MySQL account {@code 'user'@'host'} and its login settings, as stored in the catalog
 * ({@link AccountStore}). Users are case-sensitive, hosts are not (kept lower-cased).
 *
 * @param user                the user name
 * @param host                the host pattern ({@link Hosts})
 * @param credential          the authentication plugin and password hash
 * @param locked              ACCOUNT LOCK: logins are refused with 3118
 * @param passwordExpired     PASSWORD EXPIRE: the session may only set a new password (1820/1862)
 * @param failedLoginAttempts FAILED_LOGIN_ATTEMPTS (0: no tracking)
 * @param passwordLockDays    PASSWORD_LOCK_TIME in days (0: none, -1: UNBOUNDED)
 * @param revision            the grants version in which this row was last written (resets failed-login state)
 * @param requireSsl          REQUIRE SSL: logins without TLS are refused with 1045 (REQUIRE NONE: false)
 * @param maxUserConnections  WITH MAX_USER_CONNECTIONS: connections of this account at once, else 1226
 *                            (0: the global max_user_connections holds)
 */
public record Account(String user, String host, Credential credential, boolean locked, boolean passwordExpired,
                      int failedLoginAttempts, int passwordLockDays, long revision, boolean requireSsl,
                      int maxUserConnections) {
    /** The password lock time that stands for UNBOUNDED. */
    public static final int UNBOUNDED = -1;
    /** The account that exists without a row (with the configured root password) and always holds every privilege. */
    public static final String ROOT = "root";

    public Account {
        host = host.toLowerCase(Locale.ROOT);
    }

    /** A new account with a password for {@code plugin}. */
    public static Account create(String user, String host, AuthPlugin plugin, String password) {
        return new Account(user, host, Credential.forPassword(plugin, password), false, false, 0, 0, 0, false, 0);
    }

    /** Whether this is the built-in {@code 'root'@'%'}. */
    public boolean isRoot() {
        return user.equals(ROOT) && host.equals("%");
    }

    /** Whether failed logins lock the account (both FAILED_LOGIN_ATTEMPTS and PASSWORD_LOCK_TIME set). */
    public boolean tracksFailedLogins() {
        return failedLoginAttempts > 0 && passwordLockDays != 0;
    }

    /** {@code 'user'@'host'} as MySQL quotes accounts in messages. */
    public String quoted() {
        return quoted(user, host);
    }

    public static String quoted(String user, String host) {
        return "'" + user + "'@'" + host + "'";
    }

    /** {@code `user`@`host`} as SHOW GRANTS writes accounts. */
    public String backquoted() {
        return "`" + user.replace("`", "``") + "`@`" + host.replace("`", "``") + "`";
    }

    public Account withCredential(Credential c) {
        return new Account(user, host, c, locked, passwordExpired, failedLoginAttempts, passwordLockDays, revision, requireSsl, maxUserConnections);
    }

    public Account withLocked(boolean l) {
        return new Account(user, host, credential, l, passwordExpired, failedLoginAttempts, passwordLockDays, revision, requireSsl, maxUserConnections);
    }

    public Account withPasswordExpired(boolean e) {
        return new Account(user, host, credential, locked, e, failedLoginAttempts, passwordLockDays, revision, requireSsl, maxUserConnections);
    }

    public Account withFailedLoginAttempts(int n) {
        return new Account(user, host, credential, locked, passwordExpired, n, passwordLockDays, revision, requireSsl, maxUserConnections);
    }

    public Account withPasswordLockDays(int days) {
        return new Account(user, host, credential, locked, passwordExpired, failedLoginAttempts, days, revision, requireSsl, maxUserConnections);
    }

    public Account withRevision(long r) {
        return new Account(user, host, credential, locked, passwordExpired, failedLoginAttempts, passwordLockDays, r, requireSsl, maxUserConnections);
    }

    public Account withRequireSsl(boolean required) {
        return new Account(user, host, credential, locked, passwordExpired, failedLoginAttempts, passwordLockDays,
                revision, required, maxUserConnections);
    }

    public Account withMaxUserConnections(int n) {
        return new Account(user, host, credential, locked, passwordExpired, failedLoginAttempts, passwordLockDays,
                revision, requireSsl, n);
    }
}
