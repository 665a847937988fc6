package io.cairn.storage.impl;

import io.cairn.storage.ObjectExistsException;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.PutInput;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageUnavailableException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.FanOut.Pending;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The puts of an {@link ErasureCodedStore}: codes an object into its k+m shard objects (each its
 * {@link ShardMeta} record, then the shard) and puts them on their endpoints, one each. The key must hold no
 * committed object; the put succeeds when the write quorum ({@link StoreConfig#writeQuorum()}) is written.
 * Each endpoint's object is written atomically, so the shard objects are the commit. A put that misses the
 * quorum deletes what it wrote and throws {@link StorageUnavailableException}.
 *
 * <p>Thread-safe; puts of one key are serialised within this process ({@link KeyLocks}).
 */
final class ShardWriter {
    private static final Logger LOG = Logger.getLogger(ShardWriter.class.getName());
    /**
     * A streamed put longer than this is coded into local shard files ({@link ShardFiles}) rather than in
     * memory, where the object and its shards took two and a half times its size.
     */
    static final long STREAMED_PUT_MIN = 4L << 20;

    private final StoreParts parts;
    private final int n;
    private final int k;
    private final int m;

    ShardWriter(StoreParts parts) {
        this.parts = parts;
        this.k = parts.k();
        this.m = parts.m();
        this.n = parts.n();
    }

    /** Puts an object held in memory (checked by the caller: valid key, size within bounds). */
    void put(String key, byte[] data) {
        putCoded(key, (writeId, created) -> {
            Encoded enc = encode(parts.codec(), k, m, parts.config().chunkSize(), data, writeId, created);
            return (endpoint, name, shard) -> endpoint.put(name, enc.objects()[shard]);
        });
    }

    /** Puts {@code length} bytes read from {@code data} (checked by the caller: valid key, length within bounds). */
    void put(String key, InputStream data, long length) {
        if (length <= STREAMED_PUT_MIN) {
            byte[] bytes = PutInput.readAll(key, data, length);
            put(key, bytes);
            return;
        }
        putCoded(key, (writeId, created) -> {
            ShardFiles files;
            try {
                files = ShardFiles.write(parts.codec(), k, m, parts.config().chunkSize(), data, length, writeId, created);
            } catch (IOException e) {
                throw new StorageException("put " + key + ": coding the input into shard files failed: "
                        + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("put " + key + ": " + e.getMessage(), e);
            }
            return new CodedShards() {
                @Override
                public void put(Endpoint endpoint, String name, int shard) throws IOException {
                    endpoint.put(name, files.file(shard));
                }

                @Override
                public void close() {
                    files.close();
                }
            };
        });
    }

    /** The coded form of one object: per shard index, its shard object (record, then the shard's bytes). */
    record Encoded(ShardMeta meta, byte[][] objects) {
    }

    /** Codes {@code data} in memory into the shard objects {@link ShardFiles#write} gives from a stream. */
    static Encoded encode(ReedSolomon codec, int k, int m, int chunkSize, byte[] data, UUID writeId, long created) {
        int n = k + m;
        StripeEncoder encoder = new StripeEncoder(codec, k, m, chunkSize, data.length);
        // the record goes in front, written last (it holds the CRCs)
        byte[][] objects = new byte[n][Math.toIntExact(encoder.shardObjectLength())];
        for (int s = 0; s < encoder.stripes(); s++) {
            int at = (int) encoder.chunkPosition(s);
            for (int j = 0; j < k; j++) {
                int copy = encoder.dataLength(s, j);
                if (copy > 0) {
                    System.arraycopy(data, (int) encoder.dataOffset(s, j), objects[j], at, copy);
                }
            }
            encoder.encode(s, objects, at);
        }
        ShardMeta meta = encoder.meta(writeId, created, ShardMeta.crc32c(data, 0, data.length));
        for (int i = 0; i < n; i++) {
            meta.forShard(i).encodeInto(objects[i]);
        }
        return new Encoded(meta, objects);
    }

    /** The shard objects of one put, coded in memory or in local files; closed once they are stored. */
    private interface CodedShards extends AutoCloseable {
        void put(Endpoint endpoint, String name, int shard) throws IOException;

        @Override
        default void close() {
        }
    }

    /** Codes an object's bytes under a write id and creation time. */
    private interface Coder {
        CodedShards code(UUID writeId, long created);
    }

    private void putCoded(String key, Coder coder) {
        ReentrantLock lock = parts.locks().lock(key);
        try {
            String name = ShardNames.shard(key);
            // The key must hold no committed object: records are read on the pool while this thread codes. m+1
            // endpoints without one rule out k records of any write; the others are asked only when that fails.
            ShardPlacement placement = ShardPlacement.of(key, n);
            int[] first = new int[m + 1];
            Arrays.setAll(first, placement::endpointOf);
            Pending<byte[]> check = parts.fanOut().submit(first,
                    e -> () -> MetaQuorum.readRecord(parts.fanOut().endpoint(e), name), false);
            long now = parts.clock().millis();
            // The write id starts with the creation time: healAll tells an old leftover from a put in progress.
            UUID writeId = new UUID(now, ThreadLocalRandom.current().nextLong());
            try (CodedShards shards = coder.code(writeId, now)) {
                store(key, name, placement, shards, check);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes the coded shards of a key that must hold no committed object (see {@link #putCoded}). */
    private void store(String key, String name, ShardPlacement placement, CodedShards shards,
                       Pending<byte[]> check) {
        MetaView existing = parts.quorum().metaView(key, parts.fanOut().await(check));
        if (existing.count(existing.notFound) <= m) {
            parts.quorum().complete(existing);
        }
        if (existing.winner != null) {
            throw new ObjectExistsException(key);
        }
        try {
            existing.require("put");
        } catch (ObjectNotFoundException expected) {
            // the normal case: nothing committed under the key (leftovers of a failed put are overwritten)
        }
        int writeQuorum = parts.config().writeQuorum();
        Map<Integer, Outcome<Object>> res = parts.fanOut().call(parts.fanOut().all(), e -> () -> {
            shards.put(parts.fanOut().endpoint(e), name, placement.shardOn(e));
            return null;
        });
        int[] wrote = FanOut.succeeded(res);
        if (wrote.length < writeQuorum) {
            undo(key, wrote);
            throw new StorageUnavailableException("put " + key, wrote.length, writeQuorum, FanOut.lastError(res));
        }
        if (wrote.length < n) {
            LOG.info(() -> "put " + key + ": committed on " + wrote.length + " of " + n
                    + " endpoints; heal will rebuild the rest");
        }
    }

    /** Undoes a failed put: deletes the shard objects it wrote. Failures are logged. */
    private void undo(String key, int[] wrote) {
        String name = ShardNames.shard(key);
        Map<Integer, Outcome<Object>> r = parts.fanOut().call(wrote, e -> () -> {
            parts.fanOut().endpoint(e).delete(name);
            return null;
        });
        logFailures("undo put " + key, r);
    }

    private void logFailures(String what, Map<Integer, ? extends Outcome<?>> res) {
        res.forEach((e, o) -> {
            if (!o.ok() && !o.notFound()) {
                LOG.log(Level.WARNING, what + " failed on " + parts.fanOut().endpoint(e).name()
                        + "; leftovers are removed by healAll", o.error());
            }
        });
    }
}
