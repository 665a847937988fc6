package io.cairn.storage.impl;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectExistsException;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageStatistics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** The counts behind {@link StorageStatistics}: calls and storage failures per operation, shards healed. Thread-safe. */
final class StoreCounters {
    private final Map<String, LongAdder> calls = new LinkedHashMap<>();
    private final Map<String, LongAdder> errors = new LinkedHashMap<>();
    private final LongAdder healedShards = new LongAdder();

    StoreCounters() {
        for (String op : StorageStatistics.OPERATIONS) { // fixed keys: the maps are only read after this
            calls.put(op, new LongAdder());
            errors.put(op, new LongAdder());
        }
    }

    /** Runs one call of {@code op}, counting it and, if storage failed it, the failure. */
    <T> T count(String op, Supplier<T> call) {
        calls.get(op).increment();
        try {
            T result = call.get();
            if (result instanceof HealReport report) {
                healedShards.add(report.repairs().size());
            }
            return result;
        } catch (ObjectNotFoundException | ObjectExistsException e) {
            throw e; // an answer, not a failure
        } catch (StorageException e) {
            errors.get(op).increment();
            throw e;
        }
    }

    void count(String op, Runnable call) {
        count(op, () -> {
            call.run();
            return null;
        });
    }

    StorageStatistics snapshot() {
        Map<String, Long> c = new LinkedHashMap<>();
        Map<String, Long> e = new LinkedHashMap<>();
        calls.forEach((op, n) -> c.put(op, n.sum()));
        errors.forEach((op, n) -> e.put(op, n.sum()));
        return new StorageStatistics(c, e, healedShards.sum());
    }
}
