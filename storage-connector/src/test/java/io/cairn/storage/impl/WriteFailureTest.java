package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures injected at exact points of a put, on six local directories with 4+2 coding. */
class WriteFailureTest {
    @TempDir
    Path root;
    private final List<FaultyEndpoint> eps = new ArrayList<>();
    private ErasureCodedStore store;

    @BeforeEach
    void open() throws IOException {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add("dir:" + root.resolve("d" + i));
            eps.add(new FaultyEndpoint(new DirEndpoint(root.resolve("d" + i))));
        }
        StoreConfig c = TestStores.testConfig(4, 2).endpoints(specs).orphanGrace(Duration.ofMinutes(10)).build();
        store = new ErasureCodedStore(c, eps, TestStores.testPolicy(c), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Removes injected faults and probes, which closes the endpoints' circuit breakers. */
    private void restore() {
        eps.forEach(FaultyEndpoint::heal);
        assertThat(store.health().healthyEndpoints()).isEqualTo(6);
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private long filesUnder(String ns) throws IOException {
        long c = 0;
        for (int i = 0; i < 6; i++) {
            try (var s = Files.list(root.resolve("d" + i).resolve(ns))) {
                c += s.count();
            }
        }
        return c;
    }

    @Test
    void oneEndpointDownStillCommitsAndHealRebuildsIt() {
        eps.get(3).down();
        byte[] d = data(300_000);
        store.put("k", d);
        assertThat(store.get("k")).isEqualTo(d);
        restore();
        HealReport r = store.heal("k");
        assertThat(r.repairs()).singleElement().satisfies(rep -> {
            assertThat(rep.endpoint()).contains("d3");
            assertThat(rep.reason()).isEqualTo(HealReport.Reason.MISSING);
        });
        assertThat(store.heal("k").isClean()).isTrue();
        // every shard is now in place: any two endpoints may go
        eps.get(0).down();
        eps.get(1).down();
        assertThat(store.get("k")).isEqualTo(d);
    }

    @Test
    void writeQuorumMissedInDataPhaseFailsCleanly() throws IOException {
        eps.get(1).down();
        eps.get(4).down();
        assertThatThrownBy(() -> store.put("k", data(100_000)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("4 endpoint(s) answered, 5 needed");
        restore();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(filesUnder("shard")).isZero();
    }

    @Test
    void writeQuorumMissedRemovesTheShardsItWroteAndFreesTheKey() throws IOException {
        eps.get(2).failPut = name -> true;
        eps.get(5).failPut = name -> true;
        assertThatThrownBy(() -> store.put("k", data(100_000))).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("4 endpoint(s) answered, 5 needed");
        restore();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(filesUnder("shard")).isZero();
        byte[] d = data(5);
        store.put("k", d); // the key is free again
        assertThat(store.get("k")).isEqualTo(d);
    }

    @Test
    void aPutOverLeftoversOfAFailedPutReplacesThem() throws IOException {
        // The undo fails on two endpoints: two shard objects of the failed write stay (fewer than k: unreadable).
        eps.get(0).failPut = name -> true;
        eps.get(1).failPut = name -> true;
        eps.get(2).failDelete = name -> true;
        eps.get(3).failDelete = name -> true;
        assertThatThrownBy(() -> store.put("k", data(70_000))).isInstanceOf(StorageUnavailableException.class);
        restore();
        assertThat(filesUnder("shard")).isEqualTo(2);
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.list("")).isEmpty();
        byte[] d = data(90_000);
        store.put("k", d);
        assertThat(store.get("k")).isEqualTo(d);
        assertThat(store.heal("k").isClean()).isTrue();
        assertThat(filesUnder("shard")).isEqualTo(6);
    }

    @Test
    void aPutOnACommittedKeyFailsAndLeavesTheObjectAlone() {
        byte[] d = data(50_000);
        store.put("k", d);
        assertThatThrownBy(() -> store.put("k", data(10))).isInstanceOf(io.cairn.storage.ObjectExistsException.class);
        // even when the object is only just readable (two endpoints down), a put never writes over it
        eps.get(0).down();
        eps.get(4).down();
        assertThatThrownBy(() -> store.put("k", data(10))).isInstanceOf(io.cairn.storage.ObjectExistsException.class);
        restore();
        assertThat(store.get("k")).isEqualTo(d);
        assertThat(store.heal("k").isClean()).isTrue();
    }

    @Test
    void readerNeverSeesAWriteBeforeItsCommitCompletes() throws Exception {
        // Hold the writer after 3 of 6 shard objects are written (k = 4 make it readable); a reader must see nothing.
        CountDownLatch held = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            eps.get(i).hook = name -> {
                if (name.startsWith("shard/")) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            };
        }
        byte[] d = data(200_000);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> store.put("k", d));
        // Endpoints 3..5 have their shard objects; 0..2 are held before writing theirs.
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
            assertThat(store.list("")).isEmpty();
        }
        release.countDown();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(store.get("k")).isEqualTo(d);
    }

    @Test
    void leftoversOfAFailedUndoArePurgedByHealAllOnlyAfterTheGracePeriod() throws IOException {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        MutableClock mc = new MutableClock(t0);
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add("dir:" + root.resolve("d" + i));
        }
        StoreConfig c = TestStores.testConfig(4, 2).endpoints(specs).orphanGrace(Duration.ofMinutes(10)).build();
        store.close();
        eps.forEach(FaultyEndpoint::heal);
        store = new ErasureCodedStore(c, eps, TestStores.testPolicy(c), mc);
        // The put fails on 2 endpoints, and the undo fails on 1 that has a shard object: that one stays.
        eps.get(0).failPut = name -> true;
        eps.get(1).failPut = name -> true;
        eps.get(2).failDelete = name -> true;
        assertThatThrownBy(() -> store.put("k", data(1000))).isInstanceOf(StorageUnavailableException.class);
        restore();
        assertThat(filesUnder("shard")).isEqualTo(1);
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.healAll().repairs()).isEmpty(); // too young: might be a put in progress
        mc.now = t0.plus(Duration.ofMinutes(11));
        HealReport r = store.healAll();
        assertThat(r.repairs()).isNotEmpty().allSatisfy(rep -> {
            assertThat(rep.reason()).isEqualTo(HealReport.Reason.STALE);
            assertThat(rep.key()).isEqualTo("k");
        });
        assertThat(r.failures()).isEmpty();
        assertThat(filesUnder("shard")).isZero();
    }

    @Test
    void deleteNeedsMoreThanMEndpoints() {
        store.put("k", data(10));
        eps.get(0).down();
        eps.get(1).down();
        eps.get(2).down();
        eps.get(3).down();
        assertThatThrownBy(() -> store.delete("k")).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("2 endpoint(s) answered, 3 needed");
        restore();
        assertThat(store.get("k")).hasSize(10);
        eps.get(0).down();
        eps.get(1).down();
        eps.get(2).down();
        store.delete("k"); // 3 > m shard objects gone: the object is unreadable for good
        restore();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(ObjectNotFoundException.class);
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
