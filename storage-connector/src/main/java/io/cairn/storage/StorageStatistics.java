package io.cairn.storage;

import java.io.Serializable;
import java.util.Map;

/**
 * What this process's store did since it started, for monitoring: calls per operation, the calls that failed
 * because storage could not serve them, and the shard objects heals rewrote or removed. Counts only grow.
 *
 * @param operations   calls per operation: {@code put}, {@code get} (whole and ranged), {@code head}, {@code list},
 *                     {@code delete}, {@code heal} (one key or all)
 * @param errors       per operation, the calls that failed with {@link StorageUnavailableException},
 *                     {@link CorruptObjectException} or another {@link StorageException}; answers that are part
 *                     of the contract ({@link ObjectNotFoundException}, {@link ObjectExistsException}) and
 *                     bad arguments are not errors
 * @param healedShards shard objects rewritten or removed by heals
 */
public record StorageStatistics(Map<String, Long> operations, Map<String, Long> errors, long healedShards)
        implements Serializable {
    /** The operations counted, in the order they are listed. */
    public static final java.util.List<String> OPERATIONS = java.util.List.of("put", "get", "head", "list", "delete",
            "heal");

    /** A store that counts nothing. */
    public static final StorageStatistics NONE = new StorageStatistics(Map.of(), Map.of(), 0);

    public StorageStatistics {
        operations = Map.copyOf(operations);
        errors = Map.copyOf(errors);
    }
}
