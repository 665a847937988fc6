package io.cairn.sql.auth;

import io.cairn.mysql.AuthPlugin;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of every account and grant at one grants version ({@link AccountStore#load}),
 * with the accounts in MySQL's matching order: most specific host first ({@link Hosts#specificity}),
 * then by user and host. The built-in {@code 'root'@'%'} is present even without a row, with the
 * configured password, and always holds every privilege with GRANT OPTION.
 *
 * <p>Thread-safe; {@link #privileges} memoizes per account.
 */
public final class Accounts {
    private final long version;
    private final List<Account> ordered;
    private final Map<String, Account> byName = new HashMap<>();
    private final Map<String, List<Grant>> grants = new HashMap<>();
    private final Map<String, AccountPrivileges> resolved = new ConcurrentHashMap<>();

    Accounts(long version, List<Account> accounts, List<Grant> allGrants, String rootPassword) {
        this.version = version;
        List<Account> list = new ArrayList<>(accounts);
        if (list.stream().noneMatch(Account::isRoot)) {
            list.add(Account.create(Account.ROOT, "%", AuthPlugin.MYSQL_NATIVE_PASSWORD, rootPassword == null ? "" : rootPassword));
        }
        list.sort(Comparator.comparingInt((Account a) -> -Hosts.specificity(a.host()))
                .thenComparing(Account::user).thenComparing(Account::host));
        this.ordered = List.copyOf(list);
        for (Account a : ordered) {
            byName.put(key(a.user(), a.host()), a);
        }
        for (Grant g : allGrants) {
            grants.computeIfAbsent(key(g.user(), g.host()), k -> new ArrayList<>()).add(g);
        }
    }

    /** The grants version of this snapshot. */
    public long version() {
        return version;
    }

    /** Every account, in matching order. */
    public List<Account> all() {
        return ordered;
    }

    /** The account a client at {@code remote} logging in as {@code user} gets (MySQL's first match), or null. */
    public Account match(String user, SocketAddress remote) {
        for (Account a : ordered) {
            if (a.user().equals(user) && Hosts.matches(a.host(), remote)) {
                return a;
            }
        }
        return null;
    }

    /** The account {@code 'user'@'host'} exactly, or null. */
    public Account account(String user, String host) {
        return byName.get(key(user, host));
    }

    /** The grant rows of an account (empty for none). */
    public List<Grant> grants(String user, String host) {
        return grants.getOrDefault(key(user, host), List.of());
    }

    /** The privileges of {@code account} (none when it is null or has no grants). */
    public AccountPrivileges privileges(Account account) {
        if (account == null) {
            return AccountPrivileges.NONE;
        }
        return resolved.computeIfAbsent(key(account.user(), account.host()),
                k -> new AccountPrivileges(account.isRoot(), grants.getOrDefault(k, List.of())));
    }

    private static String key(String user, String host) {
        return user + "\0" + host.toLowerCase(java.util.Locale.ROOT);
    }
}
