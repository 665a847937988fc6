package io.cairn.storage.impl;

import io.cairn.storage.CorruptObjectException;
import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectExistsException;
import io.cairn.storage.ObjectMetadata;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import io.cairn.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link ObjectStore}: k+m Reed-Solomon erasure coding over k+m independent {@link Endpoint}s, the way
 * MinIO spreads an object over the drives of an erasure set.
 *
 * <h2>Layout</h2> See {@link ShardMeta}: stripes of {@code stripeSize} bytes, one chunk per shard per stripe,
 * CRC32C per chunk. Shard i of a key lives on endpoint {@code (i + rotation(key)) mod n} so parity (and read
 * load) is spread over all endpoints. Each endpoint holds one object per key, {@code shard/<key>}: the
 * metadata record (write id, layout, every chunk's CRC) followed by the shard's bytes, so that one request
 * reads both.
 *
 * <h2>Writes</h2> The records of all endpoints are read (the key must not hold a committed object), the
 * object is coded in memory, and every shard object is written in parallel; the put succeeds when the write
 * quorum ({@link StoreConfig#writeQuorum()}: k+1 with parity) is written. Each endpoint's object is written
 * atomically, so the shard objects are the commit: a reader trusts a write id only once k of them carry it,
 * and then gets the whole object, checksum-verified. A put that misses the quorum deletes what it wrote and
 * throws {@link StorageUnavailableException}.
 *
 * <h2>Reads</h2> The shard objects' records are read; the write id held by at least k of them wins. A
 * whole-object get reads the k data shards' objects whole (record and data in one request each) and needs
 * nothing else when their k records agree; a missing or corrupt chunk makes the reader fetch the other
 * shards of the affected stripes and decode. Every chunk is CRC-checked; whole-object reads also check the
 * object CRC.
 *
 * <h2>Threading</h2> Thread-safe. Endpoint calls run on a bounded pool (k+m times the per-endpoint
 * bulkhead), each guarded by a {@link CallPolicy}; the calling thread waits. Puts, deletes and heals of one
 * key are serialised within this process.
 */
public final class ErasureCodedStore implements ObjectStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ErasureCodedStore.class.getName());
    private static final int KEY_LOCKS = 64;
    /**
     * A streamed put longer than this is coded into local shard files ({@link ShardFiles}) rather than in
     * memory, where the object and its shards took two and a half times its size.
     */
    static final long STREAMED_PUT_MIN = 4L << 20;
    /** Bytes read to find a shard object's record: the whole record of objects of up to ~170 stripes (4+2). */
    static final int RECORD_PROBE = 4096;

    private final StoreConfig config;
    private final List<Endpoint> endpoints;
    private final CallPolicy.Guard[] guards;
    private final CallPolicy policy;
    private final ReedSolomon codec;
    private final int n;
    private final int k;
    private final int m;
    private final ThreadPoolExecutor pool;
    private final Clock clock;
    private final ReentrantLock[] keyLocks = new ReentrantLock[KEY_LOCKS];
    /** Longest shard object (record and shard) of an object of {@code maxObjectSize} bytes. */
    private final int maxShardObject;

    public ErasureCodedStore(StoreConfig config, List<? extends Endpoint> endpoints, CallPolicy policy, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoints = List.copyOf(endpoints);
        this.policy = policy;
        this.clock = clock;
        this.k = config.dataShards();
        this.m = config.parityShards();
        this.n = k + m;
        if (this.endpoints.size() != n) {
            throw new IllegalArgumentException("need " + n + " endpoints, got " + this.endpoints.size());
        }
        this.codec = new ReedSolomon(k, m);
        long maxStripes = ShardMeta.stripes(config.maxObjectSize(), k, config.chunkSize());
        this.maxShardObject = (int) Math.min(Integer.MAX_VALUE - 16,
                maxStripes * config.chunkSize() + ShardMeta.encodedLength((int) maxStripes * n));
        this.guards = new CallPolicy.Guard[n];
        for (int i = 0; i < n; i++) {
            guards[i] = policy.newGuard(this.endpoints.get(i).name());
        }
        for (int i = 0; i < KEY_LOCKS; i++) {
            keyLocks[i] = new ReentrantLock();
        }
        int threads = n * policy.maxConcurrent();
        AtomicInteger seq = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "cairn-storage-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Callers take a bulkhead slot before submitting, so at most `threads` tasks exist: the queue stays short.
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf);
        this.pool.allowCoreThreadTimeOut(true);
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

    // ------------------------------------------------------------------ fan-out

    /** One endpoint's answer: a value, or the failure (a {@link ShardNotFoundException} is an answer). */
    record Outcome<T>(T value, IOException error) {
        boolean ok() {
            return error == null;
        }

        boolean notFound() {
            return error instanceof ShardNotFoundException;
        }
    }

    /**
     * Runs {@code call(i)} on each endpoint index in {@code targets} in parallel and waits for all. The calling
     * thread makes the last call itself rather than wait idle: one hand-off to the pool and back fewer.
     */
    private <T> Map<Integer, Outcome<T>> fanOut(int[] targets, IntFunction<CallPolicy.EndpointCall<T>> call) {
        return await(submit(targets, call, true));
    }

    /**
     * Calls started by {@link #submit}: their futures, the outcomes of those that could not start, and the
     * nanoTime by which {@link #await} stops waiting.
     */
    private record Pending<T>(Map<Integer, Future<T>> futures, Map<Integer, Outcome<T>> out, long deadline) {
    }

    /**
     * Starts {@code call(i)} on each endpoint index in {@code targets} ({@link #await} collects them); with
     * {@code callerRunsLast}, the last one runs on the calling thread before this returns.
     */
    private <T> Pending<T> submit(int[] targets, IntFunction<CallPolicy.EndpointCall<T>> call, boolean callerRunsLast) {
        long deadline = System.nanoTime() + policy.deadline().toNanos();
        Map<Integer, Future<T>> futures = new LinkedHashMap<>();
        Map<Integer, Outcome<T>> out = new HashMap<>();
        FutureTask<T> here = null;
        for (int x = 0; x < targets.length; x++) {
            int i = targets[x];
            CallPolicy.Guard guard = guards[i];
            try {
                guard.acquire();
            } catch (IOException e) {
                out.put(i, new Outcome<>(null, e));
                continue;
            }
            CallPolicy.EndpointCall<T> c = call.apply(i);
            FutureTask<T> task = new FutureTask<>(() -> guard.call(c)) {
                @Override
                protected void done() {
                    guard.release();
                }
            };
            futures.put(i, task);
            if (callerRunsLast && x == targets.length - 1) {
                here = task;
                continue;
            }
            try {
                pool.execute(task);
            } catch (RuntimeException e) {
                task.cancel(false);
                futures.remove(i);
                out.put(i, new Outcome<>(null, new IOException("storage executor rejected the call", e)));
            }
        }
        if (here != null) {
            here.run(); // bounded like a pool call: the endpoint's timeouts and the policy's attempts
        }
        return new Pending<>(futures, out, deadline);
    }

    /** Waits for the calls of a {@link #submit}, at most until its deadline (the policy's, from its start). */
    private <T> Map<Integer, Outcome<T>> await(Pending<T> pending) {
        Map<Integer, Future<T>> futures = pending.futures();
        Map<Integer, Outcome<T>> out = pending.out();
        long deadline = pending.deadline();
        boolean interrupted = false;
        for (Map.Entry<Integer, Future<T>> e : futures.entrySet()) {
            Future<T> f = e.getValue();
            try {
                long wait = interrupted ? 0 : Math.max(0, deadline - System.nanoTime());
                out.put(e.getKey(), new Outcome<>(f.get(wait, TimeUnit.NANOSECONDS), null));
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                out.put(e.getKey(), new Outcome<>(null, cause instanceof IOException io ? io
                        : new IOException(endpoints.get(e.getKey()).name() + ": " + cause, cause)));
            } catch (TimeoutException ex) {
                f.cancel(true);
                out.put(e.getKey(), new Outcome<>(null, new IOException(endpoints.get(e.getKey()).name()
                        + ": no answer within " + policy.deadline(), ex)));
            } catch (InterruptedException ex) {
                interrupted = true;
                f.cancel(true);
                out.put(e.getKey(), new Outcome<>(null, new InterruptedIOException("interrupted")));
            } catch (java.util.concurrent.CancellationException ex) {
                out.put(e.getKey(), new Outcome<>(null, new IOException("cancelled", ex)));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for storage endpoints");
        }
        return out;
    }

    private int[] all() {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    private static IOException lastError(Map<Integer, ? extends Outcome<?>> outcomes) {
        IOException last = null;
        for (Outcome<?> o : outcomes.values()) {
            if (!o.ok() && !o.notFound()) {
                last = o.error();
            }
        }
        return last;
    }

    private ReentrantLock lockFor(String key) {
        ReentrantLock l = keyLocks[Math.floorMod(key.hashCode(), KEY_LOCKS)];
        l.lock();
        return l;
    }

    private int rotation(String key) {
        return Math.floorMod(key.hashCode(), n);
    }

    // ------------------------------------------------------------------ metadata quorum

    /** What the endpoints' metadata records say about a key. */
    final class MetaView {
        final String key;
        /** per endpoint: the decoded record, or null */
        final ShardMeta[] records = new ShardMeta[n];
        final boolean[] notFound = new boolean[n];
        final boolean[] corrupt = new boolean[n];
        final boolean[] failed = new boolean[n];
        IOException lastError;
        /** the winning write, or null */
        ShardMeta winner;
        /** per shard index: endpoint holding the winner's record for it, or -1 */
        final int[] endpointOfShard = new int[n];
        int winnerCount;
        /** true when only some endpoints were asked (a get's fast path); {@link #complete} asks the rest */
        boolean partial;

        MetaView(String key) {
            this.key = key;
            Arrays.fill(endpointOfShard, -1);
        }

        int count(boolean[] flags) {
            int c = 0;
            for (boolean b : flags) {
                c += b ? 1 : 0;
            }
            return c;
        }

        boolean holdsWinner(int endpoint) {
            return winner != null && records[endpoint] != null && records[endpoint].sameWrite(winner);
        }

        /** Throws the right exception when there is no committed object. */
        ShardMeta require(String op) {
            if (winner != null) {
                return winner;
            }
            if (count(notFound) > m) {
                throw new ObjectNotFoundException(key);
            }
            int unknown = count(failed);
            if (winnerCount + unknown >= k) {
                throw new StorageUnavailableException(op + " " + key, n - unknown, k, lastError);
            }
            throw new CorruptObjectException(key, "only " + winnerCount + " consistent metadata records of " + n
                    + " (" + count(corrupt) + " unreadable), " + k + " needed");
        }
    }

    /** The records of every endpoint's shard object of the key. */
    MetaView readMetas(String key) {
        String name = ShardNames.shard(key);
        return metaView(key, fanOut(all(), i -> () -> readRecord(endpoints.get(i), name)));
    }

    /**
     * The start of a shard object, holding at least its whole record (when it is one): one request of
     * {@link #RECORD_PROBE} bytes, and a second only for a record longer than that.
     */
    private static byte[] readRecord(Endpoint ep, String name) throws IOException {
        byte[] head = ep.getPrefix(name, RECORD_PROBE);
        if (head.length == RECORD_PROBE) {
            try {
                int length = ShardMeta.headerLength(head);
                if (length > head.length) {
                    return ep.getPrefix(name, length);
                }
            } catch (IllegalArgumentException notARecord) {
                // judged (as corrupt) with the other endpoints' answers
            }
        }
        return head;
    }

    /**
     * Builds the view from the endpoints' answers to a read of the key's metadata record. Endpoints absent
     * from {@code res} were not asked: they count as neither answered nor failed ({@link MetaView#partial}).
     */
    private MetaView metaView(String key, Map<Integer, Outcome<byte[]>> res) {
        MetaView v = new MetaView(key);
        v.partial = res.size() < n;
        for (int i = 0; i < n; i++) {
            Outcome<byte[]> o = res.get(i);
            if (o == null) {
                continue;
            }
            if (o.ok()) {
                try {
                    ShardMeta r = ShardMeta.decode(o.value());
                    if (r.k() != k || r.m() != m) {
                        // Written with another layout: we cannot use it with this codec.
                        v.corrupt[i] = true;
                    } else {
                        v.records[i] = r;
                    }
                } catch (IllegalArgumentException e) {
                    String ep = endpoints.get(i).name();
                    LOG.warning(() -> ep + ": bad metadata record for " + key + ": " + e.getMessage());
                    v.corrupt[i] = true;
                }
            } else if (o.notFound()) {
                v.notFound[i] = true;
            } else {
                v.failed[i] = true;
                v.lastError = o.error();
            }
        }
        // Group by write; the biggest group wins, ties go to the newest write.
        List<ShardMeta> groups = new ArrayList<>();
        Map<ShardMeta, Integer> counts = new HashMap<>();
        for (ShardMeta r : v.records) {
            if (r == null) {
                continue;
            }
            ShardMeta rep = groups.stream().filter(g -> g.sameWrite(r)).findFirst().orElse(null);
            if (rep == null) {
                groups.add(r);
                counts.put(r, 1);
            } else {
                counts.merge(rep, 1, Integer::sum);
            }
        }
        ShardMeta best = groups.stream()
                .max(Comparator.<ShardMeta>comparingInt(counts::get)
                        .thenComparingLong(ShardMeta::createdMillis)
                        .thenComparing(ShardMeta::writeId))
                .orElse(null);
        v.winnerCount = best == null ? 0 : counts.get(best);
        if (best != null && v.winnerCount >= k) {
            v.winner = best;
            for (int i = 0; i < n; i++) {
                if (v.holdsWinner(i)) {
                    int s = v.records[i].shardIndex();
                    if (v.endpointOfShard[s] < 0) {
                        v.endpointOfShard[s] = i;
                    }
                }
            }
        }
        return v;
    }

    // ------------------------------------------------------------------ put

    @Override
    public void put(String key, byte[] data) {
        Objects.requireNonNull(data, "data");
        ShardNames.validateKey(key);
        checkSize(data.length);
        putBytes(key, data);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        Objects.requireNonNull(data, "data");
        ShardNames.validateKey(key);
        checkSize(length);
        if (length <= STREAMED_PUT_MIN) {
            byte[] bytes;
            try {
                bytes = data.readNBytes((int) length);
            } catch (IOException e) {
                throw new StorageException("put " + key + ": reading the input failed: " + e.getMessage(), e);
            }
            if (bytes.length != length) {
                throw new IllegalArgumentException("put " + key + ": stream ended after " + bytes.length + " of "
                        + length + " bytes");
            }
            putBytes(key, bytes);
            return;
        }
        putCoded(key, (writeId, created) -> {
            ShardFiles files;
            try {
                files = ShardFiles.write(codec, k, m, config.chunkSize(), data, length, writeId, created);
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

    private void checkSize(long length) {
        if (length < 0 || length > config.maxObjectSize()) {
            throw new IllegalArgumentException("object size " + length + " outside 0.." + config.maxObjectSize()
                    + " (maxObjectSize)");
        }
    }

    /** The coded form of one object: per shard index, its shard object (record, then the shard's bytes). */
    record Encoded(ShardMeta meta, byte[][] objects) {
    }

    Encoded encode(byte[] data, UUID writeId, long created) {
        int chunk = config.chunkSize();
        int stripes = ShardMeta.stripes(data.length, k, chunk);
        long stripeData = (long) k * chunk;
        int lastLen = stripes == 0 ? 0 : (int) (data.length - (stripes - 1) * stripeData);
        int shardLen = stripes == 0 ? 0 : (stripes - 1) * chunk + (lastLen + k - 1) / k;
        int head = ShardMeta.encodedLength(stripes * n); // the record goes in front, written last (it holds the CRCs)
        byte[][] objects = new byte[n][head + shardLen];
        int[] crcs = new int[stripes * n];
        for (int s = 0; s < stripes; s++) {
            int len = s == stripes - 1 ? lastLen : (int) stripeData;
            int cl = (len + k - 1) / k;
            int at = head + s * chunk;
            long objOff = s * stripeData;
            for (int j = 0; j < k; j++) {
                int from = j * cl;
                int copy = Math.min(cl, len - from);
                if (copy > 0) {
                    System.arraycopy(data, (int) (objOff + from), objects[j], at, copy);
                }
            }
            codec.encodeParity(objects, at, cl);
            for (int i = 0; i < n; i++) {
                crcs[s * n + i] = ShardMeta.crc32c(objects[i], at, cl);
            }
        }
        int objectCrc = ShardMeta.crc32c(data, 0, data.length);
        ShardMeta meta = new ShardMeta(writeId, created, data.length, objectCrc, k, m, chunk, 0, crcs);
        for (int i = 0; i < n; i++) {
            meta.forShard(i).encodeInto(objects[i]);
        }
        return new Encoded(meta, objects);
    }

    private void putBytes(String key, byte[] data) {
        putCoded(key, (writeId, created) -> {
            Encoded enc = encode(data, writeId, created);
            return (endpoint, name, shard) -> endpoint.put(name, enc.objects()[shard]);
        });
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
        ReentrantLock lock = lockFor(key);
        try {
            String name = ShardNames.shard(key);
            // The key must hold no committed object: records are read on the pool while this thread codes. m+1
            // endpoints without one rule out k records of any write; the others are asked only when that fails.
            int rot = rotation(key);
            int[] first = new int[m + 1];
            Arrays.setAll(first, j -> (j + rot) % n);
            Pending<byte[]> check = submit(first, e -> () -> readRecord(endpoints.get(e), name), false);
            long now = clock.millis();
            // The write id starts with the creation time: healAll tells an old leftover from a put in progress.
            UUID writeId = new UUID(now, java.util.concurrent.ThreadLocalRandom.current().nextLong());
            try (CodedShards shards = coder.code(writeId, now)) {
                store(key, name, rot, shards, check);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes the coded shards of a key that must hold no committed object (see {@link #putCoded}). */
    private void store(String key, String name, int rot, CodedShards shards, Pending<byte[]> check) {
        MetaView existing = metaView(key, await(check));
        if (existing.count(existing.notFound) <= m) {
            complete(existing);
        }
        if (existing.winner != null) {
            throw new ObjectExistsException(key);
        }
        try {
            existing.require("put");
        } catch (ObjectNotFoundException expected) {
            // the normal case: nothing committed under the key (leftovers of a failed put are overwritten)
        }
        int quorum = config.writeQuorum();
        Map<Integer, Outcome<Object>> res = fanOut(all(), e -> () -> {
            shards.put(endpoints.get(e), name, Math.floorMod(e - rot, n));
            return null;
        });
        int[] wrote = succeeded(res);
        if (wrote.length < quorum) {
            undo(key, wrote);
            throw new StorageUnavailableException("put " + key, wrote.length, quorum, lastError(res));
        }
        if (wrote.length < n) {
            LOG.info(() -> "put " + key + ": committed on " + wrote.length + " of " + n
                    + " endpoints; heal will rebuild the rest");
        }
    }

    private static int[] succeeded(Map<Integer, ? extends Outcome<?>> res) {
        return res.entrySet().stream().filter(e -> e.getValue().ok()).mapToInt(Map.Entry::getKey).sorted().toArray();
    }

    /** Undoes a failed put: deletes the shard objects it wrote. Failures are logged. */
    private void undo(String key, int[] wrote) {
        String name = ShardNames.shard(key);
        Map<Integer, Outcome<Object>> r = fanOut(wrote, e -> () -> {
            endpoints.get(e).delete(name);
            return null;
        });
        logFailures("undo put " + key, r);
    }

    private void logFailures(String what, Map<Integer, ? extends Outcome<?>> res) {
        res.forEach((e, o) -> {
            if (!o.ok() && !o.notFound()) {
                LOG.log(Level.WARNING, what + " failed on " + endpoints.get(e).name()
                        + "; leftovers are removed by healAll", o.error());
            }
        });
    }

    // ------------------------------------------------------------------ get

    @Override
    public byte[] get(String key) {
        ShardNames.validateKey(key);
        return pipelinedRead(key, 0, -1);
    }

    @Override
    public byte[] get(String key, long offset, int length) {
        ShardNames.validateKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        return pipelinedRead(key, offset, length);
    }

    /**
     * One endpoint's answer to a get: the start of its shard object (holding its record) and, for a data
     * shard's endpoint, the bytes of stripes [fromStripe, toStripe] of its shard, at {@code dataOffset} of
     * {@code data}.
     */
    record Prefetch(byte[] record, int shard, int fromStripe, int toStripe, byte[] data, int dataOffset) {
        static Prefetch recordOnly(byte[] record, int shard) {
            return new Prefetch(record, shard, -1, -1, null, 0);
        }
    }

    /**
     * A get in one round trip per endpoint. The k endpoints that hold data shards (by the key's rotation) each
     * read their shard object: a whole-object get reads it whole (record and shard in one request); a ranged
     * get reads its record and goes straight on to read the part of the shard the range needs, using the
     * layout of that record, without waiting for the others. If those k records name one write, it is the
     * winner (the other m endpoints cannot form a second group of k), so the parity endpoints are not asked
     * at all; otherwise, or when a shard must be decoded, their records are read too ({@link #complete}) and
     * the quorum is decided over all n as in {@link #readMetas}. Prefetched bytes are used only when their
     * endpoint holds a record of the winning write and they pass their checksums; anything else is fetched
     * again or decoded by {@link #read}.
     *
     * @param length the range's length, or -1 for the whole object
     */
    private byte[] pipelinedRead(String key, long offset, long length) {
        String name = ShardNames.shard(key);
        int rot = rotation(key);
        int[] dataEndpoints = new int[k];
        for (int j = 0; j < k; j++) {
            dataEndpoints[j] = (j + rot) % n;
        }
        // The k data shards' endpoints first: when their k records agree, that write is the winner whatever the
        // other m say (no other write can reach k), so the parity endpoints are asked only when needed.
        Map<Integer, Outcome<Prefetch>> res = fanOut(dataEndpoints, e -> () -> {
            Endpoint ep = endpoints.get(e);
            int shard = Math.floorMod(e - rot, n);
            byte[] head = length < 0 ? ep.getPrefix(name, maxShardObject) : readRecord(ep, name);
            try {
                ShardMeta r = ShardMeta.decode(head);
                long len = length < 0 ? r.size() : length;
                int[] range = r.k() == k && r.m() == m && r.shardIndex() == shard && offset + len <= r.size()
                        ? shardRange(r, shard, offset, len) : null;
                if (range == null) {
                    return Prefetch.recordOnly(head, shard);
                }
                long from = r.encodedLength() + r.shardOffset(range[0]);
                long to = r.encodedLength() + r.shardOffset(range[1]) + r.chunkLength(range[1]);
                if (length < 0) {
                    // the whole shard object is here; a short one is judged by the chunk checks
                    return head.length >= to ? new Prefetch(head, shard, range[0], range[1], head, (int) from)
                            : Prefetch.recordOnly(head, shard);
                }
                byte[] data = ep.get(name, from, (int) (to - from));
                return new Prefetch(head, shard, range[0], range[1], data, 0);
            } catch (InterruptedIOException e2) {
                throw e2;
            } catch (IllegalArgumentException | IOException e2) {
                // The record is judged with the others below; the shard is read again (with retries) or decoded.
                LOG.fine(() -> "get " + key + ": prefetch from " + ep.name() + " failed: " + e2);
                return Prefetch.recordOnly(head, shard);
            }
        });
        Map<Integer, Outcome<byte[]>> records = new HashMap<>();
        res.forEach((e, o) -> records.put(e, o.ok() ? new Outcome<>(o.value().record(), null)
                : new Outcome<>(null, o.error())));
        MetaView v = metaView(key, records);
        if (v.winner == null && v.count(v.notFound) <= m) {
            // (more than m "no such object" already rule out k records: not found, without asking the rest)
            complete(v); // updates v in place
        }
        ShardMeta meta = v.require("get");
        long len = length < 0 ? meta.size() : length;
        if (offset + len > meta.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + len + " beyond object size " + meta.size()
                    + ": " + key);
        }
        Map<Integer, Prefetch> usable = new HashMap<>();
        res.forEach((e, o) -> {
            if (o.ok() && o.value().data() != null && v.holdsWinner(e) && v.endpointOfShard[o.value().shard()] == e) {
                usable.put(e, o.value());
            }
        });
        // a whole-object get's window is laid out like the shard objects it read, so it can adopt them uncopied
        return read(key, v, offset, len, usable, length < 0 ? meta.encodedLength() : 0);
    }

    /**
     * Reads the records of the endpoints a partial view did not ask and returns the full view of all n
     * records (the same object, updated, so that readers holding it see the full view).
     */
    private MetaView complete(MetaView v) {
        if (!v.partial) {
            return v;
        }
        String name = ShardNames.shard(v.key);
        int[] rest = java.util.stream.IntStream.range(0, n)
                .filter(e -> v.records[e] == null && !v.notFound[e] && !v.corrupt[e] && !v.failed[e]).toArray();
        Map<Integer, Outcome<byte[]>> more = fanOut(rest, e -> () -> readRecord(endpoints.get(e), name));
        // Rebuild from everything known: the first answers (as records/flags) plus the new ones.
        for (int e = 0; e < n; e++) {
            if (more.containsKey(e)) {
                continue;
            }
            if (v.records[e] != null) {
                more.put(e, new Outcome<>(v.records[e].encode(), null));
            } else if (v.notFound[e]) {
                more.put(e, new Outcome<>(null, new ShardNotFoundException(endpoints.get(e).name(), name)));
            } else if (v.corrupt[e]) {
                more.put(e, new Outcome<>(new byte[0], null)); // undecodable again
            } else {
                more.put(e, new Outcome<>(null, v.lastError != null ? v.lastError : new IOException("no answer")));
            }
        }
        MetaView full = metaView(v.key, more);
        System.arraycopy(full.records, 0, v.records, 0, n);
        System.arraycopy(full.notFound, 0, v.notFound, 0, n);
        System.arraycopy(full.corrupt, 0, v.corrupt, 0, n);
        System.arraycopy(full.failed, 0, v.failed, 0, n);
        System.arraycopy(full.endpointOfShard, 0, v.endpointOfShard, 0, n);
        v.lastError = full.lastError != null ? full.lastError : v.lastError;
        v.winner = full.winner;
        v.winnerCount = full.winnerCount;
        v.partial = false;
        return v;
    }

    /**
     * The stripes [a, b] of data shard {@code j} that the range [offset, offset+length) touches, or null if
     * none. The one rule both the prefetch and {@link #read} use.
     */
    private static int[] shardRange(ShardMeta meta, int j, long offset, long length) {
        if (length == 0) {
            return null;
        }
        long sd = meta.stripeDataSize();
        int s0 = (int) (offset / sd);
        int s1 = (int) ((offset + length - 1) / sd);
        int a = -1;
        int b = -1;
        for (int s = s0; s <= s1; s++) {
            if (chunkNeeded(meta, s, j, offset, length)) {
                a = a < 0 ? s : a;
                b = s;
            }
        }
        return a < 0 ? null : new int[] {a, b};
    }

    /** Whether chunk {@code j} of stripe {@code s} holds bytes of the range. */
    private static boolean chunkNeeded(ShardMeta meta, int s, int j, long offset, long length) {
        int cl = meta.chunkLength(s);
        long base = s * meta.stripeDataSize();
        long cFrom = base + (long) j * cl;
        long cTo = Math.min(base + (long) (j + 1) * cl, base + meta.stripeLength(s));
        return cFrom < cTo && cFrom < offset + length && cTo > offset;
    }

    /**
     * Reads [offset, offset+length) of the winner of {@code v}; {@code prefetched} (by endpoint) holds data
     * already read from endpoints holding the winner's records, installed (and checksum-checked) first;
     * {@code lead} is the window's {@link StripeWindow#lead}.
     */
    private byte[] read(String key, MetaView v, long offset, long length, Map<Integer, Prefetch> prefetched,
                        int lead) {
        ShardMeta meta = v.winner;
        byte[] out = new byte[Math.toIntExact(length)];
        if (length == 0) {
            return out;
        }
        long sd = meta.stripeDataSize();
        int s0 = (int) (offset / sd);
        int s1 = (int) ((offset + length - 1) / sd);
        StripeWindow w = new StripeWindow(key, v, s0, s1, lead);
        // Which data chunks does the range touch?
        boolean[][] needed = new boolean[s1 - s0 + 1][k];
        for (int s = s0; s <= s1; s++) {
            for (int j = 0; j < k; j++) {
                needed[s - s0][j] = chunkNeeded(meta, s, j, offset, length);
            }
        }
        // Round 1: the needed data chunks, unless prefetched with the records.
        Map<Integer, int[]> round1 = new HashMap<>();
        for (int j = 0; j < k; j++) {
            int[] range = shardRange(meta, j, offset, length);
            if (range == null) {
                continue;
            }
            int e = v.endpointOfShard[j];
            Prefetch pre = e < 0 ? null : prefetched.get(e);
            if (pre != null && pre.shard() == j && pre.fromStripe() == range[0] && pre.toStripe() == range[1]) {
                w.install(j, e, range[0], range[1], pre.data(), pre.dataOffset());
            } else {
                round1.put(j, range);
            }
        }
        w.fetch(round1);
        // Round 2: every other shard over the stripes that lack a needed chunk.
        int badFrom = -1;
        int badTo = -1;
        for (int s = s0; s <= s1; s++) {
            for (int j = 0; j < k; j++) {
                if (needed[s - s0][j] && !w.valid[s - s0][j]) {
                    badFrom = badFrom < 0 ? s : badFrom;
                    badTo = s;
                }
            }
        }
        if (badFrom >= 0) {
            complete(v); // round 2 needs to know where the parity shards are
            Map<Integer, int[]> round2 = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int a = -1;
                int b = -1;
                for (int s = badFrom; s <= badTo; s++) {
                    if (!w.fetched[s - s0][i]) {
                        a = a < 0 ? s : a;
                        b = s;
                    }
                }
                if (a >= 0) {
                    round2.put(i, new int[] {a, b});
                }
            }
            w.fetch(round2);
            for (int s = badFrom; s <= badTo; s++) {
                boolean missing = false;
                for (int j = 0; j < k; j++) {
                    missing |= needed[s - s0][j] && !w.valid[s - s0][j];
                }
                if (missing) {
                    w.decode(s);
                }
            }
        }
        // Assemble.
        for (int s = s0; s <= s1; s++) {
            int cl = meta.chunkLength(s);
            long base = s * sd;
            int winOff = (int) (meta.shardOffset(s) - meta.shardOffset(s0));
            for (int j = 0; j < k; j++) {
                if (!needed[s - s0][j]) {
                    continue;
                }
                long cFrom = base + (long) j * cl;
                long cTo = Math.min(cFrom + cl, base + meta.stripeLength(s));
                long from = Math.max(cFrom, offset);
                long to = Math.min(cTo, offset + length);
                System.arraycopy(w.buf[j], lead + winOff + (int) (from - cFrom), out, (int) (from - offset),
                        (int) (to - from));
            }
        }
        if (offset == 0 && length == meta.size() && ShardMeta.crc32c(out, 0, out.length) != meta.objectCrc()) {
            throw new CorruptObjectException(key, "object checksum mismatch after reassembly");
        }
        return out;
    }

    /**
     * Shard bytes of stripes [s0, s1] of every shard, with per-chunk validity. Each shard's bytes sit at
     * {@link #lead} of its buffer: room for a record in front, so that a buffer can be a whole shard object
     * (one read whole by a get, adopted uncopied; one rebuilt by heal, written with its record).
     */
    private final class StripeWindow {
        final String key;
        final MetaView v;
        final ShardMeta meta;
        final int s0;
        final int s1;
        final long winStart;
        final int winLen;
        final int lead;
        final byte[][] buf = new byte[n][];
        final boolean[][] fetched;
        final boolean[][] valid;
        /** per shard: fetch failed because the endpoint did not answer (vs. answered with bad/missing data) */
        final boolean[] unreachable = new boolean[n];
        IOException lastError;

        StripeWindow(String key, MetaView v, int s0, int s1, int lead) {
            this.key = key;
            this.lead = lead;
            this.v = v;
            this.meta = v.winner;
            this.s0 = s0;
            this.s1 = s1;
            this.winStart = meta.shardOffset(s0);
            this.winLen = (int) (meta.shardOffset(s1) + meta.chunkLength(s1) - winStart);
            this.fetched = new boolean[s1 - s0 + 1][n];
            this.valid = new boolean[s1 - s0 + 1][n];
        }

        /** Fetches, per shard, the stripe range [a, b] given, and checks the chunks. */
        void fetch(Map<Integer, int[]> ranges) {
            String name = ShardNames.shard(key);
            int head = meta.encodedLength();
            Map<Integer, int[]> byEndpoint = new HashMap<>();
            ranges.forEach((shard, r) -> {
                for (int s = r[0]; s <= r[1]; s++) {
                    fetched[s - s0][shard] = true;
                }
                int e = v.endpointOfShard[shard];
                if (e >= 0) {
                    byEndpoint.put(e, new int[] {shard, r[0], r[1]});
                }
            });
            int[] targets = byEndpoint.keySet().stream().mapToInt(Integer::intValue).toArray();
            Map<Integer, Outcome<byte[]>> res = fanOut(targets, e -> () -> {
                int[] r = byEndpoint.get(e);
                long from = meta.shardOffset(r[1]);
                long to = meta.shardOffset(r[2]) + meta.chunkLength(r[2]);
                return endpoints.get(e).get(name, head + from, (int) (to - from));
            });
            res.forEach((e, o) -> {
                int[] r = byEndpoint.get(e);
                int shard = r[0];
                if (!o.ok()) {
                    if (!o.notFound()) {
                        unreachable[shard] = true;
                        lastError = o.error();
                    }
                    LOG.fine(() -> "read " + key + " shard " + shard + " from " + endpoints.get(e).name() + ": " + o.error());
                    return;
                }
                install(shard, e, r[1], r[2], o.value(), 0);
            });
        }

        /**
         * Puts the bytes of stripes [a, b] of {@code shard}, read from endpoint {@code e} and found at
         * {@code from} of {@code bytes}, in place and checks them.
         */
        void install(int shard, int e, int a, int b, byte[] bytes, int from) {
            for (int s = a; s <= b; s++) {
                fetched[s - s0][shard] = true;
            }
            int at = (int) (meta.shardOffset(a) - winStart);
            int len = (int) (meta.shardOffset(b) + meta.chunkLength(b) - meta.shardOffset(a));
            if (buf[shard] == null && at == 0 && from == lead && len == winLen && bytes.length == lead + winLen) {
                buf[shard] = bytes; // the whole window, laid out as ours: adopt it (the caller no longer uses it)
            } else {
                if (buf[shard] == null) {
                    buf[shard] = new byte[lead + winLen];
                }
                System.arraycopy(bytes, from, buf[shard], lead + at, len);
            }
            for (int s = a; s <= b; s++) {
                int off = lead + (int) (meta.shardOffset(s) - winStart);
                boolean ok = ShardMeta.crc32c(buf[shard], off, meta.chunkLength(s)) == meta.chunkCrc(s, shard);
                valid[s - s0][shard] = ok;
                if (!ok) {
                    int stripe = s;
                    LOG.warning(() -> "bitrot: " + key + " shard " + shard + " stripe " + stripe + " on "
                            + endpoints.get(e).name() + " failed its checksum; reading around it (heal to repair)");
                }
            }
        }

        /** Rebuilds stripe s from any k valid chunks. */
        void decode(int s) {
            boolean[] present = valid[s - s0].clone();
            int have = 0;
            for (boolean p : present) {
                have += p ? 1 : 0;
            }
            if (have < k) {
                if (have + unreachableCount(present) >= k) {
                    throw new StorageUnavailableException("get " + key, have, k, lastError);
                }
                throw new CorruptObjectException(key, "stripe " + s + ": only " + have + " intact shards, " + k
                        + " needed");
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == null) {
                    buf[i] = new byte[lead + winLen];
                }
            }
            codec.reconstruct(buf, present, lead + (int) (meta.shardOffset(s) - winStart), meta.chunkLength(s));
            for (int i = 0; i < n; i++) {
                valid[s - s0][i] = true;
            }
        }

        private int unreachableCount(boolean[] present) {
            int c = 0;
            for (int i = 0; i < n; i++) {
                c += !present[i] && unreachable[i] ? 1 : 0;
            }
            // endpoints whose metadata could not be read may hold shards too
            c += v.count(v.failed);
            return c;
        }
    }

    // ------------------------------------------------------------------ head / list / delete

    @Override
    public ObjectMetadata head(String key) {
        ShardNames.validateKey(key);
        ShardMeta meta = readMetas(key).require("head");
        return new ObjectMetadata(key, meta.size(), String.format("crc32c:%08x", meta.objectCrc()),
                Instant.ofEpochMilli(meta.createdMillis()));
    }

    @Override
    public List<String> list(String prefix) {
        ShardNames.validatePrefix(prefix);
        Map<String, Integer> counts = listShardCounts(prefix, k);
        List<String> out = new ArrayList<>();
        counts.forEach((name, c) -> {
            if (c >= k) {
                out.add(ShardNames.keyOfShard(name));
            }
        });
        out.sort(null);
        return out;
    }

    /** Shard object names under the prefix and on how many endpoints each appears; needs {@code need} answers. */
    private Map<String, Integer> listShardCounts(String prefix, int need) {
        String p = ShardNames.shardPrefix(prefix);
        Map<Integer, Outcome<List<String>>> res = fanOut(all(), e -> () -> endpoints.get(e).list(p));
        int answered = succeeded(res).length;
        if (answered < need) {
            throw new StorageUnavailableException("list " + prefix, answered, need, lastError(res));
        }
        Map<String, Integer> counts = new HashMap<>();
        res.values().stream().filter(Outcome::ok).forEach(o -> o.value().forEach(name -> counts.merge(name, 1, Integer::sum)));
        return counts;
    }

    @Override
    public void delete(String key) {
        ShardNames.validateKey(key);
        ReentrantLock lock = lockFor(key);
        try {
            String name = ShardNames.shard(key);
            Map<Integer, Outcome<Object>> res = fanOut(all(), e -> () -> {
                endpoints.get(e).delete(name);
                return null;
            });
            int deleted = succeeded(res).length;
            // Once more than m shard objects are gone, at most k-1 remain: no reader can find k.
            if (deleted < m + 1) {
                throw new StorageUnavailableException("delete " + key, deleted, m + 1, lastError(res));
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ heal / health

    /** See {@link io.cairn.storage.ObjectStoreConnection#heal(String)}. */
    public HealReport heal(String key) {
        ShardNames.validateKey(key);
        List<HealReport.Repair> repairs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ReentrantLock lock = lockFor(key);
        try {
            healLocked(key, readMetas(key), repairs, failures);
        } finally {
            lock.unlock();
        }
        return new HealReport(1, repairs, failures);
    }

    private void healLocked(String key, MetaView v, List<HealReport.Repair> repairs, List<String> failures) {
        ShardMeta meta = v.require("heal");
        int stripes = meta.stripes();
        int head = meta.encodedLength();
        // rebuilt shards are written with their record in front: leave room for it
        StripeWindow w = stripes == 0 ? null : new StripeWindow(key, v, 0, stripes - 1, head);
        HealReport.Reason[] reason = new HealReport.Reason[n];
        if (w != null) {
            Map<Integer, int[]> everything = new HashMap<>();
            for (int i = 0; i < n; i++) {
                everything.put(i, new int[] {0, stripes - 1});
            }
            w.fetch(everything);
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < stripes; s++) {
                    if (!w.valid[s][i] && reason[i] == null && v.endpointOfShard[i] >= 0 && !w.unreachable[i]) {
                        reason[i] = w.buf[i] == null ? HealReport.Reason.MISSING : HealReport.Reason.CORRUPT;
                    }
                }
            }
            for (int s = 0; s < stripes; s++) {
                boolean all = true;
                for (int i = 0; i < n; i++) {
                    all &= w.valid[s][i];
                }
                if (!all) {
                    w.decode(s);
                }
            }
        }
        // Shards without a record of the winning write go to endpoints without one.
        List<Integer> homeless = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (v.endpointOfShard[i] < 0) {
                homeless.add(i);
            }
        }
        int rot = rotation(key);
        Map<Integer, Integer> placement = new HashMap<>(); // endpoint -> shard
        Map<Integer, HealReport.Reason> why = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int e = v.endpointOfShard[i];
            if (e >= 0 && reason[i] != null) {
                placement.put(e, i);
                why.put(e, reason[i]);
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            if (!v.holdsWinner(e)) {
                free.add(e);
            }
        }
        // Prefer the endpoint the rotation assigns to the shard.
        free.sort(Comparator.comparingInt(e -> homeless.contains(Math.floorMod(e - rot, n)) ? 0 : 1));
        for (int shard : homeless) {
            Integer target = free.stream().filter(e -> Math.floorMod(e - rot, n) == shard).findFirst()
                    .orElse(free.stream().filter(e -> !placement.containsKey(e)).findFirst().orElse(null));
            if (target == null) {
                failures.add(key + ": no endpoint to hold shard " + shard);
                continue;
            }
            free.remove(target);
            placement.put(target, shard);
            why.put(target, v.corrupt[target] ? HealReport.Reason.CORRUPT
                    : v.records[target] != null ? HealReport.Reason.STALE : HealReport.Reason.MISSING);
        }
        String name = ShardNames.shard(key);
        int[] targets = placement.keySet().stream().mapToInt(Integer::intValue).filter(e -> {
            if (v.failed[e]) {
                failures.add(key + ": " + endpoints.get(e).name() + " unreachable, shard " + placement.get(e)
                        + " not rebuilt");
                return false;
            }
            return true;
        }).toArray();
        Map<Integer, Outcome<Object>> res = fanOut(targets, e -> () -> {
            int shard = placement.get(e);
            byte[] object = w == null ? new byte[head] : w.buf[shard]; // each shard has one target: no sharing
            meta.forShard(shard).encodeInto(object);
            endpoints.get(e).put(name, object); // replaces what was there (another write's leftover, a corrupt copy)
            return null;
        });
        res.forEach((e, o) -> {
            if (o.ok()) {
                repairs.add(new HealReport.Repair(key, endpoints.get(e).name(), placement.get(e), why.get(e)));
            } else {
                failures.add(key + ": rebuilding shard " + placement.get(e) + " on " + endpoints.get(e).name()
                        + " failed: " + o.error());
            }
        });
    }

    /** See {@link io.cairn.storage.ObjectStoreConnection#healAll()}. */
    public HealReport healAll() {
        Map<String, Integer> counts = listShardCounts("", k);
        List<HealReport.Repair> repairs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : new TreeSet<>(counts.keySet())) {
            String key = ShardNames.keyOfShard(name);
            ReentrantLock lock = lockFor(key);
            try {
                MetaView v = readMetas(key);
                if (v.winner == null && v.count(v.notFound) > m) {
                    purgeLeftovers(key, v, repairs, failures);
                } else {
                    healLocked(key, v, repairs, failures);
                }
            } catch (StorageException e) {
                failures.add(key + ": " + e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        return new HealReport(counts.size(), repairs, failures);
    }

    /**
     * Removes the shard objects of a write that never committed (its undo failed) or was partly deleted, once
     * their records are older than {@code orphanGrace} (younger ones may belong to a put still in progress
     * elsewhere).
     */
    private void purgeLeftovers(String key, MetaView v, List<HealReport.Repair> repairs, List<String> failures) {
        long cutoff = clock.millis() - config.orphanGrace().toMillis();
        int[] stale = java.util.stream.IntStream.range(0, n)
                .filter(e -> v.records[e] != null && v.records[e].createdMillis() <= cutoff).toArray();
        String name = ShardNames.shard(key);
        Map<Integer, Outcome<Object>> res = fanOut(stale, e -> () -> {
            endpoints.get(e).delete(name);
            return null;
        });
        res.forEach((e, o) -> {
            if (o.ok()) {
                repairs.add(new HealReport.Repair(key, endpoints.get(e).name(), v.records[e].shardIndex(),
                        HealReport.Reason.STALE));
            } else {
                failures.add(key + ": removing leftover on " + endpoints.get(e).name() + " failed: " + o.error());
            }
        });
    }

    /** Pings every endpoint (one attempt each, bypassing the breaker, which a success closes). */
    public StorageHealth health() {
        Map<Integer, Future<Object>> futures = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Endpoint ep = endpoints.get(i);
            futures.put(i, pool.submit(() -> {
                ep.ping();
                return null;
            }));
        }
        // The probes bound themselves (StoreConfig.probeTimeout); the margin covers scheduling only.
        long deadline = System.nanoTime() + config.probeTimeout().plusMillis(500).toNanos();
        List<StorageHealth.EndpointStatus> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = endpoints.get(i).name();
            Future<Object> f = futures.get(i);
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                guards[i].reset();
                statuses.add(new StorageHealth.EndpointStatus(name, true, null));
            } catch (ExecutionException e) {
                statuses.add(new StorageHealth.EndpointStatus(name, false, String.valueOf(e.getCause())));
            } catch (TimeoutException e) {
                f.cancel(true);
                statuses.add(new StorageHealth.EndpointStatus(name, false, "no answer in time"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while probing storage endpoints");
            }
        }
        return new StorageHealth(statuses, k);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            endpoints.forEach(Endpoint::close);
        }
    }
}
