package io.cairn.sql.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system variables changed with SET GLOBAL on this compute node (the others keep
 * {@link SessionVariables}' defaults), and this compute node's copy of the cluster-wide ones
 * ({@link ClusterVariables}). New sessions start from them; running sessions keep their
 * own values, as in MySQL. Thread-safe.
 */
public final class GlobalVariables {
    private final Map<String, Object> changed = new ConcurrentHashMap<>();

    /** The global value of {@code name} (lower case) if SET GLOBAL changed it, else null. */
    Object get(String name) {
        return changed.get(name);
    }

    void set(String name, Object value) {
        changed.put(name, value);
    }

    /** Back to the default. */
    void reset(String name) {
        changed.remove(name);
    }

    /** Every changed value, by name. */
    Map<String, Object> all() {
        return Map.copyOf(changed);
    }
}
