package io.cairn.sql.auth;

import io.cairn.data.Transaction;

/**
 * Accounts and grants as a compute node caches them, like {@code CatalogCache} does the catalog:
 * {@link #at(Transaction)} costs one key read (the grants version row) when nothing changed, and
 * reloads every account and grant when the version differs. So each statement checks privileges as
 * of its own snapshot: a GRANT or REVOKE committed on any compute node holds for the next statement
 * whose snapshot includes it, in every session.
 *
 * <p>Thread-safe; the cached snapshot is immutable.
 */
public final class PrivilegeCache {
    private final AccountStore store;
    private final String rootPassword;
    private volatile Accounts latest;

    /**
     * @param rootPassword the password of {@code 'root'@'%'} while no row for it exists
     */
    public PrivilegeCache(AccountStore store, String rootPassword) {
        this.store = store;
        this.rootPassword = rootPassword == null ? "" : rootPassword;
    }

    public AccountStore store() {
        return store;
    }

    /** The password of the built-in root account while it has no row. */
    public String rootPassword() {
        return rootPassword;
    }

    /**
     * Accounts and grants as {@code t} sees them. Not for the transactions of account statements,
     * which change them before they commit (they read {@link AccountStore#load} directly).
     */
    public Accounts at(Transaction t) {
        long version = store.version(t);
        Accounts cached = latest;
        if (cached != null && cached.version() == version) {
            return cached;
        }
        Accounts loaded = store.load(t, rootPassword);
        if (cached == null || loaded.version() > cached.version()) {
            latest = loaded;
        }
        return loaded;
    }
}
