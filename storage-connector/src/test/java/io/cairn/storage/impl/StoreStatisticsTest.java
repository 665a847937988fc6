package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.StorageStatistics;
import io.cairn.storage.StorageUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store's statistics: calls per operation, storage failures (not "not found"), shards rewritten by heals. */
class StoreStatisticsTest {
    @TempDir
    Path root;

    @Test
    void callsFailuresAndHealedShardsAreCounted() throws Exception {
        List<FaultyEndpoint> eps = new ArrayList<>();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add("dir:" + root.resolve("d" + i));
            eps.add(new FaultyEndpoint(new DirEndpoint(root.resolve("d" + i))));
        }
        StoreConfig c = TestStores.testConfig(2, 1).endpoints(specs).build();
        try (ErasureCodedStore store = new ErasureCodedStore(c, eps, TestStores.testPolicy(c), Clock.systemUTC())) {
            store.put("a", new byte[] {1, 2, 3});
            store.get("a");
            store.get("a", 1, 1);
            store.head("a");
            store.list("");
            assertThatThrownBy(() -> store.get("missing")).isInstanceOf(ObjectNotFoundException.class);

            // one endpoint's shard object lost: a heal rewrites it
            try (var files = Files.walk(root.resolve("d0"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(f);
                }
            }
            assertThat(store.heal("a").repairs()).isNotEmpty();

            // two of three endpoints down: a put cannot reach its quorum
            eps.get(1).down();
            eps.get(2).down();
            assertThatThrownBy(() -> store.put("b", new byte[] {4})).isInstanceOf(StorageUnavailableException.class);

            StorageStatistics stats = store.statistics();
            assertThat(stats.operations()).containsEntry("put", 2L).containsEntry("get", 3L)
                    .containsEntry("head", 1L).containsEntry("list", 1L).containsEntry("delete", 0L)
                    .containsEntry("heal", 1L);
            assertThat(stats.errors()).containsEntry("put", 1L).containsEntry("get", 0L).containsEntry("heal", 0L);
            assertThat(stats.healedShards()).isEqualTo(1);
        }
    }
}
