package io.cairn.sql.session;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.txn.Key;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts and database-level privileges, stored as catalog rows ({@link CatalogStore#USERS},
 * {@link CatalogStore#GRANTS}) so that they replicate and commit like any data. Host parts of
 * account names are accepted and ignored (every account is {@code user@'%'}).
 *
 * <p>{@code root} exists implicitly with the configured password and all privileges until a row for
 * it is written (ALTER USER root …). Passwords are stored as {@code mysql_native_password} hashes,
 * which every client supports. Thread-safe.
 */
public final class Users implements Authenticator {
    /** Privileges known to GRANT; ALL stands for all of them. */
    public static final Set<String> PRIVILEGES = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
            "ALTER", "INDEX", "CREATE VIEW", "SHOW VIEW", "REFERENCES", "EXECUTE", "TRIGGER", "EVENT",
            "LOCK TABLES", "CREATE TEMPORARY TABLES", "ALL");

    private final DataNode node;
    private final String rootPassword;

    Users(DataNode node, String rootPassword) {
        this.node = node;
        this.rootPassword = rootPassword == null ? "" : rootPassword;
    }

    @Override
    public Optional<Credential> lookup(String user, SocketAddress remoteAddress) {
        Transaction t = node.begin(Isolation.REPEATABLE_READ);
        try {
            return credential(t, user);
        } finally {
            t.rollback();
        }
    }

    Optional<Credential> credential(Transaction t, String user) {
        byte[] row = t.get(userKey(user));
        if (row == null) {
            return user.equals("root") ? Optional.of(Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, rootPassword))
                    : Optional.empty();
        }
        return Optional.of(new Credential(AuthPlugin.MYSQL_NATIVE_PASSWORD, Arrays.copyOfRange(row, 1, row.length)));
    }

    boolean exists(Transaction t, String user) {
        return t.get(userKey(user)) != null || user.equals("root");
    }

    void put(Transaction t, String user, String password) {
        byte[] hash = Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, password).storedHash();
        byte[] row = new byte[hash.length + 1];
        row[0] = 1; // format
        System.arraycopy(hash, 0, row, 1, hash.length);
        t.put(userKey(user), row);
    }

    void drop(Transaction t, String user) {
        t.delete(userKey(user));
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(CatalogStore.GRANTS, prefix(user), io.cairn.sql.codec.KeyCodec.prefixEnd(prefix(user)));
        while (it.hasNext()) {
            t.delete(Key.of(CatalogStore.GRANTS, it.next().getKey()));
        }
    }

    /** The privileges of {@code user} on {@code database} ("*" for global grants). */
    Set<String> grants(Transaction t, String user, String database) {
        byte[] v = t.get(grantKey(user, database));
        Set<String> out = new LinkedHashSet<>();
        if (v != null) {
            for (String p : new String(v, StandardCharsets.UTF_8).split(",")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    void setGrants(Transaction t, String user, String database, Set<String> privileges) {
        if (privileges.isEmpty()) {
            t.delete(grantKey(user, database));
        } else {
            t.put(grantKey(user, database), String.join(",", privileges).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Whether {@code user} may use {@code privilege} on {@code database}: root always; others by a
     * global or database grant of that privilege or ALL.
     */
    boolean allowed(Transaction t, String user, String database, String privilege) {
        if (user.equals("root")) {
            return true;
        }
        for (String scope : new String[] {"*", database == null ? "*" : database.toLowerCase(Locale.ROOT)}) {
            Set<String> g = grants(t, user, scope);
            if (g.contains("ALL") || g.contains(privilege)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code user} has any privilege on {@code database} (for USE / SHOW DATABASES). */
    boolean anyPrivilege(Transaction t, String user, String database) {
        return user.equals("root") || !grants(t, user, "*").isEmpty()
                || !grants(t, user, database.toLowerCase(Locale.ROOT)).isEmpty();
    }

    static void checkUserName(String user) {
        if (user.isEmpty() || user.length() > 32) {
            throw new SqlException(MysqlError.CANNOT_USER, "CREATE USER", user);
        }
    }

    private static Key userKey(String user) {
        return Key.of(CatalogStore.USERS, user.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] prefix(String user) {
        return (user + "\u0000").getBytes(StandardCharsets.UTF_8);
    }

    private static Key grantKey(String user, String database) {
        return Key.of(CatalogStore.GRANTS, (user + "\u0000" + database.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }
}
