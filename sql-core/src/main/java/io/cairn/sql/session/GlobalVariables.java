package io.cairn.sql.session;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The system variables changed with SET GLOBAL on this compute node (the others keep
 * {@link SessionVariables}' defaults), this compute node's copy of the cluster-wide ones
 * ({@link ClusterVariables}), and {@code read_only} / {@code super_read_only}, which say whether the cluster takes
 * writes as the active TN's lease last said (a standby cluster, a drained or fenced primary: 1), the way tools tell
 * a replica from a primary. New sessions start from them; running sessions keep their own values, as in MySQL,
 * except for the write mode, which is read live. Thread-safe.
 */
public final class GlobalVariables {
    /** The variables of the cluster's write mode: not settable, the same in every scope. */
    static final Set<String> WRITE_MODE = Set.of("read_only", "super_read_only");

    private final Map<String, Object> changed = new ConcurrentHashMap<>();
    private final Supplier<String> writesRefused;

    /** @param writesRefused why the cluster refuses writes now, or null while it takes them */
    GlobalVariables(Supplier<String> writesRefused) {
        this.writesRefused = writesRefused;
    }

    /** The global value of {@code name} (lower case) if SET GLOBAL changed it or it is the write mode, else null. */
    Object get(String name) {
        Object mode = writeMode(name);
        return mode != null ? mode : changed.get(name);
    }

    /** 1 or 0 for the variables of the write mode, as the cluster is now; null for any other name. */
    Object writeMode(String name) {
        return WRITE_MODE.contains(name) ? (writesRefused.get() != null ? 1L : 0L) : null;
    }

    void set(String name, Object value) {
        changed.put(name, value);
    }

    /** Back to the default. */
    void reset(String name) {
        changed.remove(name);
    }

    /** Every changed value, and the write mode, by name. */
    Map<String, Object> all() {
        Map<String, Object> all = new HashMap<>(changed);
        WRITE_MODE.forEach(name -> all.put(name, writeMode(name)));
        return all;
    }
}
