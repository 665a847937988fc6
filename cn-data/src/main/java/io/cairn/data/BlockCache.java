package io.cairn.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.cairn.txn.checkpoint.Block;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentIndex;

/**
 * The CN's one cache of checkpoint data, bounded in bytes: segment indexes (block index and Bloom
 * filter) and blocks, read from object storage with ranged reads on a miss. Segment objects are
 * write-once, so a cached entry never goes stale. Caffeine weighs each entry by its heap size and
 * evicts by frequency and recency (W-TinyLFU), so a long scan does not flush the blocks point reads
 * keep using. With a disk tier ({@link BlockFiles}) a heap miss reads the local file of that range before
 * object storage.
 *
 * <p>Thread-safe; concurrent misses of one entry load it once.
 */
final class BlockCache implements AutoCloseable {
    private final CheckpointStore store;
    private final Cache<Entry, Object> cache;
    /** The local-disk tier, or null without one. */
    private final BlockFiles disk;

    /** One cached thing: the index of a segment ({@code block == -1}) or one of its blocks. */
    private record Entry(String objectKey, int block) {
    }

    /** @param maxBytes the bound of the heap the cached indexes and blocks take */
    BlockCache(CheckpointStore store, long maxBytes) {
        this(store, maxBytes, null);
    }

    /** @param disk the local-disk tier under the heap, or null; closed with this cache */
    BlockCache(CheckpointStore store, long maxBytes, BlockFiles disk) {
        this.store = store;
        this.disk = disk;
        // maintenance (eviction) on the calling thread: no common-pool threads inside the application server
        this.cache = Caffeine.newBuilder().maximumWeight(maxBytes).executor(Runnable::run)
                .weigher((Entry key, Object value) -> value instanceof Block b ? b.weight() : ((SegmentIndex) value).weight())
                .recordStats().build();
    }

    /** The index of {@code segment}. */
    SegmentIndex index(Manifest.Segment segment) {
        return (SegmentIndex) cache.get(new Entry(segment.objectKey(), -1),
                e -> SegmentIndex.read(reader(segment), segment.bytes()));
    }

    /** Block {@code block} of {@code segment}, whose index is {@code index}. */
    Block block(Manifest.Segment segment, SegmentIndex index, int block) {
        return (Block) cache.get(new Entry(segment.objectKey(), block), e -> index.readBlock(reader(segment), block));
    }

    private SegmentIndex.RangeReader reader(Manifest.Segment segment) {
        String key = segment.objectKey();
        if (disk == null) {
            return (offset, length) -> store.get(key, offset, length);
        }
        return (offset, length) -> disk.read(key, offset, length, (o, l) -> store.get(key, o, l));
    }

    /** The local-disk tier, or null. */
    BlockFiles disk() {
        return disk;
    }

    /** Hits, misses, loads and evictions since the start. */
    CacheStats stats() {
        return cache.stats();
    }

    /** The bytes the cached entries weigh now. */
    long weight() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    @Override
    public void close() {
        cache.invalidateAll();
        if (disk != null) {
            disk.close();
        }
    }
}
