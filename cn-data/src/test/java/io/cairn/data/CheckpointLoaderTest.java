package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.Key;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.server.ObjectStoreCheckpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointLoaderTest {
    private static final long TABLE = 5;
    private final CheckpointStore store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());

    private Manifest publish(long seq, long lsn, byte value) {
        List<Manifest.Segment> segments = TestSegments.put(store, TABLE, 0,
                List.of(new CheckpointRow(new byte[] {1}, lsn * 10, new byte[] {value})), 10, 4096, "t" + seq);
        Manifest manifest = new Manifest(1, seq, lsn, lsn * 10, segments);
        store.put(manifest.objectKey(), manifest.encode());
        return manifest;
    }

    /** A store whose first {@code latestManifest} answer is the old manifest, as for a CN that read it just before. */
    private CheckpointStore readingOldFirst(Manifest old) {
        return new CheckpointStore() {
            private boolean first = true;

            @Override
            public void put(String key, byte[] bytes) {
                store.put(key, bytes);
            }

            @Override
            public byte[] get(String key) {
                return store.get(key);
            }

            @Override
            public List<String> list(String prefix) {
                if (first && prefix.equals(Manifest.PREFIX)) {
                    first = false;
                    return List.of(old.objectKey());
                }
                return store.list(prefix);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }
        };
    }

    @Test
    void aLoadWhoseManifestWasCollectedStartsOverFromTheNewerOne() {
        Manifest old = publish(1, 10, (byte) 1);
        publish(2, 20, (byte) 2);
        store.delete(old.segments().get(0).objectKey()); // the TN's garbage collection got there first
        CheckpointStore view = readingOldFirst(old);
        LogTailer.Start start = new CheckpointLoader(view, new BlockCache(view, 1 << 20)).load();
        assertThat(start.fromLsn()).isEqualTo(21);
        assertThat(start.store().get(Key.of(TABLE, new byte[] {1}), Long.MAX_VALUE)).containsExactly(2);
    }

    @Test
    void aMissingObjectOfTheLatestManifestIsAnError() {
        Manifest only = publish(1, 10, (byte) 1);
        store.delete(only.segments().get(0).objectKey());
        assertThatThrownBy(() -> new CheckpointLoader(store, new BlockCache(store, 1 << 20)).load())
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void withoutCheckpointsTheLogIsFollowedFromItsStart() {
        assertThat(new CheckpointLoader(null, null).load().fromLsn()).isEqualTo(1);
        assertThat(new CheckpointLoader(store, new BlockCache(store, 1 << 20)).load().fromLsn()).isEqualTo(1);
    }
}
