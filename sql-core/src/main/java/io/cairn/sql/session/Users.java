package io.cairn.sql.session;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.SessionInfo;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.Hosts;
import io.cairn.sql.auth.PrivilegeCache;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Authenticator} of a compute node: accounts {@code 'user'@'host'} ({@link Accounts}) as
 * of a fresh snapshot, matched against the client's address in MySQL's most-specific-first order.
 *
 * <p>Account states checked at login ({@link #loggedIn}, after the password was proven): a client
 * without TLS (its own connection, also behind a proxy) is refused with 3159 while
 * {@code require_secure_transport} is ON, and with 1045 when its account has REQUIRE SSL;
 * ACCOUNT LOCK refuses with 3118; an expired password (PASSWORD EXPIRE) refuses with 1862 unless the
 * client can handle expired passwords, whose session may then only set a new one (1820 otherwise).
 *
 * <p>Failed-login tracking, as MySQL's FAILED_LOGIN_ATTEMPTS / PASSWORD_LOCK_TIME: after that many
 * consecutive failed logins the account is blocked for that many days (or until unlocked) and every
 * login, with the right password or not, is refused with 3955; a successful login resets the count,
 * and so does any ALTER USER of the account (it gets a new revision). The counts live in this compute
 * node's memory, as MySQL's do in its server's: they are not shared with the other compute nodes and a
 * restart forgets them (a client that spreads its guesses over N compute nodes gets N times the
 * attempts before every one of them blocks the account).
 *
 * <p>Thread-safe.
 */
public final class Users implements Authenticator {
    /** The capability flag of clients that can run with an expired password (MySQL's CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS). */
    static final int CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1 << 22;

    private final DataNode node;
    private final PrivilegeCache accounts;
    private final Clock clock;
    /** Failed-login state by account ({@code user NUL host}), for accounts that track them. */
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Consecutive failed logins of one account revision, and until when it is blocked (null: not). */
    private record Failures(long revision, int count, Instant blockedUntil) {
    }

    Users(DataNode node, PrivilegeCache accounts, Clock clock) {
        this.node = node;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Accounts and grants as a fresh snapshot sees them. */
    Accounts current() {
        return readIn(node.begin(Isolation.REPEATABLE_READ));
    }

    /**
     * Accounts and grants as this compute node has applied them, without a read barrier: at most the
     * apply delay behind {@link #current()}, and no majority round per call.
     */
    Accounts applied() {
        return readIn(node.beginApplied(Isolation.REPEATABLE_READ));
    }

    /** Accounts and grants as {@code t} sees them; ends {@code t}. */
    private Accounts readIn(Transaction t) {
        try {
            return accounts.at(t);
        } finally {
            t.rollback();
        }
    }

    @Override
    public Optional<Credential> lookup(String user, SocketAddress remoteAddress) {
        Account a = current().match(user, remoteAddress);
        return a == null ? Optional.empty() : Optional.of(a.credential());
    }

    @Override
    public MysqlException loginFailed(String user, SocketAddress remoteAddress) {
        Account a = current().match(user, remoteAddress);
        if (a == null || !a.tracksFailedLogins()) {
            return null;
        }
        Instant now = clock.instant();
        Failures f = failures.compute(key(a), (k, old) -> {
            Failures base = old == null || old.revision() != a.revision() ? new Failures(a.revision(), 0, null) : old;
            if (base.blockedUntil() != null && now.isBefore(base.blockedUntil())) {
                return base;
            }
            int count = base.blockedUntil() != null ? 1 : base.count() + 1; // a block that ran out starts a new count
            Instant until = count >= a.failedLoginAttempts()
                    ? (a.passwordLockDays() == Account.UNBOUNDED ? Instant.MAX : now.plus(Duration.ofDays(a.passwordLockDays())))
                    : null;
            return new Failures(a.revision(), until != null ? 0 : count, until);
        });
        return f.blockedUntil() != null ? blocked(a, f, Hosts.clientHost(remoteAddress), now) : null;
    }

    /**
     * The account of a client that proved its password (or that a proxy asserted), checked for
     * logging in: 3159 without TLS while {@code require_secure_transport} is ON, 1045 without TLS for
     * a REQUIRE SSL account, 3118 when locked, 3955 while blocked by failed logins, 1862 for an expired password
     * the client cannot handle. Resets the account's failed-login count.
     *
     * @param t       a fresh snapshot, in which the accounts are read
     * @param globals the global variables (require_secure_transport) as of {@code t}
     */
    Account loggedIn(SessionInfo info, Transaction t, GlobalVariables globals) throws MysqlException {
        Account a = accounts.at(t).match(info.user(), info.remoteAddress());
        String host = Hosts.clientHost(info.remoteAddress());
        if (a == null) { // dropped between the password check and now
            throw MysqlException.of(MysqlError.ACCESS_DENIED, info.user(), host, "YES");
        }
        boolean admitted = info.proxy() != null && info.proxy().admitted(); // checked at its first login
        if (!info.secure() && !admitted && Long.valueOf(1).equals(globals.get("require_secure_transport"))) {
            throw MysqlException.of(MysqlError.SECURE_TRANSPORT_REQUIRED);
        }
        if (!info.secure() && !admitted && a.requireSsl()) { // MySQL does not say why: a plain 1045
            throw MysqlException.of(MysqlError.ACCESS_DENIED, info.user(), host, "YES");
        }
        if (a.locked()) {
            throw MysqlException.of(MysqlError.ACCOUNT_HAS_BEEN_LOCKED, info.user(), host);
        }
        if (a.tracksFailedLogins()) {
            Instant now = clock.instant();
            Failures f = failures.get(key(a));
            if (f != null && f.revision() == a.revision() && f.blockedUntil() != null && now.isBefore(f.blockedUntil())) {
                throw blocked(a, f, host, now);
            }
            failures.remove(key(a));
        }
        if (a.passwordExpired() && (info.clientCapabilities() & CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS) == 0) {
            throw MysqlException.of(MysqlError.MUST_CHANGE_PASSWORD_LOGIN);
        }
        return a;
    }

    private static MysqlException blocked(Account a, Failures f, String host, Instant now) {
        String days = a.passwordLockDays() == Account.UNBOUNDED ? "unlimited" : String.valueOf(a.passwordLockDays());
        String remaining = a.passwordLockDays() == Account.UNBOUNDED ? "unlimited"
                : String.valueOf(Math.max(1, (Duration.between(now, f.blockedUntil()).toHours() + 23) / 24));
        return MysqlException.of(MysqlError.ACCOUNT_BLOCKED_BY_PASSWORD_LOCK, a.user(), host, days, remaining,
                a.failedLoginAttempts());
    }

    private static String key(Account a) {
        return a.user() + "\0" + a.host();
    }

    static void checkUserName(String user, String host) {
        if (user.isEmpty() || user.length() > 32 || !Hosts.valid(host)) {
            throw new SqlException(MysqlError.CANNOT_USER, "CREATE USER", Account.quoted(user, host));
        }
    }
}
