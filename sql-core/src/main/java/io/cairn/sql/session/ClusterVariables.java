package io.cairn.sql.session;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.txn.Key;
import io.cairn.txn.WriteConflictException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The global variables that hold for the whole cluster: the ones that decide who may log in and how long
 * a session may stay ({@link #NAMES}). {@code SET GLOBAL} of one writes it into the catalog ({@link
 * CatalogStore#META} key {@code global.<name>}, an 8-byte integer) in a transaction of its own, so it
 * replicates through the log like any row and outlives restarts (as MySQL's SET PERSIST would); each
 * compute node reads them at every login ({@link #refresh}), so a value set on one holds on every
 * compute node from the next login on, for clients of every proxy (proxies defer these checks to the
 * compute node). Without a catalog value a variable has this server's start-up value, else MySQL's
 * default. Other global variables stay per compute node ({@link GlobalVariables}). Thread-safe.
 */
final class ClusterVariables {
    /** The cluster-wide variables, all integers. */
    static final Set<String> NAMES = Set.of("require_secure_transport", "max_connections", "max_user_connections",
            "wait_timeout", "interactive_timeout");
    private static final int ATTEMPTS = 6;

    private final DataNode node;
    private final GlobalVariables globals;
    private final Map<String, Long> startup;

    /**
     * @param startup this server's start-up values of some of {@link #NAMES} (a configuration property)
     */
    ClusterVariables(DataNode node, GlobalVariables globals, Map<String, Long> startup) {
        if (!NAMES.containsAll(startup.keySet())) {
            throw new IllegalArgumentException("not cluster-wide variables: " + startup.keySet());
        }
        this.node = node;
        this.globals = globals;
        this.startup = Map.copyOf(startup);
        startup.forEach(globals::set);
    }

    /** Brings this compute node's global values up to the catalog's, as {@code t} (a fresh snapshot) sees them. */
    void refresh(Transaction t) {
        for (String name : NAMES) {
            byte[] v = t.get(key(name));
            Long value = v != null && v.length == 8 ? Long.valueOf(ByteBuffer.wrap(v).getLong()) : startup.get(name);
            if (value != null) {
                globals.set(name, value);
            } else {
                globals.reset(name);
            }
        }
    }

    /** SET GLOBAL {@code name} = {@code value} for the cluster (committed before it returns). */
    void set(String name, long value) {
        for (int attempt = 1; ; attempt++) {
            Transaction t = node.begin(Isolation.REPEATABLE_READ);
            try {
                t.put(key(name), ByteBuffer.allocate(8).putLong(value).array());
                t.commit();
                globals.set(name, value);
                return;
            } catch (WriteConflictException e) {
                if (attempt >= ATTEMPTS) {
                    throw e; // two SET GLOBALs of one variable at once: the later one runs again
                }
            } finally {
                t.rollback();
            }
        }
    }

    private static Key key(String name) {
        return Key.of(CatalogStore.META, ("global." + name).getBytes(StandardCharsets.UTF_8));
    }
}
