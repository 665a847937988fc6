package io.cairn.storage;

import java.io.Serializable;
import java.util.List;

/**
 * What a heal did.
 *
 * @param objectsChecked objects examined
 * @param repairs one entry per shard rewritten or removed
 * @param failures objects that could not be healed, with the reason (e.g. an endpoint was down)
 */
public record HealReport(int objectsChecked, List<Repair> repairs, List<String> failures) implements Serializable {

    /** Why a shard was rewritten (or, for {@link Reason#STALE}, removed). */
    public enum Reason {
        /** the shard (with its metadata record) was absent */
        MISSING,
        /** a checksum did not match */
        CORRUPT,
        /** the shard of another (older, incomplete or deleted) write of the key: replaced, or removed by healAll */
        STALE
    }

    /** One shard rewritten on one endpoint. */
    public record Repair(String key, String endpoint, int shardIndex, Reason reason) implements Serializable {
    }

    public HealReport {
        repairs = List.copyOf(repairs);
        failures = List.copyOf(failures);
    }

    /** True when nothing needed repair and nothing failed. */
    public boolean isClean() {
        return repairs.isEmpty() && failures.isEmpty();
    }
}
