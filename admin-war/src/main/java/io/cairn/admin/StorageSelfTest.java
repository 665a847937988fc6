package io.cairn.admin;

import io.cairn.storage.ObjectExistsException;
import io.cairn.storage.ObjectMetadata;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * A round trip through an {@link ObjectStore} under a fresh random key {@code selftest/<uuid>}: put, get,
 * ranged get across the 1 MiB stripe boundary, head, list, a second put (must fail as a write-once
 * violation), delete, and a head that must then find nothing. Plain Java; the admin API runs it on the
 * server's real storage.
 *
 * <p>The object is always deleted at the end, also when a step failed (a failed cleanup is reported as a
 * step). Steps run in order and stop at the first failure. Not thread-safe (one instance per run).
 */
final class StorageSelfTest {
    /** Object size: crosses two stripe boundaries at the default 1 MiB stripe and is not a multiple of k. */
    static final int SIZE = (2 << 20) + 12_345;
    static final String PREFIX = "selftest/";
    private static final Logger LOG = Logger.getLogger(StorageSelfTest.class.getName());

    /** One step: its name, whether it passed, how long it took, and what happened. */
    record Step(String name, boolean ok, long millis, String detail) {
    }

    /**
     * The outcome. {@code unavailable} is true when a step failed because too few endpoints answered (the
     * caller maps that to 503).
     */
    record Result(String key, boolean ok, boolean unavailable, List<Step> steps) {
        Result {
            steps = List.copyOf(steps);
        }
    }

    @FunctionalInterface
    private interface Check {
        /** Runs the step; returns a short description, or throws {@link AssertionError} when the answer is wrong. */
        String run();
    }

    private final ObjectStore store;
    private final LongSupplier nanoTime;
    private final List<Step> steps = new ArrayList<>();
    private boolean unavailable;

    StorageSelfTest(ObjectStore store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
    }

    Result run() {
        String key = PREFIX + UUID.randomUUID();
        byte[] data = new byte[SIZE];
        ThreadLocalRandom.current().nextBytes(data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        String checksum = String.format("crc32c:%08x", crc.getValue());
        int rangeOffset = (1 << 20) - 100;
        int rangeLength = 300;
        boolean ok = step("put", () -> {
            store.put(key, data);
            return data.length + " bytes";
        }) && step("get", () -> {
            expect(Arrays.equals(store.get(key), data), "different bytes read back");
            return "byte-identical";
        }) && step("ranged get", () -> {
            byte[] part = store.get(key, rangeOffset, rangeLength);
            expect(Arrays.equals(part, Arrays.copyOfRange(data, rangeOffset, rangeOffset + rangeLength)),
                    "different bytes in the range");
            return rangeLength + " bytes at " + rangeOffset;
        }) && step("head", () -> {
            ObjectMetadata meta = store.head(key);
            expect(meta.size() == data.length, "size " + meta.size() + ", expected " + data.length);
            expect(meta.checksum().equals(checksum), "checksum " + meta.checksum() + ", expected " + checksum);
            return meta.size() + " bytes, " + meta.checksum();
        }) && step("list", () -> {
            List<String> keys = store.list(key);
            expect(keys.equals(List.of(key)), "listed " + keys);
            return "listed";
        }) && step("write-once", () -> {
            try {
                store.put(key, new byte[] {1});
            } catch (ObjectExistsException expected) {
                return "second put refused";
            }
            throw new AssertionError("a second put of the same key succeeded");
        });
        boolean deleted = step("delete", () -> {
            store.delete(key);
            return "deleted";
        });
        if (ok && deleted) {
            ok = step("head after delete", () -> {
                try {
                    store.head(key);
                } catch (ObjectNotFoundException expected) {
                    return "not found";
                }
                throw new AssertionError("the object is still there after delete");
            });
        }
        return new Result(key, ok && deleted, unavailable, steps);
    }

    private boolean step(String name, Check check) {
        long t0 = nanoTime.getAsLong();
        try {
            String detail = check.run();
            steps.add(new Step(name, true, elapsedMillis(t0), detail));
            return true;
        } catch (AssertionError e) {
            steps.add(new Step(name, false, elapsedMillis(t0), e.getMessage()));
        } catch (StorageException | IllegalArgumentException e) {
            unavailable |= e instanceof StorageUnavailableException;
            LOG.log(Level.WARNING, "storage self-test: " + name + " failed", e);
            steps.add(new Step(name, false, elapsedMillis(t0), e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return false;
    }

    private long elapsedMillis(long t0) {
        return (nanoTime.getAsLong() - t0) / 1_000_000;
    }

    private static void expect(boolean condition, String otherwise) {
        if (!condition) {
            throw new AssertionError(otherwise);
        }
    }
}
