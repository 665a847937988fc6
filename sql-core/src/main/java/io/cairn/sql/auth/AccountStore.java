package io.cairn.sql.auth;

import io.cairn.data.Transaction;
import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.sql.codec.KeyCodec;
import io.cairn.txn.Key;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Accounts and grants as catalog rows, read and written through a cn-data {@link Transaction}, so
 * that they replicate and commit like any data (MySQL's mysql.user, db, tables_priv and columns_priv
 * in two key spaces):
 * <ul>
 *   <li>{@link CatalogStore#USERS}: key {@code user NUL host}, value format 2: plugin, flags
 *       (locked, password expired, REQUIRE SSL), FAILED_LOGIN_ATTEMPTS, PASSWORD_LOCK_TIME, revision, hash,
 *       and then MAX_USER_CONNECTIONS (rows written before it existed end after the hash and read as 0;
 *       their flags never had the REQUIRE SSL bit).</li>
 *   <li>{@link CatalogStore#GRANTS}: key {@code user NUL host NUL level NUL db NUL table NUL column}
 *       (names lower-cased), value format 2: the privilege mask and the names as granted.</li>
 *   <li>{@link CatalogStore#META} {@code grants_version}: bumped by every account statement, so that
 *       caches ({@link PrivilegeCache}) see changes with one key read and two concurrent account
 *       statements conflict (one runs again).</li>
 * </ul>
 * Rows of format 1 (before accounts had hosts: key {@code user}, and {@code user NUL db} grants of a
 * comma-separated privilege list, {@code *} for global) are read as {@code 'user'@'%'} and rewritten in
 * format 2 by {@link #migrate}. Stateless and thread-safe.
 */
public final class AccountStore {
    private static final Key VERSION = Key.of(CatalogStore.META, "grants_version".getBytes(StandardCharsets.UTF_8));
    private static final int FORMAT = 2;
    private static final int LOCKED = 1;
    private static final int EXPIRED = 2;
    private static final int REQUIRE_SSL = 4;

    /** The grants version this transaction sees (0 before any account statement). */
    public long version(Transaction t) {
        byte[] v = t.get(VERSION);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /** Marks accounts or grants changed; returns the new version. Every account statement calls it once. */
    public long bumpVersion(Transaction t) {
        long next = version(t) + 1;
        t.put(VERSION, ByteBuffer.allocate(8).putLong(next).array());
        return next;
    }

    /**
     * Reads every account and grant this transaction sees.
     *
     * @param rootPassword the password of the built-in {@code 'root'@'%'} while no row for it exists
     */
    public Accounts load(Transaction t, String rootPassword) {
        long version = version(t);
        List<Account> accounts = new ArrayList<>();
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(CatalogStore.USERS, null, null);
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            accounts.add(decodeAccount(e.getKey(), e.getValue()));
        }
        List<Grant> grants = new ArrayList<>();
        it = t.scan(CatalogStore.GRANTS, null, null);
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            grants.addAll(decodeGrants(e.getKey(), e.getValue()));
        }
        return new Accounts(version, accounts, grants, rootPassword);
    }

    public void put(Transaction t, Account a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(a.credential().plugin().ordinal());
            out.writeByte((a.locked() ? LOCKED : 0) | (a.passwordExpired() ? EXPIRED : 0)
                    | (a.requireSsl() ? REQUIRE_SSL : 0));
            out.writeInt(a.failedLoginAttempts());
            out.writeInt(a.passwordLockDays());
            out.writeLong(a.revision());
            byte[] hash = a.credential().storedHash();
            out.writeByte(hash.length);
            out.write(hash);
            out.writeInt(a.maxUserConnections());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        t.put(accountKey(a.user(), a.host()), bytes.toByteArray());
    }

    /** Deletes an account and every grant it holds. */
    public void delete(Transaction t, String user, String host) {
        t.delete(accountKey(user, host));
        byte[] prefix = utf8(user + "\0" + host.toLowerCase(java.util.Locale.ROOT) + "\0");
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(CatalogStore.GRANTS, prefix, KeyCodec.prefixEnd(prefix));
        List<byte[]> keys = new ArrayList<>();
        while (it.hasNext()) {
            keys.add(it.next().getKey());
        }
        keys.forEach(k -> t.delete(Key.of(CatalogStore.GRANTS, k)));
    }

    /** Writes a grant row; a grant with an empty mask is deleted. */
    public void put(Transaction t, Grant g) {
        Key key = Key.of(CatalogStore.GRANTS, grantKey(g));
        if (g.mask() == 0) {
            t.delete(key);
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(g.mask());
            out.writeUTF(g.database() == null ? "" : g.database());
            out.writeUTF(g.table() == null ? "" : g.table());
            out.writeUTF(g.column() == null ? "" : g.column());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        t.put(key, bytes.toByteArray());
    }

    /** Rewrites rows of format 1 in format 2 (see the class comment); a no-op once done. */
    public void migrate(Transaction t) {
        List<Map.Entry<byte[], byte[]>> legacy = new ArrayList<>();
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(CatalogStore.USERS, null, null);
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            if (indexOf(e.getKey(), 0) < 0) {
                legacy.add(e);
            }
        }
        for (Map.Entry<byte[], byte[]> e : legacy) {
            t.delete(Key.of(CatalogStore.USERS, e.getKey()));
            put(t, decodeAccount(e.getKey(), e.getValue()));
        }
        legacy.clear();
        it = t.scan(CatalogStore.GRANTS, null, null);
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            if (e.getValue().length == 0 || e.getValue()[0] != FORMAT) {
                legacy.add(e);
            }
        }
        for (Map.Entry<byte[], byte[]> e : legacy) {
            t.delete(Key.of(CatalogStore.GRANTS, e.getKey()));
            decodeGrants(e.getKey(), e.getValue()).forEach(g -> put(t, g));
        }
    }

    private static Key accountKey(String user, String host) {
        return Key.of(CatalogStore.USERS, utf8(user + "\0" + host.toLowerCase(java.util.Locale.ROOT)));
    }

    private static byte[] grantKey(Grant g) {
        String level = switch (g.level()) {
            case GLOBAL -> "G";
            case DATABASE -> "D";
            case TABLE -> "T";
            case COLUMN -> "C";
        };
        String[] parts = (g.objectKey() + "\0\0\0").split("\0", -1);
        return utf8(g.user() + "\0" + g.host() + "\0" + level + "\0" + parts[0] + "\0" + parts[1] + "\0" + parts[2]);
    }

    static Account decodeAccount(byte[] key, byte[] value) {
        int nul = indexOf(key, 0);
        if (nul < 0) { // format 1: user only, mysql_native_password hash
            return new Account(new String(key, StandardCharsets.UTF_8), "%",
                    new Credential(AuthPlugin.MYSQL_NATIVE_PASSWORD, Arrays.copyOfRange(value, 1, value.length)),
                    false, false, 0, 0, 0, false, 0);
        }
        String user = new String(key, 0, nul, StandardCharsets.UTF_8);
        String host = new String(key, nul + 1, key.length - nul - 1, StandardCharsets.UTF_8);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown account row format " + format);
            }
            AuthPlugin plugin = AuthPlugin.values()[in.readByte()];
            int flags = in.readByte();
            int attempts = in.readInt();
            int lockDays = in.readInt();
            long revision = in.readLong();
            byte[] hash = new byte[in.readUnsignedByte()];
            in.readFully(hash);
            int maxUserConnections = in.available() >= 4 ? in.readInt() : 0;
            return new Account(user, host, new Credential(plugin, hash), (flags & LOCKED) != 0, (flags & EXPIRED) != 0,
                    attempts, lockDays, revision, (flags & REQUIRE_SSL) != 0, maxUserConnections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Grant> decodeGrants(byte[] key, byte[] value) {
        String[] parts = new String(key, StandardCharsets.UTF_8).split("\0", -1);
        if (value.length > 0 && value[0] == FORMAT && parts.length == 6) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
                in.readByte();
                long mask = in.readLong();
                String db = in.readUTF();
                String table = in.readUTF();
                String column = in.readUTF();
                return List.of(new Grant(parts[0], parts[1], db.isEmpty() ? null : db, table.isEmpty() ? null : table,
                        column.isEmpty() ? null : column, mask));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // format 1: user NUL db (or *), value "SELECT,INSERT" (ALL for all)
        long mask = 0;
        for (String p : new String(value, StandardCharsets.UTF_8).split(",")) {
            if (p.equals("ALL")) {
                mask |= parts[1].equals("*") ? Privilege.ALL_GLOBAL : Privilege.ALL_DATABASE;
            } else if (Privilege.named(p) != null) {
                mask |= Privilege.named(p).bit();
            }
        }
        return List.of(new Grant(parts[0], "%", parts[1].equals("*") ? null : parts[1], null, null, mask));
    }

    private static int indexOf(byte[] b, int value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
