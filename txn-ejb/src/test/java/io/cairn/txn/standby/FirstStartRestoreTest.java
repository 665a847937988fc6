package io.cairn.txn.standby;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Three servers of one standby cluster start at once on one object storage: one restores, two wait for it. */
class FirstStartRestoreTest {
    private final CheckpointStore shared = ObjectStoreCheckpoints.over(new InMemoryObjectStore());

    @Test
    void onlyTheFirstLogPeerRestoresAndTheOthersStartOnceItsCheckpointIsThere() throws Exception {
        AtomicInteger restores = new AtomicInteger();
        CompletableFuture<Void> restoreMayEnd = new CompletableFuture<>();
        Runnable restore = () -> {
            restores.incrementAndGet();
            restoreMayEnd.join();
            Manifest first = new Manifest(0, 1, 0, 42, List.of());
            shared.put(first.objectKey(), first.encode());
        };
        List<CompletableFuture<Void>> servers = List.of("s2", "s1", "s3").stream()
                .map(self -> CompletableFuture.runAsync(
                        () -> FirstStartRestore.run(self, "s1", shared, restore, Duration.ofMillis(20))))
                .toList();

        Thread.sleep(300);
        assertThat(servers).as("nobody starts before the restore ends").noneMatch(CompletableFuture::isDone);
        restoreMayEnd.complete(null);
        CompletableFuture.allOf(servers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(restores).as("restores into the shared storage").hasValue(1);
        assertThat(shared.latestManifest()).get().extracting(Manifest::maxTs).isEqualTo(42L);
    }
}
