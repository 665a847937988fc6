package io.cairn.storage.impl;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectMetadata;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import io.cairn.storage.StorageStatistics;
import io.cairn.storage.StorageUnavailableException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link ObjectStore}: k+m Reed-Solomon erasure coding over k+m independent {@link Endpoint}s, the way
 * MinIO spreads an object over the drives of an erasure set.
 *
 * <h2>Layout</h2> See {@link ShardMeta}: stripes of {@code stripeSize} bytes, one chunk per shard per stripe,
 * CRC32C per chunk. Shard i of a key lives on endpoint {@code (i + rotation(key)) mod n} ({@link
 * ShardPlacement}) so parity (and read load) is spread over all endpoints. Each endpoint holds one object per
 * key, {@code shard/<key>}: the metadata record (write id, layout, every chunk's CRC) followed by the shard's
 * bytes, so that one request reads both.
 *
 * <h2>Writes</h2> The records of all endpoints are read (the key must not hold a committed object), the
 * object is coded (in memory, or a long streamed one into local files), and every shard object is written in
 * parallel; the put succeeds when the write quorum ({@link StoreConfig#writeQuorum()}: k+1 with parity) is
 * written. Each endpoint's object is written atomically, so the shard objects are the commit: a reader trusts
 * a write id only once k of them carry it, and then gets the whole object, checksum-verified. A put that
 * misses the quorum deletes what it wrote and throws {@link StorageUnavailableException}.
 *
 * <h2>Reads</h2> The shard objects' records are read; the write id held by at least k of them wins. A
 * whole-object get reads the k data shards' objects whole (record and data in one request each) and needs
 * nothing else when their k records agree; a missing or corrupt chunk makes the reader fetch the other
 * shards of the affected stripes and decode. Every chunk is CRC-checked; whole-object reads also check the
 * object CRC.
 *
 * <p>{@link #open} streams an object: the records once, then the data shards a window of stripes at a time
 * ({@link ObjectStream}), decoding a window only when a data shard fails it.
 *
 * <h2>Parts</h2> This class checks the arguments and delegates: {@link FanOut} calls the endpoints in
 * parallel, {@link MetaQuorum} reads the records and decides which write wins, {@link ShardWriter} codes and
 * puts, {@link ShardReader} gets and decodes, {@link ShardHealer} repairs; {@link KeyLocks} serialises the
 * changes of one key.
 *
 * <h2>Threading</h2> Thread-safe. Endpoint calls run on a bounded pool (k+m times the per-endpoint
 * bulkhead), each guarded by a {@link CallPolicy}; the calling thread waits. Puts, deletes and heals of one
 * key are serialised within this process.
 */
public final class ErasureCodedStore implements ObjectStore, AutoCloseable {
    private final StoreConfig config;
    private final List<Endpoint> endpoints;
    private final int k;
    private final int m;
    private final FanOut fanOut;
    private final KeyLocks keyLocks = new KeyLocks();
    private final MetaQuorum quorum;
    private final ShardWriter writer;
    private final StoreParts parts;
    private final ShardReader reader;
    private final ShardHealer healer;
    private final StoreCounters counters = new StoreCounters();

    public ErasureCodedStore(StoreConfig config, List<? extends Endpoint> endpoints, CallPolicy policy, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoints = List.copyOf(endpoints);
        this.k = config.dataShards();
        this.m = config.parityShards();
        int n = k + m;
        if (this.endpoints.size() != n) {
            throw new IllegalArgumentException("need " + n + " endpoints, got " + this.endpoints.size());
        }
        this.fanOut = new FanOut(this.endpoints, policy);
        this.quorum = new MetaQuorum(fanOut, k, m);
        this.parts = new StoreParts(config, fanOut, quorum, keyLocks, new ReedSolomon(k, m), clock);
        this.writer = new ShardWriter(parts);
        this.reader = new ShardReader(parts);
        this.healer = new ShardHealer(parts);
    }

    /** Opens the endpoints named in the config with production policies. */
    public static ErasureCodedStore open(StoreConfig config) {
        List<Endpoint> eps = new ArrayList<>();
        try {
            for (String spec : config.endpoints()) {
                eps.add(openEndpoint(spec, config));
            }
        } catch (IOException | RuntimeException e) {
            eps.forEach(Endpoint::close);
            throw new StorageException("cannot open storage endpoints: " + e.getMessage(), e);
        }
        CallPolicy policy = CallPolicy.of(config.maxAttempts(), config.maxConcurrentPerEndpoint(),
                config.requestTimeout().plus(config.connectTimeout()));
        return new ErasureCodedStore(config, eps, policy, Clock.systemUTC());
    }

    static Endpoint openEndpoint(String spec, StoreConfig c) throws IOException {
        if (spec.startsWith("s3:")) {
            return new S3Endpoint(spec.substring(3), c.accessKey(), c.secretKey(), c.bucket(), c.connectTimeout(),
                    c.requestTimeout(), c.maxConcurrentPerEndpoint(), c.probeTimeout());
        }
        if (spec.startsWith("dir:")) {
            return new DirEndpoint(Path.of(spec.substring(4)));
        }
        throw new IllegalArgumentException("unknown endpoint kind: " + spec);
    }

    public StoreConfig config() {
        return config;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public void put(String key, byte[] data) {
        counters.count("put", () -> putBytes(key, data));
    }

    private void putBytes(String key, byte[] data) {
        Objects.requireNonNull(data, "data");
        ShardNames.validateKey(key);
        checkSize(data.length);
        writer.put(key, data);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        counters.count("put", () -> putStream(key, data, length));
    }

    private void putStream(String key, InputStream data, long length) {
        Objects.requireNonNull(data, "data");
        ShardNames.validateKey(key);
        checkSize(length);
        writer.put(key, data, length);
    }

    private void checkSize(long length) {
        if (length < 0 || length > config.maxObjectSize()) {
            throw new IllegalArgumentException("object size " + length + " outside 0.." + config.maxObjectSize()
                    + " (maxObjectSize)");
        }
    }

    @Override
    public byte[] get(String key) {
        return counters.count("get", () -> getWhole(key));
    }

    private byte[] getWhole(String key) {
        ShardNames.validateKey(key);
        return reader.pipelinedRead(key, 0, -1);
    }

    @Override
    public byte[] get(String key, long offset, int length) {
        return counters.count("get", () -> getRange(key, offset, length));
    }

    private byte[] getRange(String key, long offset, int length) {
        ShardNames.validateKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        return reader.pipelinedRead(key, offset, length);
    }

    /** Reads the records once, then the data shards a window at a time ({@link ObjectStream}). */
    @Override
    public InputStream open(String key) {
        return counters.count("get", () -> openStream(key));
    }

    private InputStream openStream(String key) {
        ShardNames.validateKey(key);
        MetaView view = quorum.readMetas(key);
        view.require("get");
        return new ObjectStream(parts, reader, view);
    }

    /** In the kernel from a local single data shard ({@link LocalShardCopy}), else streamed as {@link #open} streams. */
    @Override
    public int copyTo(String key, WritableByteChannel out) throws IOException {
        ShardNames.validateKey(key);
        Objects.requireNonNull(out, "out");
        MetaView view = counters.count("get", () -> {
            MetaView v = quorum.readMetas(key);
            v.require("get");
            return v;
        });
        Optional<Integer> local = LocalShardCopy.copy(parts, view, out);
        if (local.isPresent()) {
            return local.get();
        }
        try (InputStream in = new ObjectStream(parts, reader, view)) { // the records already read, not again
            return ObjectStore.copy(in, out);
        }
    }

    @Override
    public ObjectMetadata head(String key) {
        return counters.count("head", () -> headOf(key));
    }

    private ObjectMetadata headOf(String key) {
        ShardNames.validateKey(key);
        ShardMeta meta = quorum.readMetas(key).require("head");
        return new ObjectMetadata(key, meta.size(), String.format("crc32c:%08x", meta.objectCrc()),
                Instant.ofEpochMilli(meta.createdMillis()));
    }

    @Override
    public List<String> list(String prefix) {
        return counters.count("list", () -> listOf(prefix));
    }

    private List<String> listOf(String prefix) {
        ShardNames.validatePrefix(prefix);
        Map<String, Integer> counts = quorum.listShardCounts(prefix, k);
        List<String> out = new ArrayList<>();
        counts.forEach((name, c) -> {
            if (c >= k) {
                out.add(ShardNames.keyOfShard(name));
            }
        });
        out.sort(null);
        return out;
    }

    @Override
    public void delete(String key) {
        counters.count("delete", () -> deleteOf(key));
    }

    private void deleteOf(String key) {
        ShardNames.validateKey(key);
        ReentrantLock lock = keyLocks.lock(key);
        try {
            String name = ShardNames.shard(key);
            Map<Integer, Outcome<Object>> res = fanOut.call(fanOut.all(), e -> () -> {
                endpoints.get(e).delete(name);
                return null;
            });
            int deleted = FanOut.succeeded(res).length;
            // Once more than m shard objects are gone, at most k-1 remain: no reader can find k.
            if (deleted < m + 1) {
                throw new StorageUnavailableException("delete " + key, deleted, m + 1, FanOut.lastError(res));
            }
        } finally {
            lock.unlock();
        }
    }

    /** See {@link io.cairn.storage.ObjectStoreConnection#heal(String)}. */
    public HealReport heal(String key) {
        ShardNames.validateKey(key);
        return counters.count("heal", () -> healer.heal(key));
    }

    /** See {@link io.cairn.storage.ObjectStoreConnection#healAll()}. */
    public HealReport healAll() {
        return counters.count("heal", healer::healAll);
    }

    /** What this store did since it was opened ({@link io.cairn.storage.ObjectStoreConnection#statistics()}). */
    public StorageStatistics statistics() {
        return counters.snapshot();
    }

    /** Pings every endpoint (one attempt each, bypassing the breaker, which a success closes). */
    public StorageHealth health() {
        return new StorageHealth(fanOut.ping(config.probeTimeout()), k);
    }

    @Override
    public void close() {
        fanOut.close();
    }
}
